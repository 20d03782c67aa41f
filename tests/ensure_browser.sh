#!/usr/bin/env bash
# The page tests drive Debian's headless Chromium through its chromedriver (tests/browser.py).
# Install both through the package manager when they are missing: as root, or with sudo when it
# needs no password; otherwise say in one line what to install, and stop.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
hint="the page tests need Chromium and its driver: run 'sudo apt-get install -y chromium chromium-driver' (Debian/Ubuntu), then make test again"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "make test: $hint (no apt-get here: install chromium and chromedriver at /usr/bin with your package manager)" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root="sudo"
else
  echo "make test: $hint" >&2
  exit 1
fi
echo "make test: installing Debian's chromium and chromium-driver for the page tests"
$as_root apt-get update -q
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
