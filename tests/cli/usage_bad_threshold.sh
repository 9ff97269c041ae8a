"$NEARDUP" dedup corpus -o "$WORK/out" --threshold 1.5
