"$NEARDUP" dedup -o "$WORK/out"
