# A truncated .gz fails the run (exit 1, file named) and the previous outputs stay as they were.
"$NEARDUP" dedup corpus -o "$WORK/out" --quiet || exit 50
sha_before=$(cat "$WORK/out"/* | sha256sum)
for i in $(seq 1 3000); do echo "{\"id\":\"$i\",\"text\":\"news item number $i about the port\"}"; done | gzip > "$WORK/full.jsonl.gz"
head -c 2000 "$WORK/full.jsonl.gz" > "$WORK/cut.jsonl.gz"
"$NEARDUP" dedup corpus "$WORK/cut.jsonl.gz" -o "$WORK/out" --quiet
code=$?
[ "$(cat "$WORK/out"/* | sha256sum)" = "$sha_before" ] || exit 51
ls -A "$WORK/out" | grep -q '\.tmp\.' && exit 52
exit $code
