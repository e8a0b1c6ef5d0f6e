#!/usr/bin/env bash
# Installs what `make demo` (demo) or `make test` (test) needs on Debian/Ubuntu, skipping what is there.
set -euo pipefail
mode=${1:-demo}
packages=(libpg-query-dev libsqlite3-dev pkg-config ca-certificates)
if [ "$mode" = test ]; then
  packages+=(postgresql postgresql-contrib python3 python3-venv)
  # The OAuth end-to-end tests drive the login and consent pages in headless Chromium (Selenium).
  packages+=(chromium chromium-driver fonts-dejavu-core)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "Swift is at /opt/swift/usr/bin; add it to PATH." >&2
  else
    echo "Swift 6.1 or later is required (https://www.swift.org/install/linux/)." >&2
  fi
  exit 1
fi

# The end-to-end tests' Python environment: the official MCP SDK, pinned (Tests/e2e/requirements.txt).
if [ "$mode" = test ]; then
  cd "$(dirname "$0")/.."
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r Tests/e2e/requirements.txt
fi
