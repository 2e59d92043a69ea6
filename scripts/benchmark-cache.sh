#!/usr/bin/env bash
# `make bench-cache`: profile reads with Zipf popularity through the cache and PostgreSQL.
# Uses DATABASE_URL when set, else the private cluster of `make run`. Extra arguments go to
# `inyeon benchmark cache` (--reads, --people, --exponent).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z ${DATABASE_URL:-} ]]; then
  scripts/postgres.sh start .data/postgres "${INYEON_PG_PORT:-54329}"
  eval "$(scripts/postgres.sh env .data/postgres)"
fi
export DATABASE_URL DATABASE_OWNER_URL LOG_LEVEL=${LOG_LEVEL:-error}
scripts/require-swift.sh
swift build --product inyeon
"$(swift build --show-bin-path)/inyeon" benchmark cache "$@"
