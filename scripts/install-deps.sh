#!/usr/bin/env bash
# Installs the Debian packages swift-faster builds against: liburing-dev, libnuma-dev,
# libjemalloc-dev, zlib1g-dev, librocksdb-dev and liblmdb-dev (fasterbench's peer bindings)
# (and pkg-config, which SwiftPM's system-library targets use).
# Idempotent: quiet when everything is already there. Exits non-zero with a message
# a person can act on when it cannot install.
set -euo pipefail

packages=(liburing-dev libnuma-dev libjemalloc-dev zlib1g-dev librocksdb-dev liblmdb-dev pkg-config)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: apt-get not found; install these packages by hand: ${missing[*]}" >&2
  exit 1
fi
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "install-deps: not root and no sudo; run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo_cmd[@]}" apt-get update -qq >/dev/null; then
  echo "install-deps: 'apt-get update' failed; check the network or the apt sources, then retry" >&2
  exit 1
fi
if ! "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "install-deps: 'apt-get install ${missing[*]}' failed; see apt's output above" >&2
  exit 1
fi
echo "install-deps: installed ${missing[*]}" >&2
