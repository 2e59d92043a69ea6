#!/usr/bin/env bash
# Installs what the browser tests need, only what is missing: Chromium and its driver and a
# Korean font (Debian packages), then the pinned Python packages in requirements.txt.
# Safe to run again and again: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/../.."
requirements=scripts/e2e/requirements.txt

fail() { echo "scripts/e2e/install.sh: $*" >&2; exit 1; }

apt_install() { # quiet unless it fails; the log is printed then
  local log
  log=$(mktemp /tmp/inyeon-e2e-apt.XXXXXX)
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >"$log" 2>&1; then
    rm -f "$log"; return 0
  fi
  # The package lists may be missing or stale: refresh them once and try again.
  echo "apt-get install failed; running apt-get update and trying again" >&2
  if DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$log" 2>&1 &&
     DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"$log" 2>&1; then
    rm -f "$log"; return 0
  fi
  tail -n 30 "$log" >&2
  rm -f "$log"
  return 1
}

packages=()
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  packages+=(chromium chromium-driver) # always both, so that their versions match
fi
# Without a Korean font every Hangul glyph renders as a box, in screenshots and in layout checks.
if ! dpkg-query -W -f='${Status}' fonts-nanum 2>/dev/null | grep -q 'install ok installed'; then
  packages+=(fonts-nanum)
fi
if ((${#packages[@]})); then
  command -v apt-get >/dev/null 2>&1 ||
    fail "apt-get not found: install ${packages[*]} (Chromium, chromedriver and a Korean font) by hand"
  [ "$(id -u)" = 0 ] ||
    fail "installing ${packages[*]} needs root: run 'sudo apt-get install -y ${packages[*]}' and try again"
  echo "Installing ${packages[*]} (Debian packages; a minute or two)..." >&2
  apt_install "${packages[@]}" ||
    fail "could not install ${packages[*]} with apt-get (see the lines above)"
  command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 ||
    fail "apt-get finished but 'chromium' or 'chromedriver' is still not on PATH"
fi

# Every pinned Python package present at its pinned version? (Cheap, so this runs every time.)
missing=$(python3 - "$requirements" <<'PY'
import sys
from importlib import metadata
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    name, _, version = line.partition("==")
    try:
        if metadata.version(name) != version:
            print(line)
    except metadata.PackageNotFoundError:
        print(line)
PY
) || fail "python3 is missing or broken"
if [ -n "$missing" ]; then
  echo "Installing Python packages: $(echo $missing)" >&2
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r "$requirements" ||
    fail "pip could not install $requirements (is PyPI reachable?)"
fi
python3 -c 'import selenium, axe_selenium_python, axe_core_python, pytest' 2>/dev/null ||
  fail "the Python packages in $requirements are installed but do not import"
