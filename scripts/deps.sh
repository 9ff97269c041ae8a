#!/usr/bin/env bash
# Installs the Debian 12 packages neardup needs to build and test, when they are missing.
# Usage: bash scripts/deps.sh [--test]   (--test adds what only the test suite needs)
set -euo pipefail
packages=(build-essential cmake ninja-build pkg-config
          libicu-dev libxxhash-dev libboost-program-options-dev libsimdjson-dev libtbb-dev
          zlib1g-dev libzstd-dev libstemmer-dev libgtest-dev libbenchmark-dev)
if [ "${1:-}" = "--test" ]; then
  packages+=(gzip zstd python3 clang libclang-rt-14-dev chromium fonts-dejavu-core)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "neardup: installing Debian packages: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "neardup: run as root or install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
