# The README's first command in miniature: the four outputs, every seed exactly once.
"$NEARDUP" dedup corpus -o "$WORK/out" --quiet || exit 30
for f in decisions.jsonl clusters.jsonl cleaned.jsonl report.json; do
  [ -s "$WORK/out/$f" ] || [ "$f" = clusters.jsonl ] || exit 31
done
for seed in corpus/*.txt; do
  id=$(basename "$seed" .txt)
  [ "$(grep -c "\"id\":\"$id\"" "$WORK/out/decisions.jsonl")" = 1 ] || exit 32
done
[ "$(wc -l < "$WORK/out/decisions.jsonl")" = 5 ] || exit 33
grep -q '"checked": true' "$WORK/out/report.json" || exit 34
ls -A "$WORK/out" | grep -q '\.tmp\.' && exit 35
exit 0
