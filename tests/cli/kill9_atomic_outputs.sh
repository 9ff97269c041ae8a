# A run killed with SIGKILL at random points leaves, for every output file, either the previous
# complete version or the new complete one, never a partial file; the next run clears stale temps.
# (RELIABILITY.md case 13; 30 kills.)
python3 - "$WORK" <<'PY' || exit 70
import json, random, sys
random.seed(13)
work = sys.argv[1]
words = [f"w{i}" for i in range(5000)]
def doc(n):
    return " ".join(random.choice(words) for _ in range(n))
with open(f"{work}/a.jsonl", "w") as f:
    for i in range(200):
        f.write(json.dumps({"id": f"a{i}", "text": doc(80)}) + "\n")
with open(f"{work}/b.jsonl", "w") as f:
    base = [doc(150) for _ in range(4000)]
    for i in range(40000):
        f.write(json.dumps({"id": f"b{i}", "text": base[i % 4000] + " " + doc(20)}) + "\n")
PY
"$NEARDUP" dedup "$WORK/a.jsonl" -o "$WORK/ref_a" --quiet || exit 71
t0=$(date +%s%N)
"$NEARDUP" dedup "$WORK/b.jsonl" -o "$WORK/ref_b" --quiet || exit 72
run_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
files="decisions.jsonl clusters.jsonl cleaned.jsonl"
mkdir -p "$WORK/out"
cp "$WORK/ref_a"/* "$WORK/out/"
replaced=0
for i in $(seq 1 30); do
  "$NEARDUP" dedup "$WORK/b.jsonl" -o "$WORK/out" --quiet &
  pid=$!
  # Kill anywhere in the run, a third of the kills in its last fifth (where the files are written).
  if [ $((i % 3)) = 0 ]; then at=$(( run_ms * 8 / 10 + RANDOM % (run_ms * 3 / 10 + 1) )); else at=$(( RANDOM % (run_ms + 1) )); fi
  sleep "$(printf '%d.%03d' $((at / 1000)) $((at % 1000)))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  for f in $files; do
    if cmp -s "$WORK/out/$f" "$WORK/ref_b/$f"; then
      replaced=$((replaced + 1))
    elif ! cmp -s "$WORK/out/$f" "$WORK/ref_a/$f"; then
      echo "kill $i: $f is neither the old nor the new complete file"; exit 73
    fi
  done
  cp "$WORK/ref_a"/* "$WORK/out/"
done
"$NEARDUP" dedup "$WORK/b.jsonl" -o "$WORK/out" --quiet || exit 74
ls -A "$WORK/out" | grep -q '\.tmp\.' && exit 75
for f in $files; do cmp -s "$WORK/out/$f" "$WORK/ref_b/$f" || exit 76; done
echo "30 kills, $replaced files found already replaced" >&2
exit 0
