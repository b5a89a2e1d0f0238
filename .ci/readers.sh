#!/usr/bin/env bash
# Install the independent calendar readers the tests use (see tests/ical_readers.py):
#   libical (Evolution's parser): libical-dev, a C compiler and pkg-config;
#   ical.js (Thunderbird's parser): node and npm, then the pinned ical.js from
#   tests/readers/package-lock.json;
# the IMAP server the replies tests start (tests/imap_server.py): Dovecot 2.3
#   (dovecot-imapd, which brings openssl);
# and the browser the site is checked in (tests/test_site_browser.py): Debian's chromium
# and chromium-driver, with the pinned axe-core from the same package-lock.json.
# Idempotent and quiet: installs only what is missing. Needs root for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
pkg-config --exists libical 2>/dev/null || missing+=(libical-dev)
command -v cc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
{ command -v dovecot || [ -x /usr/sbin/dovecot ]; } >/dev/null 2>&1 || missing+=(dovecot-imapd)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cd tests/readers
for pkg in ical.js axe-core; do
  want=$(node -p "require('./package-lock.json').packages['node_modules/$pkg'].version")
  have=$(node -p "require('./node_modules/$pkg/package.json').version" 2>/dev/null || true)
  if [ "$want" != "$have" ]; then
    npm ci --silent --no-audit --no-fund >/dev/null
    break
  fi
done
