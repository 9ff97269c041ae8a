"$NEARDUP" dedup corpus -o "$WORK/out" --frobnicate
