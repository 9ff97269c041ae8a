# A missing input fails before any work: exit 1, the file named, no output folder content.
"$NEARDUP" dedup corpus "$WORK/nope.jsonl" -o "$WORK/out"
code=$?
[ -z "$(ls -A "$WORK/out" 2>/dev/null)" ] || exit 20
exit $code
