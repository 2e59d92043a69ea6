#!/usr/bin/env bash
# `make bench-chat`: 1,000 real WebSocket clients in 500 matched pairs send messages through the
# service (running in the same process, release build); prints messages per second and the delivery
# latency. Uses DATABASE_URL when set, else the private cluster of `make run`. Extra arguments go to
# `inyeon benchmark chat` (--sockets, --messages-per-socket).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/require-swift.sh
if [[ -z ${DATABASE_URL:-} ]]; then
  scripts/postgres.sh start .data/postgres "${INYEON_PG_PORT:-54329}"
  eval "$(scripts/postgres.sh env .data/postgres)"
fi
export DATABASE_URL DATABASE_OWNER_URL LOG_LEVEL=${LOG_LEVEL:-error}
swift build -c release --product inyeon
"$(swift build -c release --show-bin-path)/inyeon" benchmark chat "$@"
