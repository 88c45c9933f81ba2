#!/usr/bin/env bash
# Idempotent setup on a fresh machine: a virtual environment at .venv with the package and its test
# extras, and a browser (explicit setting, else Playwright's, else the system's; installs one if none).
# Firefox is optional: installed (Debian's firefox-esr) when we are root and it is missing; setup never
# fails for lack of it, the Firefox tests and scenarios are skipped instead.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi

stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing the harness and its test extras into .venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi

if ! .venv/bin/harness browser >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: no browser found; installing Debian's chromium with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: no browser found; installing Playwright's Chromium"
    .venv/bin/python -m playwright install chromium
  fi
fi
echo "setup: browser: $(.venv/bin/harness browser)"

# Chromium's headless shell beside Debian's chromium: scenarios whose permissions are all granted run there, much
# faster (harness/light_browser.py). Optional: without it every scenario runs on the full Chromium.
if [ -x /usr/bin/chromium ] && ! command -v chromium-headless-shell >/dev/null 2>&1 \
  && [ ! -x /usr/lib/chromium/chromium-headless-shell ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium-headless-shell with apt-get (for scenarios whose permissions are all granted)"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null; }; then
      echo "setup: note: could not install chromium-headless-shell; every scenario runs on the full Chromium"
    fi
  else
    echo "setup: note: no chromium-headless-shell (not root, or no apt-get); every scenario runs on the full Chromium"
  fi
fi

if [ -n "${HARNESS_FIREFOX_EXECUTABLE:-}" ] || command -v firefox-esr >/dev/null 2>&1 || command -v firefox >/dev/null 2>&1; then
  :
elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: no Firefox found; installing Debian's firefox-esr with apt-get"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr >/dev/null; }; then
    echo "setup: note: could not install firefox-esr; Firefox runs will be skipped"
  fi
else
  echo "setup: note: no Firefox found (not root, or no apt-get); Firefox runs will be skipped." \
    "Install firefox-esr, or set HARNESS_FIREFOX_EXECUTABLE=/path/to/firefox"
fi
firefox_bin=${HARNESS_FIREFOX_EXECUTABLE:-$(command -v firefox-esr || command -v firefox || true)}
if [ -n "$firefox_bin" ]; then
  echo "setup: firefox: $firefox_bin ($("$firefox_bin" --version 2>/dev/null || echo 'version unknown'))"
fi

# The real @zoom/videosdk (only --sdk real needs it): the pinned version, from the npm registry into the per-user
# package cache (checked against its integrity hash; `harness versions list` shows what is there).
if ! .venv/bin/harness versions path --installed >/dev/null 2>&1; then
  if ! .venv/bin/harness versions install real; then
    echo "setup: warning: could not install the real @zoom/videosdk; --sdk real runs and their tests skip until it is" >&2
  fi
fi

# The JavaScript parser of scripts/extract_rejections.mjs (acorn, eslint-scope), from scripts/package-lock.json.
if command -v npm >/dev/null 2>&1; then
  scripts_stamp="scripts/node_modules/.installed-$(sha256sum scripts/package-lock.json | cut -c1-16)"
  if [ ! -f "$scripts_stamp" ]; then
    echo "setup: installing the scripts' JavaScript parser into scripts/node_modules (npm ci)"
    if (cd scripts && npm ci --no-audit --no-fund --loglevel=error); then
      touch "$scripts_stamp"
    else
      echo "setup: warning: npm ci in scripts/ failed; the runtime-rejections checks will be skipped" >&2
    fi
  fi
else
  echo "setup: npm not found; the runtime-rejections checks will be skipped"
fi
