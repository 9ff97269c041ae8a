#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) in build-fuzz/ and runs each of them for a
# fixed number of executions from its committed seeds. Usage: bash scripts/fuzz.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --test
runs=${1:-100000}
CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DNEARDUP_FUZZ=ON -DNEARDUP_BENCH=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEARDUP_FUZZ_RUNS="$runs" >/dev/null
ninja -C build-fuzz -j"$(nproc)" fuzz_jsonl fuzz_utf8 fuzz_tokenizer fuzz_boilerplate
cd build-fuzz
ctest -L fuzz --output-on-failure
