# An output path that cannot be a folder fails before any input is read.
"$NEARDUP" dedup corpus -o /dev/null/out --quiet
