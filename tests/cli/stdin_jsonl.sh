# "-" reads JSON Lines from stdin; ids missing from the input become -:LINE.
printf '{"text":"alpha beta gamma delta epsilon zeta"}\n{"text":"alpha beta gamma delta epsilon zeta"}\n' |
  "$NEARDUP" dedup - -o "$WORK/out" --quiet || exit 40
cat "$WORK/out/decisions.jsonl"
