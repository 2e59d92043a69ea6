#!/usr/bin/env bash
# `make eval-matching`: build the engine from the public speed-dating set (../shared/data/speed-dating),
# score every hidden pair, and judge the scores with ../shared/eval/score_matching.py.
# DATA=dir overrides the data folder (same interchange format).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/require-swift.sh
data=${DATA:-../shared/data/speed-dating}
scorer=${SCORER:-../shared/eval/score_matching.py}
[[ -f $data/profiles.jsonl ]] || { echo "eval-matching: no $data/profiles.jsonl (set DATA=folder)" >&2; exit 1; }
swift build -c release --product inyeon
scores=$(mktemp --suffix=.jsonl)
"$(swift build -c release --show-bin-path)/inyeon" eval-matching \
  --profiles "$data/profiles.jsonl" --interactions "$data/interactions.jsonl" --pairs "$data/pairs.jsonl" --output "$scores"
if [[ -f $data/labels.jsonl && -f $scorer ]]; then
  python3 "$scorer" "$data/labels.jsonl" "$scores"
  python3 scripts/eval-matching-ceiling.py "$data/labels.jsonl"
else
  echo "scores written to $scores (no labels or scorer to judge them)"
fi
