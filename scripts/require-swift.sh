#!/usr/bin/env bash
# Says plainly what is missing instead of failing somewhere deep in a build, and installs the
# system libraries the build links (libvips for photos) when it can.
set -euo pipefail
if ! command -v swift >/dev/null; then
  echo "Swift 6.2 or newer is required: install it from swift.org (or put /opt/swift/usr/bin on PATH)." >&2
  exit 1
fi
if ! command -v python3 >/dev/null; then
  echo "python3 is required by the test script (apt-get install python3)." >&2
  exit 1
fi
if ! pkg-config --exists vips libpq 2>/dev/null; then
  if ((EUID == 0)) && command -v apt-get >/dev/null; then
    echo "require-swift.sh: libvips (photos) or libpq (pipelined reads) is missing; installing: apt-get install libvips-dev libpq-dev" >&2
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libvips-dev libpq-dev pkg-config >&2
  fi
  if ! pkg-config --exists vips 2>/dev/null; then
    echo "libvips 8.10 or newer with its headers is required for photos: apt-get install libvips-dev pkg-config" >&2
    exit 1
  fi
  if ! pkg-config --exists libpq 2>/dev/null; then
    echo "libpq 14 or newer with its headers is required for the pipelined reads: apt-get install libpq-dev pkg-config" >&2
    exit 1
  fi
fi
