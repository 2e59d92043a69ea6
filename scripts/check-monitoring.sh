#!/usr/bin/env bash
# Monitoring as code, checked without running it (part of `make test`): the alerting rules' unit
# tests (`promtool test rules`), Prometheus's configuration with the rules it loads, and the
# Grafana dashboard's queries. Installs
# Debian's prometheus package (which carries promtool) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v promtool >/dev/null; then
  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; }) >/dev/null
  # The package's own server is not wanted here.
  if [[ -x /etc/init.d/prometheus ]]; then /etc/init.d/prometheus stop >/dev/null 2>&1 || true; fi
fi
promtool test rules deploy/prometheus/inyeon-rules.test.yml
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The operator token's file exists only where Prometheus runs.
touch "$scratch/inyeon-token"
sed "s|/etc/prometheus/inyeon-token|$scratch/inyeon-token|" deploy/prometheus/prometheus.yml >"$scratch/prometheus.yml"
cp deploy/prometheus/inyeon-rules.yml "$scratch/"
promtool check config "$scratch/prometheus.yml"
# The optional Grafana dashboard: every panel's query parses (checked as a recording rule each).
python3 - deploy/prometheus/grafana-dashboard.json "$scratch/dashboard-queries.yml" <<'PY'
import json, sys
dashboard = json.load(open(sys.argv[1]))
lines = ["groups:", "  - name: dashboard-queries", "    rules:"]
for panel in dashboard["panels"]:
    for target in panel["targets"]:
        lines += [f"      - record: dashboard:panel{panel['id']}:{target['refId']}", "        expr: " + json.dumps(target["expr"])]
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
PY
promtool check rules "$scratch/dashboard-queries.yml"
