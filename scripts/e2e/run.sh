#!/usr/bin/env bash
# Browser tests: Inyeon's pages in headless Chromium (Selenium), with axe-core, contrast, size and
# keyboard checks, and screenshots written to .build/e2e-screenshots (docs/screenshots keeps a few
# hand-picked copies only).
#
#   scripts/e2e/run.sh BINARY [PYTEST ARGS...]
#       BINARY is the built `inyeon` executable; DATABASE_URL and DATABASE_OWNER_URL must name a test
#       PostgreSQL (scripts/test.sh starts one). Starts `BINARY serve` on a free port with a temporary
#       mail outbox and data folder, waits for /api/health, runs pytest, stops the server.
#       With INYEON_TEST_PG_SOCKET and INYEON_TEST_PG_PORT (scripts/test.sh exports them) the server gets
#       a fresh database on that cluster, dropped afterwards. Without them the database named must be
#       new, or have been used with the same key: set INYEON_E2E_DATA_ENCRYPTION_KEY (and
#       INYEON_E2E_JWT_SECRET) to fix the keys, which are otherwise random for each run.
#   INYEON_BASE_URL=http://127.0.0.1:3000 INYEON_OUTBOX=.data/outbox scripts/e2e/run.sh [PYTEST ARGS...]
#       Against a server that is already running (development): every argument goes to pytest.
#
# Exits with pytest's status. INYEON_SCREENSHOTS overrides where screenshots go; a failing test
# leaves its screenshot, HTML and browser log in INYEON_FAILURES (default /tmp/inyeon-e2e-failures).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

scripts/e2e/install.sh

export PYTHONDONTWRITEBYTECODE=1
export INYEON_SCREENSHOTS="${INYEON_SCREENSHOTS:-$repo/.build/e2e-screenshots}"

if [ -n "${INYEON_BASE_URL:-}" ]; then
  [ -n "${INYEON_OUTBOX:-}" ] || echo "note: INYEON_OUTBOX is not set; the tests that read the confirmation mail will fail" >&2
  exec python3 -m pytest -q scripts/e2e "$@"
fi

usage="usage: scripts/e2e/run.sh BINARY [PYTEST ARGS...]  (or set INYEON_BASE_URL to test a running server)"
[ $# -ge 1 ] || { echo "$usage" >&2; exit 2; }
binary=$1
shift
[ -f "$binary" ] && [ -x "$binary" ] || { echo "scripts/e2e/run.sh: $binary is not an executable file; $usage" >&2; exit 2; }
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
: "${DATABASE_URL:?scripts/e2e/run.sh needs DATABASE_URL (a test PostgreSQL; scripts/test.sh starts one)}"
: "${DATABASE_OWNER_URL:?scripts/e2e/run.sh needs DATABASE_OWNER_URL (the owner role of that database)}"

work=$(mktemp -d /tmp/inyeon-e2e.XXXXXX)
outbox=$work/outbox
mkdir -p "$outbox" "$work/data"
server_pid=
e2e_db=
superuser_psql() { psql -X -q -v ON_ERROR_STOP=1 -h "$INYEON_TEST_PG_SOCKET" -p "$INYEON_TEST_PG_PORT" -U postgres -d postgres "$@"; }
stop_server() {
  local status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -s "$work/server.log" ]; then
    echo "--- last lines of the server's log ($binary serve) ---" >&2
    tail -n 40 "$work/server.log" >&2
  fi
  if [ -n "$e2e_db" ]; then
    superuser_psql -c "DROP DATABASE IF EXISTS $e2e_db WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A database of its own when scripts/test.sh's cluster offers its superuser socket: the service keeps
# its token-signing keys in the database, sealed with DATA_ENCRYPTION_KEY, so a database that `swift
# test` or an earlier run used with another key answers every sign-in with a 500.
if [ -n "${INYEON_TEST_PG_SOCKET:-}" ] && [ -n "${INYEON_TEST_PG_PORT:-}" ] && command -v psql >/dev/null 2>&1; then
  e2e_db=inyeon_e2e_$(python3 -c 'import secrets; print(secrets.token_hex(4))')
  owner=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).username)' "$DATABASE_OWNER_URL")
  superuser_psql -c "CREATE DATABASE $e2e_db OWNER \"$owner\"" >/dev/null ||
    { echo "scripts/e2e/run.sh: could not create the database $e2e_db" >&2; e2e_db=; exit 1; }
  with_database() { python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$1" "$e2e_db"; }
  DATABASE_URL=$(with_database "$DATABASE_URL")
  DATABASE_OWNER_URL=$(with_database "$DATABASE_OWNER_URL")
  export DATABASE_URL DATABASE_OWNER_URL
fi

# The keys, fixed for this run and given to pytest too: the console's test runs `inyeon staff` with them.
INYEON_E2E_JWT_SECRET="${INYEON_E2E_JWT_SECRET:-$(python3 -c 'import secrets; print(secrets.token_hex(32))')}"
INYEON_E2E_DATA_ENCRYPTION_KEY="${INYEON_E2E_DATA_ENCRYPTION_KEY:-$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')}"
export INYEON_E2E_JWT_SECRET INYEON_E2E_DATA_ENCRYPTION_KEY INYEON_BINARY="$binary"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base_url="http://127.0.0.1:$port"

# Run from the temporary folder, so that neither the work tree's .env nor its .data is read or written.
(
  cd "$work"
  exec env PORT="$port" HOST=127.0.0.1 PUBLIC_BASE_URL="$base_url" \
    MAIL_OUTBOX_DIR="$outbox" INYEON_DATA_DIR="$work/data" \
    FEATURE_REAL_TIME_CHAT=true FEATURE_AI_INSIGHTS=true FEATURE_ENHANCED_AUTH=true \
    SEED_DEMO_COUNT=200 LOG_LEVEL=warning APP_ENV=development \
    RECOMMENDATION_MODEL_MAX_AGE=0 SIGNUPS_PER_ADDRESS_PER_HOUR=1000 CODE_CHECKS_PER_ADDRESS_PER_HOUR=1000 RESETS_PER_ADDRESS_PER_HOUR=1000 \
    ROLLOUT_INTERVAL=1s ROLLOUT_HISTORY_INTERVAL=2s \
    JWT_SECRET="$INYEON_E2E_JWT_SECRET" DATA_ENCRYPTION_KEY="$INYEON_E2E_DATA_ENCRYPTION_KEY" \
    "$binary" serve
) >"$work/server.log" 2>&1 &
server_pid=$!

# Up to 120 s for migrations, the demo people and the first answer from /api/health.
python3 - "$base_url/api/health" "$server_pid" <<'PY' || exit 1
import os, sys, time, urllib.request
url, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 120
while True:
    try:  # a server that has exited stays a zombie until the shell waits for it
        with open(f"/proc/{pid}/stat") as stat:
            alive = stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        alive = False
    if not alive:
        sys.exit("scripts/e2e/run.sh: the server stopped before answering /api/health")
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            if response.status == 200:
                break
    except Exception:
        pass
    if time.monotonic() > deadline:
        sys.exit(f"scripts/e2e/run.sh: {url} did not answer 200 within 120 s")
    time.sleep(0.5)
PY

status=0
INYEON_BASE_URL="$base_url" INYEON_OUTBOX="$outbox" python3 -m pytest -q scripts/e2e "$@" || status=$?
exit "$status"
