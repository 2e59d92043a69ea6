#!/usr/bin/env bash
# The production topology on this one machine, each host a network namespace joined to one switch
# (a Linux bridge) by its own veth link, so that what crosses the network really crosses it and a
# link can be cut:
#
#   iy-db1 10.77.0.11   etcd, Patroni, PostgreSQL 15     (the three form the etcd cluster and the
#   iy-db2 10.77.0.12   etcd, Patroni, PostgreSQL 15      Patroni cluster `inyeon`: one leader,
#   iy-db3 10.77.0.13   etcd, Patroni, PostgreSQL 15      one synchronous and one async replica)
#   iy-lb  10.77.0.20   HAProxy: :80 the public entry to the instances (health-checked on
#                       /api/health/ready, WebSockets), :5000 writes to the Patroni leader, :5001
#                       reads from the replicas, :7000 its statistics page
#   iy-app1..3 10.77.0.31-33   Inyeon (the release bundle), :3000, through :5000
#   the bridge itself, 10.77.0.1: this machine, where the operator and the drills stand
#
# pgBackRest archives every WAL segment from whichever node leads into one repository
# ($CLUSTER/backup, a directory every host sees, as a mounted backup volume would be).
#
#   scripts/cluster.sh up        install what is missing (Debian's packages), start it all, wait
#                                until the leader takes writes and the instances are ready
#   scripts/cluster.sh down      stop everything it started and remove the hosts and their data
#   scripts/cluster.sh status    the hosts, the Patroni members, HAProxy's view, the instances
#   scripts/cluster.sh deploy [BUNDLE]   a rolling deploy of a release bundle (default: the newest)
#   scripts/cluster.sh inyeon app1 ARGS  an operator command on an instance's host (flags, audit verify)
#   scripts/cluster.sh env       the addresses and secrets, as shell variables, for drills
#   scripts/cluster.sh check     validate the configuration it writes, without starting anything
#
# Everything lives under $INYEON_CLUSTER_DIR (default /var/lib/inyeon-cluster). Root is needed
# (namespaces, the bridge); PostgreSQL, Patroni and etcd run as the `postgres` user.
set -euo pipefail
cd "$(dirname "$0")/.."
PROJECT=$PWD
CLUSTER=${INYEON_CLUSTER_DIR:-/var/lib/inyeon-cluster}
BRIDGE=iybr0
SUBNET=10.77.0
DB_NODES=(db1 db2 db3)
APP_NODES=(app1 app2 app3)
PG_BIN=/usr/lib/postgresql/15/bin
declare -A ADDRESS=([db1]=$SUBNET.11 [db2]=$SUBNET.12 [db3]=$SUBNET.13 [lb]=$SUBNET.20 [app1]=$SUBNET.31 [app2]=$SUBNET.32 [app3]=$SUBNET.33)

log() { echo "cluster: $*" >&2; }
fail() { log "$*"; exit 1; }
in_host() { local host=$1; shift; ip netns exec "iy-$host" "$@"; }

require_packages() {
  local missing=()
  command -v patroni >/dev/null || missing+=(patroni python3-psycopg2)
  # The drills' clients (scripts/drills): PostgreSQL and the chat's WebSockets from Debian's Python.
  /usr/bin/python3 -c 'import psycopg2, websockets' 2>/dev/null || missing+=(python3-psycopg2 python3-websockets)
  command -v etcd >/dev/null || missing+=(etcd-server)
  command -v etcdctl >/dev/null || missing+=(etcd-client)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v pgbackrest >/dev/null || missing+=(pgbackrest)
  [[ -x $PG_BIN/postgres ]] || missing+=(postgresql-15)
  command -v curl >/dev/null || missing+=(curl)
  command -v ip >/dev/null || missing+=(iproute2)
  ((${#missing[@]} == 0)) && return
  log "installing ${missing[*]} (Debian's packages)"
  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; }) >/dev/null
  # The packages' own services are not wanted: everything here runs in the namespaces.
  for service in etcd haproxy patroni; do
    if [[ -x /etc/init.d/$service ]]; then /etc/init.d/"$service" stop >/dev/null 2>&1 || true; fi
  done
}

secret() { head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 40; }

# Secrets are made once per cluster and kept (mode 600) in $CLUSTER/secrets.env.
make_secrets() {
  [[ -f $CLUSTER/secrets.env ]] && return
  umask 077
  cat >"$CLUSTER/secrets.env" <<EOF
SUPERUSER_PASSWORD=$(secret)
REPLICATION_PASSWORD=$(secret)
REWIND_PASSWORD=$(secret)
OWNER_PASSWORD=$(secret)
APP_PASSWORD=$(secret)
JWT_SECRET=$(secret)$(secret)
DATA_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)
EOF
  umask 022
}

# A HAProxy port onto the database nodes whose Patroni answers 200 on CHECK (/primary, /replica).
# Connections to a node that stops passing are cut, so clients reconnect to the one that does.
database_port() { # name port check comment
  local node
  echo "# $4"
  echo "listen $1"
  echo "    mode tcp"
  echo "    bind ${ADDRESS[lb]}:$2"
  echo "    balance roundrobin"
  echo "    timeout client 30m"
  echo "    timeout server 30m"
  echo "    option httpchk GET $3"
  echo "    http-check expect status 200"
  echo "    default-server inter 1s fall 2 rise 2 on-marked-down shutdown-sessions"
  for node in "${DB_NODES[@]}"; do echo "    server $node ${ADDRESS[$node]}:5432 check port 8008"; done
}

write_configuration() {
  mkdir -p "$CLUSTER"/{backup,log,run}
  make_secrets
  # shellcheck disable=SC1091
  source "$CLUSTER/secrets.env"
  local initial_cluster="" node
  for node in "${DB_NODES[@]}"; do initial_cluster+="${initial_cluster:+,}$node=http://${ADDRESS[$node]}:2380"; done
  local etcd_hosts="${ADDRESS[db1]}:2379,${ADDRESS[db2]}:2379,${ADDRESS[db3]}:2379"

  cp "$PROJECT/scripts/sql/provision-database.sql" "$CLUSTER/provision-database.sql"
  cat >"$CLUSTER/post-bootstrap.sh" <<'EOF'
#!/bin/sh
# Run once by Patroni on the first leader: the service's two roles and its database, as
# scripts/postgres.sh makes them for a single server (the passwords on standard input).
set -e
. "$(dirname "$0")/secrets.env"
{
  printf '%s\n' "\\set owner_pw '$OWNER_PASSWORD'" "\\set app_pw '$APP_PASSWORD'"
  cat "$(dirname "$0")/provision-database.sql"
} | psql -X -q -v ON_ERROR_STOP=1 "$1" >/dev/null
EOF
  chmod 755 "$CLUSTER/post-bootstrap.sh"

  for node in "${DB_NODES[@]}"; do
    local address=${ADDRESS[$node]} home=$CLUSTER/$node
    mkdir -p "$home"/{socket,etcd,pgbackrest}
    cat >"$home/pgbackrest.conf" <<EOF
[global]
repo1-path=$CLUSTER/backup
repo1-retention-full=2
start-fast=y
archive-async=n
log-path=$CLUSTER/log
lock-path=$home/pgbackrest
log-level-console=warn
log-level-file=info

[inyeon]
pg1-path=$home/data
pg1-socket-path=$home/socket
pg1-port=5432
pg1-user=postgres
EOF
    cat >"$home/patroni.yml" <<EOF
scope: inyeon
namespace: /inyeon/
name: $node
log:
  level: WARNING
restapi:
  listen: $address:8008
  connect_address: $address:8008
etcd3:
  hosts: $etcd_hosts
bootstrap:
  dcs:
    # A leader that stops renewing its key for ttl seconds loses it; a replica is promoted then.
    ttl: 20
    loop_wait: 2
    retry_timeout: 5
    maximum_lag_on_failover: 1048576
    # Acknowledged writes (chat messages, likes, the audit chain) are on a second node before
    # the client hears of them, and Patroni promotes only that node.
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        max_connections: 200
        archive_mode: "on"
        archive_timeout: 30
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - data-checksums
  post_bootstrap: $CLUSTER/post-bootstrap.sh
postgresql:
  listen: $address:5432
  connect_address: $address:5432
  data_dir: $home/data
  bin_dir: $PG_BIN
  pgpass: $home/pgpass
  # A new replica copies the leader at once (a fast checkpoint, not one spread over minutes).
  basebackup:
    - checkpoint: fast
  authentication:
    superuser: {username: postgres, password: "$SUPERUSER_PASSWORD"}
    replication: {username: replicator, password: "$REPLICATION_PASSWORD"}
    rewind: {username: rewinder, password: "$REWIND_PASSWORD"}
  parameters:
    unix_socket_directories: $home/socket
    archive_command: pgbackrest --config=$home/pgbackrest.conf --stanza=inyeon archive-push %p
    restore_command: pgbackrest --config=$home/pgbackrest.conf --stanza=inyeon archive-get %f "%p"
  pg_hba:
    - local all all trust
    - host replication replicator $SUBNET.0/24 scram-sha-256
    - host all all $SUBNET.0/24 scram-sha-256
    - host all all 127.0.0.1/32 scram-sha-256
tags:
  nofailover: false
  noloadbalance: false
EOF
    cat >"$home/etcd.env" <<EOF
ETCD_NAME=$node
ETCD_DATA_DIR=$home/etcd
ETCD_LISTEN_CLIENT_URLS=http://$address:2379,http://127.0.0.1:2379
ETCD_ADVERTISE_CLIENT_URLS=http://$address:2379
ETCD_LISTEN_PEER_URLS=http://$address:2380
ETCD_INITIAL_ADVERTISE_PEER_URLS=http://$address:2380
ETCD_INITIAL_CLUSTER=$initial_cluster
ETCD_INITIAL_CLUSTER_STATE=new
ETCD_INITIAL_CLUSTER_TOKEN=inyeon
ETCD_ENABLE_V2=false
ETCD_HEARTBEAT_INTERVAL=100
ETCD_ELECTION_TIMEOUT=1000
EOF
    chown -R postgres:postgres "$home"
    chmod 700 "$home"
  done

  local apps=""; for node in "${APP_NODES[@]}"; do
    apps+="    server $node ${ADDRESS[$node]}:3000 check"$'\n'
  done
  cat >"$CLUSTER/haproxy.cfg" <<EOF
global
    maxconn 4000
    log stdout format raw local0 warning

defaults
    log global
    timeout connect 3s
    timeout check 2s
    retries 3

# The public entry: HTTP and the chat's WebSockets to the three instances. Each is asked
# /api/health/ready every second; one that fails twice (stopping, its database read-only or
# gone) gets no new requests, and an idempotent request that meets a dead one is retried on another.
# A request that does not parse (a garbage request line, Content-Length: -1) is answered 400, one
# that does not arrive whole within 10 s is answered 408: neither reaches an instance.
frontend public
    mode http
    bind ${ADDRESS[lb]}:80
    option httplog
    option forwardfor
    timeout client 60s
    timeout http-request 10s
    timeout http-keep-alive 10s
    http-request deny deny_status 400 if { req.hdr_cnt(content-length) gt 1 }
    use_backend instances if { nbsrv(instances) gt 0 }
    default_backend instances_alive

backend instances
    mode http
    balance roundrobin
    option httpchk GET /api/health/ready
    http-check expect status 200
    # An instance taken out finishes what it is answering (its own drain closes its sockets).
    default-server inter 1s fall 2 rise 2
    option redispatch
    retry-on conn-failure empty-response response-timeout 502 503
    timeout server 60s
    timeout tunnel 1h
$apps
# When no instance is ready (the database is failing over, say), those alive still answer: the
# service's own 503 in its JSON envelope for what needs the database, and what does not, served.
backend instances_alive
    mode http
    balance roundrobin
    option httpchk GET /ping
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
    timeout server 60s
    timeout tunnel 1h
$apps
$(database_port primary 5000 /primary "Writes: whichever node Patroni says leads (its REST API answers 200 on /primary only there).")
$(database_port replicas 5001 /replica "Reads that may lag a little (the recommendation engine's whole-table training): the replicas.")
listen statistics
    mode http
    bind ${ADDRESS[lb]}:7000
    timeout client 30s
    timeout server 30s
    stats enable
    stats uri /
    stats refresh 2s
EOF

  cat >"$CLUSTER/inyeon.env" <<EOF
APP_ENV=production
HOST=0.0.0.0
PORT=3000
DATABASE_URL=postgres://inyeon_app:$APP_PASSWORD@${ADDRESS[lb]}:5000/inyeon?sslmode=disable
DATABASE_OWNER_URL=postgres://inyeon_owner:$OWNER_PASSWORD@${ADDRESS[lb]}:5000/inyeon?sslmode=disable
# The recommendation engine's whole-table training reads: the replicas.
DATABASE_READ_URL=postgres://inyeon_app:$APP_PASSWORD@${ADDRESS[lb]}:5001/inyeon?sslmode=disable
JWT_SECRET=$JWT_SECRET
DATA_ENCRYPTION_KEY=$DATA_ENCRYPTION_KEY
TRUST_PROXY=true
TRUSTED_PROXIES=${ADDRESS[lb]}
# Every connection comes from HAProxy's one address: the per-address cap is its, not a person's.
MAX_CONNECTIONS_PER_ADDRESS=4000
PUBLIC_BASE_URL=http://${ADDRESS[lb]}
SEED_DEMO_DATA=true
LOG_LEVEL=warning
EOF
  # Readable by the instances' user (the file, not their command lines, carries the secrets) and
  # by postgres for the roles' passwords (post-bootstrap.sh).
  chown root:inyeon-cluster "$CLUSTER/inyeon.env"
  chmod 640 "$CLUSTER/inyeon.env"
  chown root:postgres "$CLUSTER/secrets.env"
  chmod 640 "$CLUSTER/secrets.env"
}

check_configuration() {
  require_packages
  local scratch
  scratch=$(mktemp -d)
  INYEON_CLUSTER_DIR=$scratch write_configuration_only
  haproxy -c -f "$scratch/haproxy.cfg" >/dev/null || fail "haproxy.cfg is not valid"
  # Patroni's validator also tries the addresses, which belong to hosts that do not exist yet (their
  # ports "in use"), and notes pg_hba given under postgresql rather than bootstrap: anything else fails.
  local problems
  for node in "${DB_NODES[@]}"; do
    problems=$(patroni --validate-config "$scratch/$node/patroni.yml" 2>&1 |
      grep -v -e "is already in use" -e "bootstrap.pg_hba  *is not defined" || true)
    [[ -z $problems ]] || { echo "$problems" >&2; fail "$node/patroni.yml is not valid"; }
  done
  # The release's systemd unit: every line understood (systemd-analyze prints what it ignores).
  local checked="haproxy.cfg, patroni.yml of ${DB_NODES[*]}"
  if command -v systemd-analyze >/dev/null; then
    sed 's|^ExecStart=.*|ExecStart=/bin/true|' "$PROJECT/deploy/systemd/inyeon.service" >"$scratch/inyeon.service"
    problems=$(systemd-analyze verify "$scratch/inyeon.service" 2>&1 || true)
    [[ -z $problems ]] || { echo "$problems" >&2; fail "deploy/systemd/inyeon.service is not valid"; }
    checked+=", deploy/systemd/inyeon.service"
  fi
  rm -rf "$scratch"
  log "configuration valid: $checked"
}

# --- hosts -----------------------------------------------------------------------------------

# One host: a namespace joined to the bridge by its own veth link (the bridge side named iy-NAME,
# which `ip link set iy-NAME down` cuts).
add_host() { # name address
  local host=$1 address=$2
  ip netns list | grep -qw "iy-$host" && return
  ip netns add "iy-$host"
  # A veth of the same name may outlive a namespace just removed, for a moment.
  ip link delete "iy-$host" 2>/dev/null || true
  ip link add "iy-$host" type veth peer name eth0 netns "iy-$host"
  ip link set "iy-$host" master "$BRIDGE" up
  in_host "$host" ip addr replace "$address/24" dev eth0
  in_host "$host" ip link set eth0 up
  in_host "$host" ip link set lo up
  in_host "$host" ip route add default via "$SUBNET.1"
}

remove_host() {
  # Tolerant: a namespace whose file is already gone (a second removal) is removed.
  if ip netns list | grep -qw "iy-$1"; then ip netns delete "iy-$1" 2>/dev/null || true; fi
  # Its veth goes with the namespace, a moment later: wait for it (at most 5 s), so that a host of
  # the same name can be made at once.
  ip link delete "iy-$1" 2>/dev/null || true
  local tries=0
  while ip link show "iy-$1" >/dev/null 2>&1 && ((tries++ < 50)); do sleep 0.1; done
}

make_hosts() {
  ip link show "$BRIDGE" >/dev/null 2>&1 || {
    ip link add "$BRIDGE" type bridge
    ip addr add "$SUBNET.1/24" dev "$BRIDGE"
    ip link set "$BRIDGE" up
  }
  local host
  for host in "${DB_NODES[@]}" lb "${APP_NODES[@]}"; do add_host "$host" "${ADDRESS[$host]}"; done
}

remove_hosts() {
  local host
  for host in "${DB_NODES[@]}" lb "${APP_NODES[@]}"; do remove_host "$host"; done
  ip link delete "$BRIDGE" 2>/dev/null || true
}

# Starts a long-running process in a host, as a user, logging to $CLUSTER/log/NAME.log, its
# process id in $CLUSTER/run/NAME.pid (the drills kill it by that id).
start_process() {
  local name=$1 host=$2 user=$3; shift 3
  if [[ -f $CLUSTER/run/$name.pid ]] && kill -0 "$(cat "$CLUSTER/run/$name.pid")" 2>/dev/null; then return; fi
  touch "$CLUSTER/log/$name.log"
  chown "$user" "$CLUSTER/log/$name.log"
  ip netns exec "iy-$host" setsid runuser -u "$user" -- "$@" >>"$CLUSTER/log/$name.log" 2>&1 </dev/null &
  echo $! >"$CLUSTER/run/$name.pid"
}

stop_process() {
  local name=$1 signal=${2:-TERM} pid
  [[ -f $CLUSTER/run/$name.pid ]] || return 0
  pid=$(cat "$CLUSTER/run/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    # The whole session: runuser, and what it started (Patroni's postgres, say).
    kill -"$signal" -- "-$pid" 2>/dev/null || kill -"$signal" "$pid" 2>/dev/null || true
    # As systemd would (TimeoutStopSec=30): the drain first, then SIGKILL.
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$CLUSTER/run/$name.pid"
}

wait_for() {
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "$what did not happen within $seconds s (logs: $CLUSTER/log/)"
    sleep 0.5
  done
}

leader() {
  # The node whose Patroni answers 200 on /primary: only the one holding the leader lock does (what
  # HAProxy asks too). A node's /cluster view can be stale: an old leader just reconnected after a
  # partition still names itself for a moment.
  local node
  for node in "${DB_NODES[@]}"; do
    if curl -sf --max-time 2 -o /dev/null "http://${ADDRESS[$node]}:8008/primary" 2>/dev/null; then
      echo "$node"
      return 0
    fi
  done
  return 1
}

writable_through_haproxy() {
  # shellcheck disable=SC1091
  source "$CLUSTER/secrets.env"
  PGPASSWORD=$OWNER_PASSWORD PGCONNECT_TIMEOUT=2 psql -h "${ADDRESS[lb]}" -p 5000 -U inyeon_owner -d inyeon -tAc "SELECT NOT pg_is_in_recovery()" | grep -q t
}

# The release bundle the instances run: INYEON_BUNDLE, else the newest one built, else one built now.
bundle() {
  local found=${INYEON_BUNDLE:-}
  [[ -z $found ]] && found=$(ls -dt "$PROJECT"/.build-release/inyeon-*/ 2>/dev/null | head -1)
  if [[ -z $found ]]; then
    log "no release bundle yet: building one (scripts/release.sh build)"
    "$PROJECT/scripts/release.sh" build >&2
    found=$(ls -dt "$PROJECT"/.build-release/inyeon-*/ | head -1)
  fi
  echo "${found%/}"
}

start_instance() {
  local node=$1 from=${2:-$(bundle)}
  mkdir -p "$CLUSTER/$node"
  rm -rf "$CLUSTER/$node/inyeon"
  cp -a "$from" "$CLUSTER/$node/inyeon"
  chown -R inyeon-cluster "$CLUSTER/$node"
  start_process "$node" "$node" inyeon-cluster /bin/sh -c \
    "set -a; . '$CLUSTER/inyeon.env'; INYEON_DATA_DIR='$CLUSTER/$node'; exec '$CLUSTER/$node/inyeon/bin/inyeon' serve"
}

# The bundle's `inyeon` on an instance's host, as the instances' user, with their settings: the
# operator commands (`flags set`, `audit verify`...) against the cluster.
inyeon_on() { # host args...
  local host=$1
  shift
  ip netns exec "iy-$host" runuser -u inyeon-cluster -- /bin/sh -c \
    "set -a; . '$CLUSTER/inyeon.env'; INYEON_DATA_DIR='$CLUSTER/$host'; LOG_LEVEL=error; exec '$CLUSTER/$host/inyeon/bin/inyeon' $*"
}

instance_ready() { curl -sf --max-time 2 "http://${ADDRESS[$1]}:3000/api/health/ready" >/dev/null; }

# HAProxy's state of an instance in the public backend (UP, DOWN, MAINT...).
entry_state() {
  curl -s --max-time 2 "http://${ADDRESS[lb]}:7000/;csv" | awk -F, -v server="$1" '$1 == "instances" && $2 == server { print $18 }'
}
entry_up() { [[ $(entry_state "$1") == UP ]]; }

# A rolling deploy: one instance at a time is stopped (SIGTERM: it reports not-ready, HAProxy takes
# it out, it finishes what it was doing), started from the new bundle, and waited for until HAProxy
# sends to it again; then the next.
deploy() {
  local from=${1:-$(bundle)} node started
  from=${from%/}
  [[ -x $from/bin/inyeon ]] || fail "no bundle at $from"
  log "deploying $(cat "$from/bin/VERSION") to ${APP_NODES[*]}, one at a time"
  for node in "${APP_NODES[@]}"; do
    started=$SECONDS
    stop_process "$node" TERM
    start_instance "$node" "$from"
    wait_for "$node ready" 120 instance_ready "$node"
    wait_for "HAProxy sending to $node" 30 entry_up "$node"
    log "$node: $(curl -s "http://${ADDRESS[$node]}:3000/api/health" | sed -n 's/.*"version":"\([^"]*\)".*/\1/p') serving, $((SECONDS - started)) s"
  done
}

up() {
  [[ $(id -u) == 0 ]] || fail "run as root (network namespaces)"
  require_packages
  id inyeon-cluster >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin inyeon-cluster
  mkdir -p "$CLUSTER"
  chmod 755 "$CLUSTER"
  write_configuration
  chown postgres "$CLUSTER/backup" "$CLUSTER/log"
  make_hosts
  local node started=$SECONDS
  for node in "${DB_NODES[@]}"; do
    start_process "etcd-$node" "$node" postgres /usr/bin/env $(cat "$CLUSTER/$node/etcd.env") etcd
  done
  wait_for "etcd's quorum" 30 in_host db1 etcdctl --endpoints="http://${ADDRESS[db1]}:2379" endpoint health
  for node in "${DB_NODES[@]}"; do
    start_process "patroni-$node" "$node" postgres patroni "$CLUSTER/$node/patroni.yml"
  done
  wait_for "a Patroni leader" 90 leader
  start_process haproxy lb root haproxy -W -db -f "$CLUSTER/haproxy.cfg"
  wait_for "writes through HAProxy" 60 writable_through_haproxy
  local first
  first=$(leader)
  if [[ ! -f $CLUSTER/backup/.stanza ]]; then
    in_host "$first" runuser -u postgres -- pgbackrest --config="$CLUSTER/$first/pgbackrest.conf" --stanza=inyeon stanza-create
    touch "$CLUSTER/backup/.stanza"
  fi
  # The instances: the first migrates and stores the demo people, then the others start.
  start_instance app1
  wait_for "app1 ready" 180 instance_ready app1
  start_instance app2
  start_instance app3
  wait_for "app2 ready" 60 instance_ready app2
  wait_for "app3 ready" 60 instance_ready app3
  wait_for "HAProxy's entry" 30 curl -sf --max-time 2 "http://${ADDRESS[lb]}/api/health/ready"
  log "up in $((SECONDS - started)) s: leader $first; entry http://${ADDRESS[lb]}/ ; HAProxy statistics http://${ADDRESS[lb]}:7000/"
}

down() {
  local node
  for node in "${APP_NODES[@]}"; do stop_process "$node"; done
  stop_process haproxy
  for node in "${DB_NODES[@]}"; do stop_process "patroni-$node"; done
  for node in "${DB_NODES[@]}"; do stop_process "etcd-$node"; done
  # A postgres that outlived its Patroni (killed by a drill) is found by its data directory.
  for node in "${DB_NODES[@]}"; do
    if [[ -f $CLUSTER/$node/data/postmaster.pid ]]; then
      local pid
      pid=$(head -1 "$CLUSTER/$node/data/postmaster.pid")
      [[ $(cat /proc/"$pid"/cmdline 2>/dev/null | tr '\0' ' ') == *"$CLUSTER/$node/data"* ]] && kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  remove_hosts
  [[ ${1:-} == --keep-data ]] || rm -rf "$CLUSTER"
  log "down"
}

status() {
  ip link show "$BRIDGE" >/dev/null 2>&1 || { echo "the cluster is not up"; return 0; }
  echo "hosts: $(ip netns list | grep -o 'iy-[a-z0-9]*' | sort | tr '\n' ' ')"
  local node
  for node in "${DB_NODES[@]}"; do
    if curl -sf --max-time 1 "http://${ADDRESS[$node]}:8008/cluster" >/tmp/inyeon-cluster-members.json 2>/dev/null; then
      python3 -c 'import json
for m in json.load(open("/tmp/inyeon-cluster-members.json"))["members"]:
    print("  %-4s %-14s %-9s %-10s lag %s" % (m["name"], m.get("host",""), m["role"], m["state"], m.get("lag", "-")))'
      break
    fi
  done
  echo "HAProxy:"
  curl -s --max-time 2 "http://${ADDRESS[lb]}:7000/;csv" |
    awk -F, 'NR > 1 && $2 != "FRONTEND" && $2 != "BACKEND" { printf "  %-15s %-6s %s\n", $1, $2, $18 }'
  echo "instances:"
  for node in "${APP_NODES[@]}"; do
    local code
    code=$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://${ADDRESS[$node]}:3000/api/health/ready" || true)
    printf '  %-5s %s\n' "$node" "$([[ $code == 200 ]] && echo ready || { [[ $code == 000 ]] && echo down || echo "not ready ($code)"; })"
  done
}

write_configuration_only() {
  CLUSTER=$INYEON_CLUSTER_DIR
  id inyeon-cluster >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin inyeon-cluster
  write_configuration
}

case ${1:-} in
  up) up ;;
  down) shift; down "$@" ;;
  status) status ;;
  env)
    echo "CLUSTER=$CLUSTER"
    for host in "${!ADDRESS[@]}"; do echo "ADDRESS_${host^^}=${ADDRESS[$host]}"; done
    cat "$CLUSTER/secrets.env"
    ;;
  check) check_configuration ;;
  start-instance) shift; start_instance "$@" ;;
  deploy) shift; deploy "$@" ;;
  inyeon) shift; inyeon_on "$@" ;;
  add-host) shift; add_host "$@" ;;
  remove-host) shift; remove_host "$@" ;;
  stop-instance) shift; stop_process "$1" "${2:-TERM}" ;;
  leader) leader ;;
  restart-database)
    shift
    # Only if this node's Patroni is not running (found by its configuration file's path).
    if ! pgrep -f "patroni $CLUSTER/$1/patroni.yml" >/dev/null; then
      rm -f "$CLUSTER/run/patroni-$1.pid"
      start_process "patroni-$1" "$1" postgres patroni "$CLUSTER/$1/patroni.yml"
    fi
    ;;
  *) echo "usage: scripts/cluster.sh up|down|status|env|check" >&2; exit 2 ;;
esac
