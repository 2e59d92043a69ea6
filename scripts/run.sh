#!/usr/bin/env bash
# `make run`: build and serve Inyeon on port 3000 (PORT overrides).
# Without DATABASE_URL (in the environment or .env) it starts the project's own PostgreSQL
# cluster under .data/postgres (installing PostgreSQL when it can), then the service migrates
# it, seeds demo people on the first start, and serves.
set -euo pipefail
cd "$(dirname "$0")/.."

env_file_has() { [[ -f .env ]] && grep -qE "^[[:space:]]*$1=" .env; }

if [[ -z ${DATABASE_URL:-} ]] && ! env_file_has DATABASE_URL; then
  scripts/postgres.sh start .data/postgres "${INYEON_PG_PORT:-54329}"
  eval "$(scripts/postgres.sh env .data/postgres)"
  echo "run.sh: using the private PostgreSQL in .data/postgres (stop it with: make stop-db)" >&2
fi

scripts/require-swift.sh
swift build --product inyeon
exec "$(swift build --show-bin-path)/inyeon" serve
