# neardup clean on the seeds: the removed spans of each document (gold.json's boilerplate lines),
# the summary on stderr, and "-o -" writing the same records to stdout.
set -e
"$NEARDUP" clean corpus -o "$WORK/clean.jsonl"
grep -o '"id":"[^"]*"\|"removed":\[[^]]*\]' "$WORK/clean.jsonl"
"$NEARDUP" clean corpus -o - --quiet >"$WORK/stdout.jsonl"
cmp "$WORK/clean.jsonl" "$WORK/stdout.jsonl" && echo "stdout output identical"
