# Disk full while writing (a 512 KB tmpfs; where mounting is not permitted, the file size limit
# stands in for it): exit 1 with the cause, no partial or temporary file, previous outputs intact.
out="$WORK/small"
mkdir -p "$out"
if mount -t tmpfs -o size=512k tmpfs "$out" 2>/dev/null; then
  trap 'umount "$out" 2>/dev/null' EXIT
  limit() { exec "$@"; }
  expected="No space left on device"
else
  limit() { trap '' XFSZ; ulimit -f 256; exec "$@"; }
  expected="File too large"
fi
"$NEARDUP" dedup corpus -o "$out/run" --quiet || exit 100
sha_before=$(cat "$out/run"/* | sha256sum)
for i in $(seq 1 6000); do echo "{\"id\":\"n$i\",\"text\":\"story $i: the council met on day $i and voted $((i * 7)) to $((i * 3))\"}"; done > "$WORK/big.jsonl"
(limit "$NEARDUP" dedup "$WORK/big.jsonl" -o "$out/run" --quiet) 2> "$WORK/err"
code=$?
cat "$WORK/err" >&2
grep -q "$expected" "$WORK/err" || exit 101
[ "$(wc -l < "$WORK/err")" = 1 ] || exit 102
[ "$(cat "$out/run"/* | sha256sum)" = "$sha_before" ] || exit 103
ls -A "$out/run" | grep -q '\.tmp\.' && exit 104
exit $code
