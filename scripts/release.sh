#!/usr/bin/env bash
# `make release`: a relocatable bundle of the service, and the proof that it runs on a bare Debian.
#
#   scripts/release.sh build             build it (release, Swift's runtime linked in statically) into
#                                        .build-release/inyeon-VERSION/ and a .tar.gz beside it
#   scripts/release.sh verify [BUNDLE]   start the bundle on a fresh Debian root made by debootstrap
#                                        that has only the packages the bundle lists, against a
#                                        PostgreSQL of this machine, and check it serves and is ready
#
# The bundle:
#   bin/inyeon                           the service and its operator commands
#   bin/inyeon_*.resources/              pages, styles and data of each module, found beside the executable
#   bin/VERSION                          the version stamp (`inyeon --version`, /api/health)
#   SYSTEM-PACKAGES                      the Debian packages of the libraries it loads (libc, libvips...)
#   deploy/                              the systemd unit and the Containerfile
# It has no paths of the machine that built it: unpack it anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
command=${1:-build}
scratch=.build-release

build() {
  scripts/require-swift.sh
  swift build -c release --static-swift-stdlib --product inyeon --scratch-path "$scratch"
  local bin package version bundle
  bin=$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)
  package=$(sed -n 's/.*static let package = "\(.*\)".*/\1/p' Sources/InyeonService/Release/BuildVersion.swift)
  version="$package+$(date -u +%Y%m%d).$(git rev-parse --short=10 HEAD)"
  git diff --quiet HEAD -- Sources Package.swift || version+=".modified"
  bundle=$scratch/inyeon-$version
  rm -rf "$bundle"
  mkdir -p "$bundle/bin" "$bundle/deploy"
  # The debugging information (most of the file's size) goes beside the bundle, linked by name, for
  # reading a crash; the bundle carries the symbols a backtrace needs.
  objcopy --only-keep-debug "$bin/inyeon" "$bundle.debug"
  objcopy --strip-debug --add-gnu-debuglink="$bundle.debug" "$bin/inyeon" "$bundle/bin/inyeon"
  # Every module's resources (each found beside the executable: not at the build's own path, which
  # only this machine has).
  local resources
  for resources in "$bin"/inyeon_*.resources; do cp -R "$resources" "$bundle/bin/"; done
  echo "$version" >"$bundle/bin/VERSION"
  cp deploy/systemd/inyeon.service deploy/Containerfile "$bundle/deploy/"
  # The packages of the libraries the executable names (their own dependencies come with them).
  local library path
  for library in $(readelf -d "$bundle/bin/inyeon" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    # `libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (...)`, or the loader's `/lib64/ld-linux-x86-64.so.2 (...)`.
    path=$(ldd "$bundle/bin/inyeon" | awk -v lib="$library" '$1 == lib && $2 == "=>" { print $3 } $1 ~ ("/" lib "$") { print $1 }' | head -1)
    [[ -n $path ]] || { echo "release: $library is not found on this machine" >&2; exit 1; }
    dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1 ||
      dpkg -S "$path" | head -1 | cut -d: -f1
  done | sort -u >"$bundle/SYSTEM-PACKAGES"
  tar -C "$scratch" -czf "$bundle.tar.gz" "inyeon-$version"
  echo "release: $bundle ($(du -sh "$bundle" | cut -f1); $(wc -l <"$bundle/SYSTEM-PACKAGES") system packages: $(tr '\n' ' ' <"$bundle/SYSTEM-PACKAGES"))"
  echo "release: $bundle.tar.gz ($(du -h "$bundle.tar.gz" | cut -f1)); debugging information: $bundle.debug"
}

# A fresh Debian 12 root (debootstrap's minimal variant), kept between runs; each verification
# works in a copy of it, so no package from an earlier run is there.
debian_root() {
  local root=$scratch/debian-root
  if [[ ! -x $root/bin/sh || ! -f $root/.complete ]]; then
    command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    rm -rf "$root"
    debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >&2
    touch "$root/.complete"
  fi
  echo "$root"
}

verify() {
  local bundle=${1:-$(ls -dt $scratch/inyeon-*/ 2>/dev/null | head -1)}
  bundle=${bundle%/}
  [[ -x $bundle/bin/inyeon ]] || { echo "release: no bundle (run scripts/release.sh build first)" >&2; exit 1; }
  # Global, for the cleanup on exit: the copy of the root, the PostgreSQL, the server.
  root="" pg="" server=""
  local base port started
  base=$(debian_root)
  root=$(mktemp -d "$PWD/$scratch/verify.XXXXXX")
  cleanup() {
    if [[ -n $server ]]; then kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; fi
    if [[ -n $root ]]; then
      for mount in dev/pts dev proc; do umount "$root/$mount" 2>/dev/null || true; done
      rm -rf "$root"
    fi
    if [[ -n $pg ]]; then scripts/postgres.sh stop "$pg" >/dev/null 2>&1 || true; rm -rf "$pg"; fi
  }
  trap cleanup EXIT
  cp -a "$base/." "$root/"
  mount --bind /dev "$root/dev"; mount -t devpts devpts "$root/dev/pts" 2>/dev/null || true; mount -t proc proc "$root/proc"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  echo "release: installing into a fresh Debian root only: $(tr '\n' ' ' <"$bundle/SYSTEM-PACKAGES")"
  chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  # shellcheck disable=SC2046
  chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl $(cat "$bundle/SYSTEM-PACKAGES") >/dev/null
  mkdir -p "$root/opt/inyeon"
  cp -a "$bundle/." "$root/opt/inyeon/"
  echo "release: inyeon --version in the root: $(chroot "$root" /opt/inyeon/bin/inyeon --version)"

  # A PostgreSQL of this machine, reached over loopback (the root shares the network).
  pg=$(mktemp -d /tmp/inyeon-release-pg.XXXXXX)
  port=$((56000 + RANDOM % 1000))
  scripts/postgres.sh start "$pg" "$port" >/dev/null
  eval "$(scripts/postgres.sh env "$pg")"
  started=$(date +%s.%N)
  chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp DATABASE_URL="$DATABASE_URL" DATABASE_OWNER_URL="$DATABASE_OWNER_URL" \
    PORT=3999 HOST=127.0.0.1 INYEON_DATA_DIR=/var/lib/inyeon LOG_LEVEL=warning /opt/inyeon/bin/inyeon serve &
  server=$!
  local ready=""
  for _ in $(seq 1 600); do
    ready=$(chroot "$root" curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:3999/api/health/ready || true)
    [[ $ready == 200 ]] && break
    kill -0 "$server" 2>/dev/null || { echo "release: the service stopped" >&2; exit 1; }
    sleep 0.1
  done
  [[ $ready == 200 ]] || { echo "release: /api/health/ready never answered 200 (last: $ready)" >&2; exit 1; }
  echo "release: ready $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }') s after start (migrating a new database and storing the demo people included)"
  chroot "$root" curl -sf http://127.0.0.1:3999/api/health
  echo
  chroot "$root" curl -sf http://127.0.0.1:3999/api/users?limit=1 | head -c 300
  echo
  kill -TERM "$server"
  local stop_started=$(date +%s.%N)
  wait "$server" || true
  server=""
  echo "release: stopped on SIGTERM in $(awk -v s="$stop_started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }') s"
  echo "release: OK: $(basename "$bundle") runs on a fresh Debian root with only its listed packages"
}

case $command in
  build) build ;;
  verify) shift; verify "$@" ;;
  *) echo "usage: scripts/release.sh build|verify [BUNDLE]" >&2; exit 2 ;;
esac
