#!/usr/bin/env bash
# Private PostgreSQL cluster for Inyeon development and tests (never the distro's 5432 cluster).
#
#   scripts/postgres.sh start DATA_DIR [PORT]   create (first time) and start; PORT defaults to 54329
#   scripts/postgres.sh stop  DATA_DIR          fast shutdown; fine if not running
#   scripts/postgres.sh env   DATA_DIR          print `export DATABASE_URL=... DATABASE_OWNER_URL=...`
#
# Layout: DATA_DIR/cluster (PGDATA), DATA_DIR/socket (unix socket, superuser access via trust),
# DATA_DIR/postgres.log, DATA_DIR/credentials.env (mode 600: port and the two role passwords).
# TCP listens on 127.0.0.1 only, with scram-sha-256. Only `env` writes to stdout.
# As root the server runs as the `postgres` user (initdb/postgres refuse root).
set -euo pipefail
umask 022 # intermediate dirs we create must stay traversable by the postgres user

die() { echo "postgres.sh: $*" >&2; exit 1; }
usage() { sed -n '4,6p' "$0" | sed 's/^# *//' >&2; exit 2; }
cmd=${1:-}; dir=${2:-}
[[ -n $cmd && -n $dir ]] || usage
case $cmd in start | stop | env) ;; *) usage ;; esac
[[ $cmd == start || $# -eq 2 ]] || usage
[[ -z ${3:-} || $3 =~ ^[0-9]+$ ]] || die "bad port: $3"
DATA=$(realpath -m -- "$dir") # absolute, so any cwd works
PGDATA=$DATA/cluster SOCK=$DATA/socket LOG=$DATA/postgres.log CREDS=$DATA/credentials.env
# postgresql.conf quoting and the ~107-byte unix socket path limit:
[[ $DATA != *[\'[:space:]]* ]] || die "DATA_DIR must not contain quotes or whitespace: $DATA"
((${#SOCK} <= 90)) || die "DATA_DIR path too long for a unix socket (max ~80 chars): $DATA"
if [[ $cmd == start ]]; then mkdir -p "$DATA"
elif [[ ! -d $DATA ]]; then [[ $cmd == stop ]] && exit 0; die "no such DATA_DIR: $DATA"; fi
SQL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/sql" && pwd)
cd / # the postgres user may not be able to read the caller's cwd

cred() { if [[ -f $CREDS ]]; then sed -n "s/^$1=//p" "$CREDS"; fi; }
if [[ $cmd == env ]]; then
  port=$(cred PORT) app=$(cred APP_PASSWORD) owner=$(cred OWNER_PASSWORD)
  [[ -n $port && -n $app && -n $owner ]] || die "no credentials in $CREDS; run: $0 start $DATA"
  echo "export DATABASE_URL=postgres://inyeon_app:$app@127.0.0.1:$port/inyeon"
  echo "export DATABASE_OWNER_URL=postgres://inyeon_owner:$owner@127.0.0.1:$port/inyeon"
  exit 0
fi

# Run a command as the cluster owner.
as_pg() {
  if ((EUID != 0)); then "$@"
  elif command -v runuser >/dev/null; then runuser -u postgres -- "$@"
  else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
}
is_server_bindir() { [[ -x $1/initdb && -x $1/pg_ctl && -x $1/postgres ]]; }
find_bindir() { # prints a bindir with server binaries, or nothing
  local d
  # An existing cluster must be run by its own major version (else pg_ctl start fails, log says why).
  if [[ -f $PGDATA/PG_VERSION ]] && is_server_bindir "/usr/lib/postgresql/$(<"$PGDATA/PG_VERSION")/bin"; then
    echo "/usr/lib/postgresql/$(<"$PGDATA/PG_VERSION")/bin"; return
  fi
  # Debian's pg_config (libpq-dev) may point at a client-only bindir, hence the check.
  d=$(pg_config --bindir 2>/dev/null || true)
  if [[ -n $d ]] && is_server_bindir "$d"; then echo "$d"; return; fi
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5,5 -V -r); do # highest first
    if is_server_bindir "$d"; then echo "$d"; return; fi
  done
  d=$(command -v initdb || true)
  if [[ -n $d ]]; then d=$(dirname "$(readlink -f "$d")"); is_server_bindir "$d" && echo "$d"; fi
  return 0
}

if [[ $cmd == stop ]]; then
  [[ -f $PGDATA/PG_VERSION ]] || exit 0 # no cluster, nothing to stop
  BIN=$(find_bindir); [[ -n $BIN ]] || die "no PostgreSQL server binaries found to stop $PGDATA"
  if as_pg "$BIN/pg_ctl" status -D "$PGDATA" >/dev/null 2>&1; then
    as_pg "$BIN/pg_ctl" stop -D "$PGDATA" -m fast -w >/dev/null
  fi
  exit 0
fi

# ---- start ----
# Serialise concurrent starts on one DATA_DIR. The server must not inherit fd 9 (see pg_ctl start).
exec 9>"$DATA/.lock"; flock -w 120 9 || die "timed out waiting for $DATA/.lock"

BIN=$(find_bindir)
if [[ -z $BIN ]]; then
  if ((EUID == 0)) && command -v apt-get >/dev/null; then
    echo "postgres.sh: no PostgreSQL server found; installing: apt-get install postgresql" >&2
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
    BIN=$(find_bindir)
  fi
  [[ -n $BIN ]] || die "install PostgreSQL 14+ server: apt-get install postgresql"
fi

if ((EUID == 0)); then
  getent passwd postgres >/dev/null || die "user 'postgres' missing (apt-get install postgresql creates it)"
  chown postgres: "$DATA"
  if ! as_pg test -w "$DATA"; then # find the ancestor that blocks the postgres user
    p=""; IFS=/ read -ra parts <<<"${DATA#/}"
    for c in "${parts[@]}"; do
      p+=/$c; as_pg test -x "$p" || die "user postgres cannot enter $p ($(stat -c '%U %a' "$p")); chmod o+x it or use another DATA_DIR"
    done
    die "user postgres cannot write $DATA"
  fi
fi

port=${3:-$(cred PORT)}; port=${port:-54329}

if [[ ! -f $PGDATA/PG_VERSION ]]; then
  mkdir -p "$PGDATA" "$SOCK"
  chmod 700 "$PGDATA" "$SOCK" # socket dir 700: local trust auth must not reach other users
  ((EUID != 0)) || chown postgres: "$PGDATA" "$SOCK"
  locale=C; locale -a 2>/dev/null | grep -qix 'C.utf-\?8' && locale=C.UTF-8
  as_pg "$BIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale="$locale" \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  cat >>"$PGDATA/postgresql.conf" <<EOF

# --- added by scripts/postgres.sh ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCK'
password_encryption = 'scram-sha-256'
EOF
fi

if as_pg "$BIN/pg_ctl" status -D "$PGDATA" >/dev/null 2>&1; then
  [[ -z ${3:-} || $3 == "$(cred PORT)" ]] || echo "postgres.sh: already running on port $(cred PORT); not restarting on $3" >&2
  exit 0
fi

# credentials.env: passwords are generated once; the port follows the latest start.
owner_pw=$(cred OWNER_PASSWORD) app_pw=$(cred APP_PASSWORD)
[[ -n $owner_pw ]] || owner_pw=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
[[ -n $app_pw ]] || app_pw=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
(umask 077; printf 'PORT=%s\nOWNER_PASSWORD=%s\nAPP_PASSWORD=%s\n' "$port" "$owner_pw" "$app_pw" >"$CREDS.tmp")
mv "$CREDS.tmp" "$CREDS"

if ! as_pg "$BIN/pg_ctl" start -D "$PGDATA" -l "$LOG" -w -t 60 -o "-p $port" >/dev/null 9>&-; then
  echo "postgres.sh: server failed to start; tail of $LOG:" >&2
  tail -n 25 "$LOG" >&2 || true
  exit 1
fi

psql_su() { "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$port" -U postgres "$@"; }
done_q="select (select count(*) from pg_roles where rolname in ('inyeon_owner','inyeon_app'))"
done_q+=" + (select count(*) from pg_database where datname='inyeon')"
if [[ $(psql_su -d postgres -tAc "$done_q") == 3 ]] &&
  [[ $(psql_su -d inyeon -tAc "select nspowner::regrole from pg_namespace where nspname='public'") == inyeon_owner ]]; then
  exit 0 # already provisioned
fi
# Idempotent provisioning; passwords go through stdin (not argv, visible in ps).
{
  printf '%s\n' "\\set owner_pw '$owner_pw'" "\\set app_pw '$app_pw'"
  cat "$SQL_DIR/provision-database.sql"
} | psql_su -d postgres >/dev/null
