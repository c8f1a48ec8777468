#!/usr/bin/env bash
# Make sure Debian's Chromium is installed at /usr/bin/chromium for the browser
# end-to-end tests. Browsers come only from the Debian archive: Playwright's own
# downloader (`npx playwright install`) cannot reach its CDN from this network.
# Idempotent: does nothing when the binary is already there.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "ensure-chromium: $CHROMIUM already present ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "ensure-chromium: $CHROMIUM is missing and I am not root (and sudo is unavailable)." >&2
  echo "ensure-chromium: install it with: apt-get install -y chromium" >&2
  exit 1
fi

echo "ensure-chromium: $CHROMIUM missing; installing Debian's chromium package"
echo "ensure-chromium: apt-get update"
"${SUDO[@]}" apt-get update -qq
echo "ensure-chromium: apt-get install -y chromium"
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: install finished but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
