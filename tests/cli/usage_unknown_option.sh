"$NEARDUP" dedup corpus/seeds -o "$WORK/out" --frobnicate
