# The reader of `neardup clean -o -` closes the pipe early: neardup exits 0 without a message
# (RELIABILITY.md case 19).
for i in $(seq 1 20000); do echo "{\"id\":\"$i\",\"text\":\"word$i and some more words\"}"; done > "$WORK/in.jsonl"
"$NEARDUP" clean "$WORK/in.jsonl" -o - --quiet | head -1 > /dev/null
exit "${PIPESTATUS[0]}"
