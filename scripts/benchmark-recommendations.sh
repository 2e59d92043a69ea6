#!/usr/bin/env bash
# `make bench-recommendations`: one person's recommendations end to end with 100,000 people and a
# history of likes and passes, in a release build. Uses DATABASE_URL when set, else the private
# cluster of `make run`. Extra arguments go to `inyeon benchmark recommendations`
# (--people, --decisions-per-person, --requests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/require-swift.sh
if [[ -z ${DATABASE_URL:-} ]]; then
  scripts/postgres.sh start .data/postgres "${INYEON_PG_PORT:-54329}"
  eval "$(scripts/postgres.sh env .data/postgres)"
fi
export DATABASE_URL DATABASE_OWNER_URL LOG_LEVEL=${LOG_LEVEL:-error}
swift build -c release --product inyeon
"$(swift build -c release --show-bin-path)/inyeon" benchmark recommendations "$@"
