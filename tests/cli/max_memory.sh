# --max-memory: the bounded run gives the same three JSONL files as the in-memory run (on the
# seeds plus stdin with a bad line), records its bound in report.json, leaves nothing in its spill
# folder; so does `neardup clean`; a bound below 16MB and story mode with a bound are usage errors.
printf '%s\n' '{"id":"x1","text":"a short note from stdin with enough words for shingles"}' 'not json' \
  '{"id":"x2","text":"a short note from stdin with enough words for shingles"}' >"$WORK/stdin.jsonl"
"$NEARDUP" dedup corpus - -o "$WORK/mem" --quiet <"$WORK/stdin.jsonl" || exit 30
mkdir "$WORK/spill"
"$NEARDUP" dedup corpus - -o "$WORK/bounded" --quiet --max-memory 64MB --spill-dir "$WORK/spill" \
  --threads 2 <"$WORK/stdin.jsonl" || exit 31
for f in decisions.jsonl clusters.jsonl cleaned.jsonl; do
  cmp "$WORK/mem/$f" "$WORK/bounded/$f" || exit 32
done
grep -q '"max_memory": 64000000' "$WORK/bounded/report.json" || exit 33
[ -z "$(ls -A "$WORK/spill")" ] || exit 34
[ "$(wc -l < "$WORK/bounded/decisions.jsonl")" = 8 ] || exit 35
# neardup clean, to a file and to stdout: the same records.
"$NEARDUP" clean corpus - -o "$WORK/clean_mem.jsonl" --quiet <"$WORK/stdin.jsonl" || exit 38
"$NEARDUP" clean corpus - -o - --quiet --max-memory 64MB <"$WORK/stdin.jsonl" >"$WORK/clean_bounded.jsonl" || exit 39
cmp "$WORK/clean_mem.jsonl" "$WORK/clean_bounded.jsonl" || exit 40
"$NEARDUP" dedup corpus -o "$WORK/small" --quiet --max-memory 1MB 2>/dev/null
[ $? = 2 ] || exit 36
"$NEARDUP" dedup corpus -o "$WORK/story" --quiet --mode story --max-memory 1GB 2>/dev/null
[ $? = 2 ] || exit 37
exit 0
