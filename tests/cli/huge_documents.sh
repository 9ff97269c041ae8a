# A 200 MB document, a 1 MB token without spaces, 10 MB of one repeated word, NUL bytes, CRLF and
# lone CR line ends, a BOM and mixed right-to-left/left-to-right text are all processed and
# accounted for; peak memory stays under 12x the largest document plus 300 MB (README: memory) (RELIABILITY.md 5, 6, 12).
python3 - "$WORK" <<'PY' || exit 90
import json, random, sys
random.seed(5)
work = sys.argv[1]
words = [f"w{i}" for i in range(100000)]
with open(f"{work}/in.jsonl", "w") as f:
    f.write('\ufeff' + json.dumps({"id": "small", "text": "a normal first document about the port"}) + "\n")
    chunk = " ".join(random.choice(words) for _ in range(200000))
    big = (chunk + " ") * (200_000_000 // (len(chunk) + 1))
    f.write(json.dumps({"id": "huge", "text": big}) + "\n")
    f.write(json.dumps({"id": "token", "text": "x" * 1_000_000}) + "\n")
    f.write(json.dumps({"id": "repeat", "text": "news " * 2_000_000}) + "\n")
    f.write(json.dumps({"id": "nul", "text": "before\u0000after and more words here"}) + "\n")
    f.write(json.dumps({"id": "crlf", "text": "line one\r\nline two\rline three\n"}) + "\n")
    f.write(json.dumps({"id": "mixed", "text": "قال Sam Altman إن GPT-5 جاهز \u200f(OpenAI)\u200e اليوم"}) + "\n")
PY
"$NEARDUP" dedup "$WORK/in.jsonl" -o "$WORK/out" --quiet || exit 91
[ "$(wc -l < "$WORK/out/decisions.jsonl")" = 7 ] || exit 92
grep -q '"rejected": 0' "$WORK/out/report.json" || exit 93
peak=$(grep -o '"peak_rss_bytes": [0-9]*' "$WORK/out/report.json" | grep -o '[0-9]*$')
echo "peak RSS $((peak / 1000000)) MB" >&2
[ "$peak" -lt $((12 * 200000000 + 300000000)) ] || [ -n "${NEARDUP_SANITIZED:-}" ] || exit 94
# --max-doc-bytes turns the huge document into a reasoned rejection instead.
"$NEARDUP" dedup "$WORK/in.jsonl" -o "$WORK/out2" --quiet --max-doc-bytes 50000000 || exit 95
grep '"id":"huge"' "$WORK/out2/decisions.jsonl" | grep -q '"reason":"too_large"' || exit 96
exit 0
