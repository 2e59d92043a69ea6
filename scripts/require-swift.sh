#!/usr/bin/env bash
# Says plainly what is missing instead of failing somewhere deep in a build.
set -euo pipefail
if ! command -v swift >/dev/null; then
  echo "Swift 6.2 or newer is required: install it from swift.org (or put /opt/swift/usr/bin on PATH)." >&2
  exit 1
fi
if ! command -v python3 >/dev/null; then
  echo "python3 is required by the test script (apt-get install python3)." >&2
  exit 1
fi
