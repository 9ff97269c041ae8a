# A write that fails (here: the file size limit, as a full disk would) gives exit 1, a message
# naming the file, no partial or temporary file, and the previous outputs intact.
"$NEARDUP" dedup corpus -o "$WORK/out" --quiet || exit 60
sha_before=$(cat "$WORK/out"/* | sha256sum)
for i in $(seq 1 4000); do echo "{\"id\":\"n$i\",\"text\":\"story $i: the council met on day $i and voted $((i * 7)) to $((i * 3))\"}"; done > "$WORK/big.jsonl"
(trap '' XFSZ; ulimit -f 64; exec "$NEARDUP" dedup "$WORK/big.jsonl" -o "$WORK/out" --quiet) 2> "$WORK/err"
code=$?
grep -q "File too large" "$WORK/err" || exit 61
[ "$(cat "$WORK/out"/* | sha256sum)" = "$sha_before" ] || exit 62
ls -A "$WORK/out" | grep -q '\.tmp\.' && exit 63
exit $code
