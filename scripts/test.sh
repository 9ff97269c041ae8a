#!/usr/bin/env bash
# The test suite: installs what is missing, builds with warnings as errors, runs every ctest test.
# Usage: bash scripts/test.sh [--sanitize]   (--sanitize: ASan+UBSan build in build-asan/)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --test
if [ "${1:-}" = "--sanitize" ]; then
  bash scripts/build.sh build-asan -DNEARDUP_WERROR=ON -DNEARDUP_SANITIZE=ON -DNEARDUP_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo
  cd build-asan
  NEARDUP_SANITIZED=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --output-on-failure -j"$(nproc)"
else
  bash scripts/build.sh build -DNEARDUP_WERROR=ON
  cd build
  ctest --output-on-failure -j"$(nproc)"
fi
