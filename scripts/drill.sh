#!/usr/bin/env bash
# Fault drills against the topology of scripts/cluster.sh (which must be up), each bounded and each
# printing what it measured. Not part of `make test`: they take minutes of both cores.
#
#   scripts/drill.sh leader-kill    the PostgreSQL leader's host dies (Patroni and PostgreSQL killed
#                                   with SIGKILL) under a stream of writes through HAProxy: the time
#                                   until writes succeed again, and every acknowledged write checked
#                                   on the new leader; the instances' readiness through it; the old
#                                   leader rejoining as a replica
#   scripts/drill.sh instance-kill [app2]   an instance killed with SIGKILL under load through the
#                                   public entry: when HAProxy stopped sending to it, failed requests
#   scripts/drill.sh rolling-deploy [BUNDLE]   a new build replaces the three instances one at a
#                                   time under load through the public entry: zero failed requests
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/cluster.sh env | sed 's/^/export /')"
: "${ADDRESS_LB:?the cluster is not up (scripts/cluster.sh up)}"
DSN_DRILL="host=$ADDRESS_LB port=5000 user=postgres password=$SUPERUSER_PASSWORD dbname=drill"
DSN_POSTGRES="host=$ADDRESS_LB port=5000 user=postgres password=$SUPERUSER_PASSWORD dbname=postgres"

say() { echo "drill: $*"; }
now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

address_of() { local var="ADDRESS_${1^^}"; echo "${!var}"; }

members() {
  curl -sf --max-time 2 "http://$ADDRESS_DB1:8008/cluster" || curl -sf --max-time 2 "http://$ADDRESS_DB2:8008/cluster" ||
    curl -sf --max-time 2 "http://$ADDRESS_DB3:8008/cluster"
}

running_members() { members | python3 -c 'import json,sys; print(sum(m["state"] in ("running", "streaming") for m in json.load(sys.stdin)["members"]))'; }

ensure_drill_database() {
  psql "$DSN_POSTGRES" -tAc "SELECT 1 FROM pg_database WHERE datname = 'drill'" | grep -q 1 ||
    psql "$DSN_POSTGRES" -qc "CREATE DATABASE drill"
}

# Kills a database host the way a power cut would: its Patroni and its PostgreSQL, at once.
kill_database_host() {
  local node=$1 pid postmaster
  postmaster=$(head -1 "$CLUSTER/$node/data/postmaster.pid")
  pid=$(cat "$CLUSTER/run/patroni-$node.pid")
  kill -KILL -- "-$pid" 2>/dev/null || true
  kill -KILL "$postmaster" 2>/dev/null || true
  # Its backends die with the postmaster's death noticed; those still there are killed too.
  pkill -KILL -P "$postmaster" 2>/dev/null || true
}

# "N requests; 200: n, 503: m; socket errors: ..." from a wrk run with statuses.lua.
load_summary() {
  awk '/requests in/ { total = $1 } /^status/ { statuses = statuses (statuses ? ", " : "") $2 " " $3 }
       /Socket errors/ { sub(/^ *Socket errors: */, ""); socket = $0 }
       END { printf "%s requests; %s", total, statuses; if (socket) printf "; socket errors: %s", socket }' "$1"
}

leader_kill() {
  ensure_drill_database
  local old run written started killed readiness_log
  old=$(scripts/cluster.sh leader)
  [[ $(running_members) == 3 ]] || { say "the cluster is not whole (3 running members needed)"; exit 1; }
  run=leader-kill-$(date +%s)
  written=$(mktemp /tmp/inyeon-drill.XXXXXX.json)
  readiness_log=$(mktemp /tmp/inyeon-drill-ready.XXXXXX)
  say "leader $old; writes through HAProxy for 60 s, the leader's host killed at 10 s"
  /usr/bin/python3 scripts/drills/acknowledged_writes.py write --dsn "$DSN_DRILL" --seconds 60 --run "$run" --out "$written" &
  local writer=$!
  # The instances' readiness, every 200 ms, through the drill.
  (
    while kill -0 "$writer" 2>/dev/null; do
      for app in app1 app2 app3; do
        printf '%s %s %s\n' "$(now)" "$app" "$(curl -s --max-time 1 -o /dev/null -w '%{http_code}' "http://$(address_of "$app"):3000/api/health/ready" || true)"
      done
      sleep 0.2
    done
  ) >"$readiness_log" &
  local watcher=$!
  # Reads through the public entry meanwhile: how many were answered with an error.
  local http_log
  http_log=$(mktemp /tmp/inyeon-drill-http.XXXXXX)
  wrk -t1 -c4 -d60s --timeout 5s -s scripts/drills/statuses.lua "http://$ADDRESS_LB/api/users?limit=5" >"$http_log" 2>&1 &
  local reader=$!
  sleep 10
  killed=$(now)
  kill_database_host "$old"
  say "killed $old's Patroni and PostgreSQL (SIGKILL)"
  local new=""
  while [[ -z $new || $new == "$old" ]]; do
    new=$(scripts/cluster.sh leader 2>/dev/null || true)
    sleep 0.2
  done
  say "Patroni promoted $new $(since "$killed") s after the kill"
  wait "$writer"
  wait "$watcher" || true
  wait "$reader" || true
  say "reads through the public entry (wrk, 4 connections, GET /api/users?limit=5): $(load_summary "$http_log")"
  local summary
  summary=$(/usr/bin/python3 - "$written" "$readiness_log" "$killed" <<'EOF'
import json, sys
written = json.load(open(sys.argv[1]))
killed = float(sys.argv[3])
outages = [o for o in written["outages"] if o["seconds"] is not None]
longest = max((o["seconds"] for o in outages), default=0.0)
ready = {}
for line in open(sys.argv[2]):
    at, app, code = line.split()
    ready.setdefault(app, []).append((float(at), code))
lines = [f"writes: {written['attempts']} attempted, {len(written['acknowledged'])} acknowledged, {written['failed']} failed;"
         f" writes failed for {longest:.1f} s (the longest gap between acknowledged writes)"]
for app, samples in sorted(ready.items()):
    after = [(at, code) for at, code in samples if at >= killed]
    down = [at for at, code in after if code != "200"]
    back = next((at for at, code in after if down and at > down[0] and code == "200"), None)
    if not any(code == "200" for _, code in samples):
        lines.append(f"{app}: not serving during the drill")
    elif not down:
        lines.append(f"{app}: ready throughout")
    else:
        lines.append(f"{app}: not ready for {back - down[0]:.1f} s" if back else f"{app}: not ready again by the end")
print("\n".join(lines))
EOF
)
  echo "$summary" | sed 's/^/drill: /'
  say "checking every acknowledged write on the new leader ($new):"
  /usr/bin/python3 scripts/drills/acknowledged_writes.py verify --dsn "$DSN_DRILL" --written "$written" | sed 's/^/drill: /'
  local verified=${PIPESTATUS[0]}
  # The old leader's host comes back: Patroni rewinds it and it follows the new leader.
  local back
  back=$(now)
  scripts/cluster.sh restart-database "$old"
  until [[ $(running_members 2>/dev/null) == 3 ]]; do
    [[ $(since "$back" | cut -d. -f1) -lt 120 ]] || { say "$old did not rejoin within 120 s"; exit 1; }
    sleep 1
  done
  say "$old rejoined as a replica $(since "$back") s after its Patroni started again"
  rm -f "$written" "$readiness_log" "$http_log"
  ((verified == 0)) || { say "FAILED: acknowledged writes were lost"; exit 1; }
  say "PASSED"
}

# An instance killed with SIGKILL under load through the public entry: how long until HAProxy stops
# sending to it, and how many requests failed; then it is started again.
instance_kill() {
  local victim=${1:-app2} http_log killed
  http_log=$(mktemp /tmp/inyeon-drill-http.XXXXXX)
  say "load through the public entry for 40 s (wrk, 8 connections, GET /api/users?limit=5); $victim killed with SIGKILL at 10 s"
  wrk -t2 -c8 -d40s --timeout 5s -s scripts/drills/statuses.lua "http://$ADDRESS_LB/api/users?limit=5" >"$http_log" 2>&1 &
  local load=$!
  sleep 10
  killed=$(now)
  kill -KILL -- "-$(cat "$CLUSTER/run/$victim.pid")"
  until [[ $(curl -s --max-time 1 "http://$ADDRESS_LB:7000/;csv" | awk -F, -v s="$victim" '$1 == "instances" && $2 == s { print $18 }') == DOWN* ]]; do
    sleep 0.1
  done
  say "HAProxy stopped sending to $victim $(since "$killed") s after the kill"
  wait "$load" || true
  say "load: $(load_summary "$http_log")"
  local back
  back=$(now)
  scripts/cluster.sh start-instance "$victim"
  until curl -sf --max-time 1 "http://$(address_of "$victim"):3000/api/health/ready" >/dev/null; do sleep 0.2; done
  say "$victim started again and ready in $(since "$back") s"
  rm -f "$http_log"
}

# A rolling deploy of a release bundle across the three instances under load through the public
# entry: every request must be answered 2xx.
rolling_deploy() {
  local bundle=${1:-} http_log started
  http_log=$(mktemp /tmp/inyeon-drill-http.XXXXXX)
  say "rolling deploy under load (wrk, 8 connections, GET /api/users?limit=5 and /api/health through the public entry)"
  wrk -t2 -c8 -d600s --timeout 5s -s scripts/drills/two-paths.lua "http://$ADDRESS_LB" >"$http_log" 2>&1 &
  local load=$!
  sleep 3
  started=$(now)
  scripts/cluster.sh deploy ${bundle:+"$bundle"} 2>&1 | sed 's/^/drill: /'
  say "deployed in $(since "$started") s"
  sleep 3
  kill -INT "$load"
  wait "$load" || true
  local requests errors socket
  requests=$(awk '/requests in/ { print $1 }' "$http_log")
  errors=$(awk '/Non-2xx/ { print $NF }' "$http_log")
  socket=$(grep -o 'Socket errors:.*' "$http_log" || true)
  say "load: ${requests:-?} requests, ${errors:-0} answered with an error${socket:+, $socket}"
  grep -E "Latency|Req/Sec" "$http_log" | sed 's/^/drill:   /'
  rm -f "$http_log"
  [[ -z $errors && -z $socket ]] || { say "FAILED: requests failed during the deploy"; exit 1; }
  say "PASSED: zero failed requests"
}

case ${1:-} in
  leader-kill) leader_kill ;;
  instance-kill) shift; instance_kill "$@" ;;
  rolling-deploy) shift; rolling_deploy "$@" ;;
  *) echo "usage: scripts/drill.sh leader-kill|instance-kill [APP]|rolling-deploy [BUNDLE]" >&2; exit 2 ;;
esac
