#!/usr/bin/env bash
# Browser test of the HTML cluster report (issue #7). Runs the real pipeline on corpus plus
# an escape fixture (two copies of a text holding <script>), renders report.html, loads it in
# headless Chromium (Debian's `chromium`) with JavaScript on and off, and checks the DOM: the FT
# cluster {000, 002, 003} with its three documents, 002's related-news block (lines 26-46) struck
# through with its reason, the <script> text escaped, RTL/LTR, and paging. Without JavaScript the
# page's static first page is checked in the file itself. The FT cluster and 002's removed block
# must come from the real pipeline (story mode and the clean stage): the test fails otherwise.
# The screenshot is kept.
# Usage: report_chromium.sh NEARDUP_BINARY ARTIFACT_DIR
set -euo pipefail
binary=$1
artifacts=$2
here=$(cd "$(dirname "$0")" && pwd)
seeds=$(cd "$here/../../corpus" && pwd)
checker="$here/report_dom.py"
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v chromium >/dev/null || { echo "FAIL: chromium is not installed (apt-get install chromium)"; exit 1; }

browse() {  # browse OUTPUT_FILE URL: dumps the DOM after the page's script ran
  local out=$1 url=$2
  local profile
  profile=$(mktemp -d "$work/profile.XXXXXX")
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --virtual-time-budget=5000 --dump-dom "$url" >"$out" 2>"$work/chromium.log" || {
    echo "FAIL: chromium failed on $url"; cat "$work/chromium.log"; exit 1; }
}

python3 "$checker" escape-input "$work/escape.jsonl"
if "$binary" dedup -q --mode story "$seeds" "$work/escape.jsonl" -o "$work/out" 2>"$work/dedup.err"; then
  echo "story mode ran"
else
  echo "story mode not available ($(cat "$work/dedup.err")); using copy mode"
  "$binary" dedup -q "$seeds" "$work/escape.jsonl" -o "$work/out"
fi
python3 "$checker" fixture "$work/out"
"$binary" report "$work/out" -o "$work/report.html"
cp "$work/report.html" "$artifacts/report_html.html"

# JavaScript on: the page's script renders page 1 from the embedded data.
browse "$work/dom_js.html" "file://$work/report.html"
python3 "$checker" check "$work/dom_js.html" --js
# JavaScript off: the static first page, as written (headless --dump-dom needs scripts on).
python3 "$checker" check "$work/report.html"
# Paging: 120 synthetic clusters, page 3 requested by the URL.
python3 "$checker" many-clusters "$work/many"
"$binary" report "$work/many" -o "$work/many.html"
browse "$work/dom_page3.html" "file://$work/many.html#page=3"
python3 "$checker" check-page "$work/dom_page3.html" 3

rm -f "$artifacts/report_html.png"
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$(mktemp -d "$work/profile.XXXXXX")" --virtual-time-budget=5000 --hide-scrollbars \
  --window-size=1400,2000 --screenshot="$artifacts/report_html.png" \
  "file://$work/report.html#show=002_dc91764ec0d952e3:20" \
  >"$work/chromium.log" 2>&1 || { echo "FAIL: screenshot"; cat "$work/chromium.log"; exit 1; }
python3 "$checker" png "$artifacts/report_html.png" 1400 2000
echo "PASS: screenshot in $artifacts/report_html.png, page in $artifacts/report_html.html"
