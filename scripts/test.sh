#!/usr/bin/env bash
# `make test` (and CI): start a throwaway PostgreSQL cluster, run every test against it,
# validate the OpenAPI document, and remove the cluster afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/require-swift.sh

dir=$(mktemp -d /tmp/inyeon-test-pg.XXXXXX)
chmod 755 "$dir" # the cluster runs as the unprivileged postgres user
cleanup() { scripts/postgres.sh stop "$dir" || true; rm -rf "$dir"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
scripts/postgres.sh start "$dir" "$port"
eval "$(scripts/postgres.sh env "$dir")"
export DATABASE_URL DATABASE_OWNER_URL
# A second database on the same cluster, for tests that need a pristine schema (migrations).
export INYEON_TEST_PG_SOCKET="$dir/socket" INYEON_TEST_PG_PORT="$port"

# The mail tests talk to a real SMTP server (aiosmtpd, with TLS and AUTH).
if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  python3 -m pip install --quiet aiosmtpd
fi

swift build --build-tests
# A bound, so a hung test fails the run instead of stalling CI for its whole budget.
timeout --signal=KILL 1800 stdbuf -oL -eL swift test --skip-build --no-parallel "$@"

# The pages in a real browser: headless Chromium driven by Selenium, with axe-core, contrast, text
# size, target size and keyboard checks, and a screenshot of each page at phone and desktop size
# (.build/e2e-screenshots). Installs chromium, chromium-driver and the Python packages if missing.
scripts/e2e/run.sh "$(swift build --show-bin-path)/inyeon"

# The API description must be a valid OpenAPI 3.1 document.
if ! python3 -c 'import openapi_spec_validator' 2>/dev/null; then
  python3 -m pip install --quiet openapi-spec-validator
fi
spec=$(mktemp /tmp/inyeon-openapi.XXXXXX.json)
"$(swift build --show-bin-path)/inyeon" openapi > "$spec"
python3 -m openapi_spec_validator "$spec"
rm -f "$spec"

# The production topology's scripts and configuration (scripts/cluster.sh writes HAProxy's and each
# Patroni's; the release's systemd unit): valid, without starting anything. The drills themselves
# take half an hour of both cores: `scripts/drill.sh`, run on their own (README, docs/operations.md).
for script in scripts/cluster.sh scripts/drill.sh scripts/release.sh; do bash -n "$script"; done
scripts/cluster.sh check

# Monitoring as code (deploy/prometheus): the alerting rules' unit tests and the configuration.
scripts/check-monitoring.sh
