#!/usr/bin/env bash
# `make bench-cache`, `make bench-recommendations`, `make bench-chat`, `make bench-http`: one of the benchmarks the
# project ships, `inyeon benchmark NAME`, against DATABASE_URL when set, else the private cluster of
# `make run`. The cache benchmark runs a debug build (as measured in the README); the others a
# release build. Extra arguments go to the benchmark (see `inyeon benchmark NAME --help`).
#
#   scripts/benchmark.sh cache|recommendations|chat|http [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/benchmark.sh cache|recommendations|chat|http [ARGS...]}
shift
scripts/require-swift.sh
if [[ -z ${DATABASE_URL:-} ]]; then
  scripts/postgres.sh start .data/postgres "${INYEON_PG_PORT:-54329}"
  eval "$(scripts/postgres.sh env .data/postgres)"
fi
export DATABASE_URL DATABASE_OWNER_URL LOG_LEVEL=${LOG_LEVEL:-error}
configuration=release
[[ $name == cache ]] && configuration=debug
# The HTTP benchmark's load comes from wrk, a separate process that costs the two cores little
# (Debian's package); without it the benchmark falls back to clients inside its own process.
if [[ $name == http ]] && ! command -v wrk >/dev/null; then
  if [[ $(id -u) == 0 ]]; then
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq wrk >/dev/null 2>&1; } || true
  fi
  command -v wrk >/dev/null || echo "wrk is not installed (apt-get install wrk): the load will come from inside the benchmark's process" >&2
fi
swift build -c "$configuration" --product inyeon
"$(swift build -c "$configuration" --show-bin-path)/inyeon" benchmark "$name" "$@"
