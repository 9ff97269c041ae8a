# --help prints every option with its default to stdout and exits 0.
"$NEARDUP" --help | grep -q -- '--threshold' || exit 10
"$NEARDUP" dedup --help | grep -q -- '--num-perm arg (=128)' || exit 11
"$NEARDUP" --version | grep -q 'ICU 7' || exit 12
