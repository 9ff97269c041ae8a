#!/usr/bin/env bash
# The main job on the bundled corpus: installs what is missing, builds, deduplicates corpus/ into
# out/ in copy mode and in story mode, and shows the result.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh build >/dev/null
./build/neardup dedup corpus -o out/copy
./build/neardup dedup corpus -o out/story --mode story
echo
echo "== out/story/clusters.jsonl"
cat out/story/clusters.jsonl
echo "== out/story/decisions.jsonl (id, decision, duplicate_of, removed boilerplate lines)"
sed -E 's/^\{"id":"([^"]*)".*"decision":"([^"]*)".*"duplicate_of":("[^"]*"|null).*"removed":(.*)\}$/\1  \2  duplicate_of=\3  removed=\4/' \
  out/story/decisions.jsonl
echo "== story clusters against corpus/gold.json"
./build/neardup eval --gold corpus/gold.json out/story
