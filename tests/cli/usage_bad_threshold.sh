"$NEARDUP" dedup corpus/seeds -o "$WORK/out" --threshold 1.5
