#!/usr/bin/env bash
# Installs Debian packages that a suite needs, or fails saying exactly how to install them.
set -euo pipefail
packages=("$@")
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "missing: ${packages[*]}. Install them as root: apt-get update && apt-get install -y ${packages[*]}" >&2
  exit 1
fi
echo "installing from Debian: ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${packages[@]}" >/dev/null
