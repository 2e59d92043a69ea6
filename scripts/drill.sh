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
#   scripts/drill.sh partition      the leader's host cut off (link down) under writes: when the
#                                   isolated leader stopped taking writes, the new leader, nothing
#                                   acknowledged lost, the audit chain verified afterwards
#   scripts/drill.sh disaster-recovery   a full pgBackRest backup, then a point-in-time restore into a
#                                   fresh node: counts as at that point, Inyeon ready on it, the
#                                   audit chain verified; RTO; and RPO with the whole cluster lost
#   scripts/drill.sh flag-rollback  a flag switched on and rolled back: when each instance serves it
#                                   (also run inside leader-kill, right after the new leader is in)
#   scripts/drill.sh malformed-requests   a garbage request line, Content-Length: -1 and headers that
#                                   never end, through the public entry: each answered (400, 400, 408)
#   scripts/drill.sh all            every drill in turn
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

in_host() { local host=$1; shift; ip netns exec "iy-$host" "$@"; }

# Waits until COMMAND succeeds, at most SECONDS; a drill never waits without bound.
within() { # seconds what command...
  local limit=$1 what=$2
  local deadline=$((SECONDS + limit))
  shift 2
  until "$@"; do
    ((SECONDS < deadline)) || { say "FAILED: $what did not happen within $limit s" >&2; exit 1; }
    sleep 0.2
  done
}

# A leader other than OLD, named on standard output once there is one.
new_leader() { local found; found=$(scripts/cluster.sh leader 2>/dev/null) && [[ $found != "$1" ]] && echo "$found"; }

ready() { curl -sf --max-time 1 "http://$(address_of "$1"):3000/api/health/ready" >/dev/null; }
all_ready() { ready app1 && ready app2 && ready app3; }

# Whether HAProxy has taken an instance out of the public entry.
out_of_entry() { [[ $(curl -s --max-time 1 "http://$ADDRESS_LB:7000/;csv" | awk -F, -v s="$1" '$1 == "instances" && $2 == s { print $18 }') == DOWN* ]]; }

address_of() { local var="ADDRESS_${1^^}"; echo "${!var}"; }

members() {
  curl -sf --max-time 2 "http://$ADDRESS_DB1:8008/cluster" || curl -sf --max-time 2 "http://$ADDRESS_DB2:8008/cluster" ||
    curl -sf --max-time 2 "http://$ADDRESS_DB3:8008/cluster"
}

running_members() { members | python3 -c 'import json,sys; print(sum(m["state"] in ("running", "streaming") for m in json.load(sys.stdin)["members"]))'; }

# Whether a node's own PostgreSQL is in recovery (following a leader), asked on its Unix socket.
is_replica() {
  in_host "$1" runuser -u postgres -- psql "host=$CLUSTER/$1/socket user=postgres dbname=postgres" -tAc "SELECT pg_is_in_recovery()" 2>/dev/null |
    grep -q t
}

ensure_drill_database() {
  psql "$DSN_POSTGRES" -tAc "SELECT 1 FROM pg_database WHERE datname = 'drill'" | grep -q 1 ||
    psql "$DSN_POSTGRES" -qc "CREATE DATABASE drill"
}

# Kills a database host the way a power cut would: its Patroni and its PostgreSQL, at once.
kill_database_host() {
  local node=$1 pid postmaster
  postmaster=$(head -1 "$CLUSTER/$node/data/postmaster.pid")
  # This node's Patroni, found by its own configuration file's path (which nothing else names).
  for pid in $(pgrep -f "patroni $CLUSTER/$node/patroni.yml"); do kill -KILL "$pid" 2>/dev/null || true; done
  kill -KILL "$postmaster" 2>/dev/null || true
  # Its backends die with the postmaster's death noticed; those still there are killed too.
  pkill -KILL -P "$postmaster" 2>/dev/null || true
}

# People who chat and like through the public entry (scripts/drills/people_who_chat.py): 100
# matched pairs with a socket each (200 sockets), and 40 pairs who like each other during the drill.
# Each person has an address of its own on the operator's side of the bridge (10.78.0.0/16): the
# service limits sign-ups per address and believes HAProxy's X-Forwarded-For. The chat is switched
# on for everyone while they chat (it is off in a new cluster) and reset afterwards.
CHAT_PAIRS=100 LIKE_PAIRS=40
people=""
people_prepare() {
  local i batch=""
  for ((i = 0; i < 2 * (CHAT_PAIRS + LIKE_PAIRS); i++)); do batch+="addr replace 10.78.$((i / 250)).$((i % 250 + 1))/16 dev iybr0"$'\n'; done
  ip -batch - <<<"$batch"
  inyeon_operator flags set FEATURE_REAL_TIME_CHAT true >/dev/null
  trap 'inyeon_operator flags reset FEATURE_REAL_TIME_CHAT >/dev/null 2>&1 || true' EXIT
  people=$(mktemp /tmp/inyeon-drill-people.XXXXXX.json)
  /usr/bin/python3 -u scripts/drills/people_who_chat.py prepare --entry "$ADDRESS_LB" --chat-pairs "$CHAT_PAIRS" --like-pairs "$LIKE_PAIRS" \
    --outbox "$CLUSTER/app1/outbox" --outbox "$CLUSTER/app2/outbox" --outbox "$CLUSTER/app3/outbox" --out "$people" | sed 's/^/drill: /'
}
people_chat() { # seconds result-file
  /usr/bin/python3 -u scripts/drills/people_who_chat.py run --people "$people" --seconds "$1" --out "$2" | sed 's/^/drill: /'
}
# Every message, like and match the people were told of, row by row in the database: prints, and
# fails (status 1) on anything lost or doubled.
people_verify() { # result-file
  /usr/bin/python3 -u scripts/drills/people_who_chat.py verify --people "$people" --run "$1" \
    --dsn "host=$ADDRESS_LB port=5000 user=postgres password=$SUPERUSER_PASSWORD dbname=inyeon" | sed 's/^/drill: /'
  local verified=${PIPESTATUS[0]}
  inyeon_operator flags reset FEATURE_REAL_TIME_CHAT >/dev/null
  rm -f "$people" "$1"
  return "$verified"
}

# "N requests; 200: n, 503: m; socket errors: ..." from a wrk run with statuses.lua.
load_summary() {
  awk '/requests in/ { total = $1 } /^status/ { statuses = statuses (statuses ? ", " : "") $2 " " $3 }
       /Socket errors/ { sub(/^ *Socket errors: */, ""); socket = $0 }
       END { printf "%s requests; %s", total, statuses; if (socket) printf "; socket errors: %s", socket }' "$1"
}

leader_kill() {
  ensure_drill_database
  local old run written started killed readiness_log chatted
  old=$(scripts/cluster.sh leader)
  [[ $(running_members) == 3 ]] || { say "the cluster is not whole (3 running members needed)"; exit 1; }
  say "$((2 * (CHAT_PAIRS + LIKE_PAIRS))) people sign up through the public entry, confirm by mail, and $CHAT_PAIRS pairs match"
  people_prepare
  chatted=$(mktemp /tmp/inyeon-drill-chat.XXXXXX.json)
  run=leader-kill-$(date +%s)
  written=$(mktemp /tmp/inyeon-drill.XXXXXX.json)
  readiness_log=$(mktemp /tmp/inyeon-drill-ready.XXXXXX)
  say "leader $old; writes through HAProxy for 60 s, $((2 * CHAT_PAIRS)) people chatting and $LIKE_PAIRS pairs liking each other"
  say "through the public entry meanwhile; the leader's host killed at 10 s"
  people_chat 55 "$chatted" &
  local chat=$!
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
  within 90 "a new leader" new_leader "$old" >/dev/null
  new=$(scripts/cluster.sh leader)
  say "Patroni promoted $new $(since "$killed") s after the kill"
  # The instances' listeners reconnect to the new leader: a flag change and its rollback still reach
  # every instance (wait until they are ready again, then time it).
  within 60 "every instance ready again" all_ready
  flag_rollback
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
  wait "$chat" || { say "FAILED: the chatting people did not finish"; exit 1; }
  say "checking every acknowledged write on the new leader ($new):"
  /usr/bin/python3 scripts/drills/acknowledged_writes.py verify --dsn "$DSN_DRILL" --written "$written" | sed 's/^/drill: /'
  local verified=${PIPESTATUS[0]}
  say "checking every acknowledged message, like and match on the new leader:"
  people_verify "$chatted" || verified=1
  # The old leader's host comes back: Patroni rewinds it and it follows the new leader.
  local back
  back=$(now)
  scripts/cluster.sh restart-database "$old"
  until [[ $(running_members 2>/dev/null) == 3 ]] && is_replica "$old"; do
    [[ $(since "$back" | cut -d. -f1) -lt 120 ]] || { say "$old did not rejoin within 120 s"; exit 1; }
    sleep 1
  done
  say "$old rejoined as a replica $(since "$back") s after its Patroni started again"
  rm -f "$written" "$readiness_log" "$http_log"
  ((verified == 0)) || { say "FAILED: acknowledged writes, messages, likes or matches were lost"; exit 1; }
  say "PASSED"
}

# An instance killed with SIGKILL under load through the public entry: how long until HAProxy stops
# sending to it, and how many requests failed; then it is started again.
instance_kill() {
  local victim=${1:-app2} http_log killed chatted
  http_log=$(mktemp /tmp/inyeon-drill-http.XXXXXX)
  chatted=$(mktemp /tmp/inyeon-drill-chat.XXXXXX.json)
  say "$((2 * (CHAT_PAIRS + LIKE_PAIRS))) people sign up through the public entry, confirm by mail, and $CHAT_PAIRS pairs match"
  people_prepare
  say "load through the public entry for 40 s (wrk, 8 connections, GET /api/users?limit=5) and $((2 * CHAT_PAIRS)) chat sockets,"
  say "each person sending every 4 s, $LIKE_PAIRS pairs liking each other; $victim killed with SIGKILL 10 s into it"
  people_chat 40 "$chatted" &
  local chat=$!
  # The load starts once the sockets are open (the client says so), so that the kill meets them.
  sleep 4
  wrk -t2 -c8 -d40s --timeout 5s -s scripts/drills/statuses.lua "http://$ADDRESS_LB/api/users?limit=5" >"$http_log" 2>&1 &
  local load=$!
  sleep 10
  killed=$(now)
  kill -KILL -- "-$(cat "$CLUSTER/run/$victim.pid")"
  within 30 "HAProxy taking $victim out" out_of_entry "$victim"
  say "HAProxy stopped sending to $victim $(since "$killed") s after the kill"
  wait "$load" || true
  say "load: $(load_summary "$http_log")"
  wait "$chat" || { say "FAILED: the chatting people did not finish"; exit 1; }
  say "checking every acknowledged message, like and match in the database:"
  local verified=0
  people_verify "$chatted" || verified=$?
  local back
  back=$(now)
  scripts/cluster.sh start-instance "$victim"
  within 60 "$victim ready" ready "$victim"
  say "$victim started again and ready in $(since "$back") s"
  rm -f "$http_log"
  ((verified == 0)) || { say "FAILED: acknowledged messages, likes or matches were lost or doubled"; exit 1; }
  say "PASSED"
}

inyeon_operator() { scripts/cluster.sh inyeon app1 "$@"; }

# When each instance's /api/flags shows aiInsights as `enabled` (true/false) after `change`: three
# pollers (every 20 ms, one per instance) run while the operator's command runs. The command is a
# new process that connects and commits; when it commits inside its run is not known, so each
# instance's time is given from the command's end (0 when it saw the change before the command
# returned), with the command's own duration.
until_every_instance_shows() { # enabled change...
  local enabled=$1 started ended app line="" folder pollers=()
  shift
  folder=$(mktemp -d /tmp/inyeon-drill-flags.XXXXXX)
  started=$(now)
  for app in app1 app2 app3; do
    (
      until curl -s --max-time 1 "http://$(address_of "$app"):3000/api/flags" | grep -q "\"aiInsights\":{\"enabled\":$enabled"; do
        (($(since "$started" | cut -d. -f1) < 10)) || exit 1
        sleep 0.02
      done
      now >"$folder/$app"
    ) &
    pollers+=($!)
  done
  inyeon_operator "$@" >/dev/null
  ended=$(now)
  # Only the pollers: a drill may have its load running in the background meanwhile.
  wait "${pollers[@]}" || true
  for app in app1 app2 app3; do
    [[ -s $folder/$app ]] || { say "FAILED: $app did not follow within 10 s"; exit 1; }
    line+=" $app $(awk -v s="$ended" -v e="$(cat "$folder/$app")" 'BEGIN { d = e - s; printf "%.2f", d < 0 ? 0 : d }') s,"
  done
  rm -rf "$folder"
  echo "${line# } after the command returned (which took $(awk -v s="$started" -v e="$ended" 'BEGIN { printf "%.1f", e - s }') s)"
}

# A flag switched on for everyone and rolled back (`inyeon flags set`, `inyeon flags reset`),
# each timed until every instance serves it.
flag_rollback() {
  say "FEATURE_AI_INSIGHTS on for everyone: seen by$(until_every_instance_shows true flags set FEATURE_AI_INSIGHTS true | sed 's/^/ /')"
  say "rolled back (flags reset): seen by$(until_every_instance_shows false flags reset FEATURE_AI_INSIGHTS | sed 's/^/ /')"
}

# The leader's host cut off the network (its link down) under writes through HAProxy: the majority
# elects another leader; the isolated one must stop taking writes (no split brain); every
# acknowledged write is on the new leader; after the link is back, the old leader follows and the
# audit chain verifies.
partition() {
  ensure_drill_database
  local old run written cut refused=""
  old=$(scripts/cluster.sh leader)
  [[ $(running_members) == 3 ]] || { say "the cluster is not whole (3 running members needed)"; exit 1; }
  run=partition-$(date +%s)
  written=$(mktemp /tmp/inyeon-drill.XXXXXX.json)
  say "leader $old; writes through HAProxy for 50 s, $old's link cut at 10 s"
  /usr/bin/python3 scripts/drills/acknowledged_writes.py write --dsn "$DSN_DRILL" --seconds 50 --run "$run" --out "$written" >/dev/null &
  local writer=$!
  sleep 10
  cut=$(now)
  # The link comes back however the drill ends.
  trap "ip link set iy-$old up 2>/dev/null || true" EXIT
  ip link set "iy-$old" down
  say "cut $old off the network"
  # The isolated leader, asked on its own host (its Unix socket): when does it stop taking writes?
  local local_dsn="host=$CLUSTER/$old/socket user=postgres dbname=drill"
  local isolated_acknowledged=0
  while [[ -z $refused ]]; do
    if in_host "$old" runuser -u postgres -- psql "$local_dsn" -tAc \
      "SET statement_timeout = '1s'; INSERT INTO drill_writes (run, number) VALUES ('$run-isolated', (extract(epoch from clock_timestamp()) * 1000)::bigint)" >/dev/null 2>&1; then
      isolated_acknowledged=$((isolated_acknowledged + 1))
    else
      refused=$(since "$cut")
    fi
    (($(since "$cut" | cut -d. -f1) < 90)) || { say "FAILED: the isolated leader still took writes 90 s after the cut"; exit 1; }
    sleep 0.5
  done
  say "the isolated $old took no write from $refused s after the cut ($isolated_acknowledged acknowledged there before; a commit waits for its synchronous standby, which it cannot reach)"
  local new=""
  within 90 "a new leader" new_leader "$old" >/dev/null
  new=$(scripts/cluster.sh leader)
  say "the majority promoted $new $(since "$cut") s after the cut"
  wait "$writer"
  /usr/bin/python3 -c 'import json, sys
w = json.load(open(sys.argv[1]))
gaps = [o["seconds"] for o in w["outages"] if o["seconds"] is not None]
print("drill: writes: %d attempted, %d acknowledged; writes failed for %.1f s" % (w["attempts"], len(w["acknowledged"]), max(gaps, default=0)))' "$written"
  /usr/bin/python3 scripts/drills/acknowledged_writes.py verify --dsn "$DSN_DRILL" --written "$written" | sed 's/^/drill: acknowledged writes on the new leader: /'
  local verified=${PIPESTATUS[0]}
  local back
  back=$(now)
  ip link set "iy-$old" up
  # Rejoined: three running members, and the old leader's own PostgreSQL in recovery (a replica).
  until [[ $(running_members 2>/dev/null) == 3 ]] && is_replica "$old"; do
    (($(since "$back" | cut -d. -f1) < 120)) || { say "$old did not rejoin within 120 s"; exit 1; }
    sleep 1
  done
  say "the link back: $old follows $new again, $(since "$back") s later"
  local isolated_kept chain
  isolated_kept=$(psql "$DSN_DRILL" -tAc "SELECT count(*) FROM drill_writes WHERE run = '$run-isolated'")
  say "writes tried on the isolated $old: acknowledged there $isolated_acknowledged (must be 0); unacknowledged ones found in the cluster's history now $isolated_kept (in doubt, allowed)"
  chain=$(inyeon_operator audit verify 2>&1 | tail -1)
  say "audit chain: $chain"
  rm -f "$written"
  [[ $verified == 0 && $isolated_acknowledged == 0 && $chain == *intact* ]] || { say "FAILED"; exit 1; }
  say "PASSED: one leader at a time, nothing acknowledged lost"
}

# The figures a restore must bring back: people, matches, messages and audit entries, the drill's
# acknowledged writes, and the moment they were read, in one snapshot.
snapshot() { # host
  psql "host=$1 port=${2:-5432} user=postgres password=$SUPERUSER_PASSWORD dbname=inyeon" -tAF' ' -c "
    SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US+00'),
           (SELECT count(*) FROM profiles), (SELECT count(*) FROM matches), (SELECT count(*) FROM messages),
           (SELECT count(*) FROM audit_log)"
}

# People signing up through the public entry (each an audit entry in the hash chain).
signups() { # count prefix
  # Each from an address of its own on the operator's side of the bridge, as people are (the
  # service limits sign-ups per address, and believes HAProxy's X-Forwarded-For).
  local i code address
  for i in $(seq 1 "$1"); do
    address=10.77.0.$((100 + (RANDOM % 150)))
    # `replace` is idempotent (a check through `ip addr show | grep -q` failed under pipefail once the
    # bridge had hundreds of addresses: grep's early exit gave `ip` a SIGPIPE).
    ip addr replace "$address/24" dev iybr0
    code=$(curl -s --interface "$address" -o /dev/null -w '%{http_code}' -X POST "http://$ADDRESS_LB/api/auth/signup" -H 'content-type: application/json' \
      -d "{\"email\":\"$2-$i@example.com\",\"password\":\"a long drill password $i\",\"name\":\"드릴\",\"consents\":{\"terms\":true,\"privacy\":true}}")
    [[ $code == 20[0-2] ]] || { say "a signup was answered $code"; exit 1; }
  done
}

# The restore goes into a fresh Patroni cluster of its own (scope `inyeon-restored`, on the same
# etcd): restore1 (10.77.0.40) bootstraps by restoring the repository with pgBackRest (Patroni's
# custom bootstrap), to a target, and leads; restore2 (10.77.0.41) then joins it as a replica,
# copied from restore1 by Patroni. It archives nowhere: the old stanza stays the old cluster's.
RESTORE_NODES=(restore1 restore2)
declare -A RESTORE_ADDRESS=([restore1]=10.77.0.40 [restore2]=10.77.0.41)

restored_leader_writable() {
  psql "host=10.77.0.40 user=postgres password=$SUPERUSER_PASSWORD dbname=postgres" -tAc "SELECT NOT pg_is_in_recovery()" 2>/dev/null | grep -q t
}

restored_replica_streaming() {
  curl -s --max-time 2 http://10.77.0.40:8008/cluster | /usr/bin/python3 -c 'import json,sys
members = json.load(sys.stdin)["members"]
sys.exit(0 if any(m["name"] == "restore2" and m["state"] in ("streaming", "running") and m["role"] != "leader" for m in members) else 1)' 2>/dev/null
}

# Inyeon on the restored cluster, stopped by the process id it wrote (setsid puts it in a session
# of its own, out of reach of the drill's background job), within 30 s.
restore_app_stop() {
  local pid
  pid=$(cat "$CLUSTER/restore-app/inyeon.pid" 2>/dev/null) || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  local tries=0
  while kill -0 "$pid" 2>/dev/null && ((tries++ < 300)); do sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

restore_cluster_down() {
  local node pid
  for node in "${RESTORE_NODES[@]}"; do
    if [[ -f $CLUSTER/run/patroni-$node.pid ]]; then
      pid=$(cat "$CLUSTER/run/patroni-$node.pid")
      kill -KILL -- "-$pid" 2>/dev/null || true
      rm -f "$CLUSTER/run/patroni-$node.pid"
    fi
    # Its PostgreSQL, should it have outlived Patroni.
    if [[ -f $CLUSTER/$node/data/postmaster.pid ]]; then
      kill -KILL "$(head -1 "$CLUSTER/$node/data/postmaster.pid")" 2>/dev/null || true
    fi
    scripts/cluster.sh remove-host "$node"
    rm -rf "${CLUSTER:?}/$node"
  done
  restore_app_stop
  # The restored cluster's keys, so that the next restore bootstraps anew.
  in_host db1 etcdctl --endpoints="http://$ADDRESS_DB1:2379" del --prefix /inyeon-restored/ >/dev/null 2>&1 || true
  rm -rf "$CLUSTER/restore-app"
}

# Patroni's settings for a node of the restored cluster, made from db1's (the same passwords: the
# roles come back with the data).
restore_node_configuration() { # node type [target]
  local node=$1 home=$CLUSTER/$1 address=${RESTORE_ADDRESS[$1]}
  /usr/bin/python3 - "$CLUSTER/db1/patroni.yml" "$home" "$node" "$address" "$CLUSTER" <<'PYEOF2'
import sys, yaml
source, home, node, address, cluster = sys.argv[1:6]
c = yaml.safe_load(open(source))
c["scope"], c["namespace"], c["name"] = "inyeon-restored", "/inyeon-restored/", node
c["restapi"] = {"listen": f"{address}:8008", "connect_address": f"{address}:8008"}
p = c["postgresql"]
p["listen"] = p["connect_address"] = f"{address}:5432"
p["data_dir"], p["pgpass"] = f"{home}/data", f"{home}/pgpass"
p["parameters"] = {"unix_socket_directories": f"{home}/socket"}
b = c["bootstrap"]
b.pop("initdb", None)
b.pop("post_bootstrap", None)
b["dcs"]["postgresql"]["parameters"]["archive_mode"] = "off"
b["dcs"]["postgresql"]["parameters"].pop("archive_timeout", None)
# Patroni's custom bootstrap: pgBackRest restores the repository, with its recovery settings kept.
b["method"] = "pgbackrest"
b["pgbackrest"] = {"command": f"{home}/restore.sh", "keep_existing_recovery_conf": True, "no_params": True}
yaml.safe_dump(c, open(f"{home}/patroni.yml", "w"), sort_keys=False)
PYEOF2
}

restore_into_fresh_cluster() { # type [target]
  restore_cluster_down
  local node home target=()
  [[ -n ${2:-} ]] && target=(--target="$2" --target-action=promote)
  for node in "${RESTORE_NODES[@]}"; do
    home=$CLUSTER/$node
    scripts/cluster.sh add-host "$node" "${RESTORE_ADDRESS[$node]}"
    mkdir -p "$home/data" "$home/socket" "$home/lock"
    sed -e "s|^pg1-path=.*|pg1-path=$home/data|" -e "s|^pg1-socket-path=.*|pg1-socket-path=$home/socket|" \
      -e "s|^lock-path=.*|lock-path=$home/lock|" "$CLUSTER/db1/pgbackrest.conf" >"$home/pgbackrest.conf"
    # The target's options only when there is a target (an empty word would be a command to pgBackRest).
    printf '#!/bin/sh\nexec pgbackrest --config=%s --stanza=inyeon --type=%s %s restore\n' \
      "$home/pgbackrest.conf" "$1" "${target[*]+$(printf '%q ' "${target[@]}")}" >"$home/restore.sh"
    chmod 755 "$home/restore.sh"
    restore_node_configuration "$node"
    chown -R postgres:postgres "$home"
    chmod 700 "$home/data"
  done
  ip netns exec iy-restore1 setsid runuser -u postgres -- patroni "$CLUSTER/restore1/patroni.yml" >>"$CLUSTER/log/patroni-restore1.log" 2>&1 </dev/null &
  echo $! >"$CLUSTER/run/patroni-restore1.pid"
  within 300 "the restored cluster's leader taking writes" restored_leader_writable
}

# The restored cluster's second node: Patroni copies it from the leader and it streams.
restore_replica_join() {
  ip netns exec iy-restore2 setsid runuser -u postgres -- patroni "$CLUSTER/restore2/patroni.yml" >>"$CLUSTER/log/patroni-restore2.log" 2>&1 </dev/null &
  echo $! >"$CLUSTER/run/patroni-restore2.pid"
  within 180 "restore2 streaming from restore1" restored_replica_streaming
}

disaster_recovery() {
  ensure_drill_database
  trap restore_cluster_down EXIT
  local leader_node conf started
  leader_node=$(scripts/cluster.sh leader)
  conf=$CLUSTER/$leader_node/pgbackrest.conf
  started=$(now)
  in_host "$leader_node" runuser -u postgres -- pgbackrest --config="$conf" --stanza=inyeon --type=full backup
  say "full backup from $leader_node in $(since "$started") s ($(du -sh "$CLUSTER/backup" | cut -f1) in the repository)"

  # Work after the backup: the point in time lies in the archived WAL, not in the backup.
  local run=dr-$(date +%s) before after
  before=$(mktemp /tmp/inyeon-drill.XXXXXX.json)
  after=$(mktemp /tmp/inyeon-drill.XXXXXX.json)
  /usr/bin/python3 scripts/drills/acknowledged_writes.py write --dsn "$DSN_DRILL" --seconds 10 --run "$run-before" --pace 0.01 --out "$before" >/dev/null
  signups 20 "$run-before"
  local point
  point=$(snapshot "$ADDRESS_LB" 5000)
  say "the point in time: $point (time, people, matches, messages, audit entries)"
  # Work after the point, which the restore must not bring back.
  /usr/bin/python3 scripts/drills/acknowledged_writes.py write --dsn "$DSN_DRILL" --seconds 5 --run "$run-after" --pace 0.01 --out "$after" >/dev/null
  signups 10 "$run-after"
  # Everything up to now archived (pgBackRest's check switches the WAL file and waits for it).
  in_host "$leader_node" runuser -u postgres -- pgbackrest --config="$conf" --stanza=inyeon check

  local restore_started
  restore_started=$(now)
  restore_into_fresh_cluster time "$(cut -d' ' -f1,2 <<<"$point")"
  say "a fresh Patroni cluster bootstrapped from the backup to the point in time; its leader took writes $(since "$restore_started") s after the start"
  local restored
  restored=$(snapshot 10.77.0.40)
  local expected_counts restored_counts
  expected_counts=$(cut -d' ' -f3- <<<"$point")
  restored_counts=$(cut -d' ' -f3- <<<"$restored")
  say "counts at the point: $expected_counts; restored: $restored_counts (people, matches, messages, audit entries)"
  local drill_dsn="host=10.77.0.40 user=postgres password=$SUPERUSER_PASSWORD dbname=drill"
  local before_check after_rows
  before_check=$(/usr/bin/python3 scripts/drills/acknowledged_writes.py verify --dsn "$drill_dsn" --written "$before")
  after_rows=$(psql "$drill_dsn" -tAc "SELECT count(*) FROM drill_writes WHERE run = '$run-after'")
  say "writes acknowledged before the point: $before_check; written after it, restored: $after_rows"

  # Inyeon on the restored database: ready, and the audit chain verifies.
  mkdir -p "$CLUSTER/restore-app"
  chown inyeon-cluster "$CLUSTER/restore-app"
  sed -E "s|@$ADDRESS_LB:500[01]/|@10.77.0.40:5432/|" "$CLUSTER/inyeon.env" >"$CLUSTER/restore-app/inyeon.env"
  chown root:inyeon-cluster "$CLUSTER/restore-app/inyeon.env"
  chmod 640 "$CLUSTER/restore-app/inyeon.env"
  local bundle_dir="$CLUSTER/app1/inyeon"
  in_host restore1 setsid runuser -u inyeon-cluster -- /bin/sh -c \
    "echo \$\$ >'$CLUSTER/restore-app/inyeon.pid'; set -a; . '$CLUSTER/restore-app/inyeon.env'; INYEON_DATA_DIR='$CLUSTER/restore-app'; exec '$bundle_dir/bin/inyeon' serve" \
    >"$CLUSTER/log/restore-app.log" 2>&1 </dev/null &
  local app=$!
  until curl -sf --max-time 1 http://10.77.0.40:3000/api/health/ready >/dev/null; do
    kill -0 "$app" 2>/dev/null || { say "Inyeon did not start on the restored database (log: $CLUSTER/log/restore-app.log)"; exit 1; }
    sleep 0.2
  done
  local rto
  rto=$(since "$restore_started")
  say "Inyeon ready on the restored database: recovery time (restore started to ready) $rto s"
  local chain
  chain=$(in_host restore1 runuser -u inyeon-cluster -- /bin/sh -c \
    "set -a; . '$CLUSTER/restore-app/inyeon.env'; INYEON_DATA_DIR='$CLUSTER/restore-app'; LOG_LEVEL=error; exec '$bundle_dir/bin/inyeon' audit verify" 2>&1 | tail -1)
  say "audit chain on the restored database: $chain"
  local joined
  joined=$(now)
  restore_replica_join
  say "restore2 joined the restored cluster as a replica, streaming $(since "$joined") s after its Patroni started"
  restore_app_stop
  wait "$app" 2>/dev/null || true

  # The recovery point: the whole cluster lost now, with no WAL switch forced: what the newest
  # archive holds against the newest acknowledged write.
  local lost_run=$run-lost lost
  lost=$(mktemp /tmp/inyeon-drill.XXXXXX.json)
  /usr/bin/python3 scripts/drills/acknowledged_writes.py write --dsn "$DSN_DRILL" --seconds 45 --run "$lost_run" --pace 0.01 --out "$lost" >/dev/null
  local last_acknowledged
  last_acknowledged=$(psql "$DSN_DRILL" -tAc "SELECT to_char(max(written_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM drill_writes WHERE run = '$lost_run'")
  restore_into_fresh_cluster default
  local newest_restored rpo
  newest_restored=$(psql "$drill_dsn" -tAc "SELECT coalesce(to_char(max(written_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), 'none') FROM drill_writes WHERE run = '$lost_run'")
  rpo=$(/usr/bin/python3 -c "import datetime as d,sys; f='%Y-%m-%d %H:%M:%S.%f'; a=d.datetime.strptime(sys.argv[1],f); b=sys.argv[2]; print('%.1f' % ((a - d.datetime.strptime(b,f)).total_seconds() if b != 'none' else float('nan')))" "$last_acknowledged" "$newest_restored")
  say "recovery point, the cluster lost with no WAL switch forced: newest acknowledged write $last_acknowledged, newest restored $newest_restored: $rpo s of writes lost (archive_timeout 30 s bounds it)"
  rm -f "$before" "$after" "$lost"
  [[ $expected_counts == "$restored_counts" && $after_rows == 0 && $chain == *intact* ]] || { say "FAILED"; exit 1; }
  say "PASSED"
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
  disaster-recovery) disaster_recovery ;;
  partition) partition ;;
  flag-rollback) flag_rollback ;;
  malformed-requests) /usr/bin/python3 scripts/drills/malformed_requests.py "$ADDRESS_LB" 80 ;;
  all)
    # Every drill in turn (about 10 minutes on two cores, besides the cluster's start).
    for drill in malformed-requests flag-rollback instance-kill rolling-deploy leader-kill partition disaster-recovery; do
      echo "== $drill"
      "$0" "$drill"
    done
    ;;
  rolling-deploy) shift; rolling_deploy "$@" ;;
  *) echo "usage: scripts/drill.sh all|leader-kill|instance-kill [APP]|partition|disaster-recovery|rolling-deploy [BUNDLE]|flag-rollback|malformed-requests" >&2; exit 2 ;;
esac
