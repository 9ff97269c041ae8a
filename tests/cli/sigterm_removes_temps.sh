# SIGTERM or SIGINT at any point: the run dies with 128 + signal, leaves no temp file, and every
# output is the previous or the new complete version (RELIABILITY.md case 14).
python3 - "$WORK" <<'PY' || exit 80
import json, random, sys
random.seed(14)
words = [f"w{i}" for i in range(3000)]
with open(f"{sys.argv[1]}/b.jsonl", "w") as f:
    for i in range(30000):
        f.write(json.dumps({"id": f"b{i}", "text": " ".join(random.choice(words) for _ in range(120))}) + "\n")
PY
t0=$(date +%s%N)
"$NEARDUP" dedup "$WORK/b.jsonl" -o "$WORK/ref" --quiet || exit 81
run_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
mkdir -p "$WORK/out"
for i in $(seq 1 12); do
  signal=TERM; expected=143
  if [ $((i % 2)) = 0 ]; then signal=INT; expected=130; fi
  "$NEARDUP" dedup "$WORK/b.jsonl" -o "$WORK/out" --quiet &
  pid=$!
  at=$(( run_ms / 2 + RANDOM % (run_ms / 2 + 1) ))
  sleep "$(printf '%d.%03d' $((at / 1000)) $((at % 1000)))"
  kill -$signal "$pid" 2>/dev/null
  wait "$pid"
  code=$?
  [ "$code" = "$expected" ] || [ "$code" = 0 ] || { echo "exit $code after SIG$signal"; exit 82; }
  ls -A "$WORK/out" | grep -q '\.tmp\.' && { echo "temp file left after SIG$signal"; exit 83; }
  for f in decisions.jsonl clusters.jsonl cleaned.jsonl; do
    [ ! -e "$WORK/out/$f" ] || cmp -s "$WORK/out/$f" "$WORK/ref/$f" || { echo "partial $f"; exit 84; }
  done
done
exit 0
