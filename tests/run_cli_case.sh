#!/usr/bin/env bash
# Runs one golden CLI case: tests/cli/NAME.sh is run with $NEARDUP set to the binary and $WORK to a
# fresh scratch folder; its exit code must equal NAME.exit, and when NAME.stderr / NAME.stdout
# exist, its stderr / stdout must equal them (after replacing $WORK by the word WORK).
set -u
binary=$1
case_script=$2
base=${case_script%.sh}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
NEARDUP=$binary WORK=$work bash "$case_script" >"$work/.stdout" 2>"$work/.stderr"
code=$?
fail=0
expected_code=$(cat "$base.exit")
if [ "$code" != "$expected_code" ]; then
  echo "exit code $code, expected $expected_code"; fail=1
fi
for stream in stdout stderr; do
  if [ -f "$base.$stream" ]; then
    sed "s#$work#WORK#g" "$work/.$stream" >"$work/.$stream.norm"
    if ! diff -u "$base.$stream" "$work/.$stream.norm"; then
      echo "$stream differs from $base.$stream"; fail=1
    fi
  fi
done
if [ $fail -ne 0 ]; then
  echo "--- stderr was:"; cat "$work/.stderr"
fi
exit $fail
