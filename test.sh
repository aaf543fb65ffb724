#!/usr/bin/env bash
# Installs what the tests need (on a fresh Debian with the .NET SDK) and runs every test.
# Prints the runner's summary and a closing "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
need_apt() { # need_apt COMMAND PACKAGE...
  command -v "$1" >/dev/null 2>&1 && return 0
  shift
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

need_apt node nodejs npm
# The scale-out tests start their own redis-server (tests/FastRealtime.Tests/ScaleOut/RedisServer.cs).
need_apt redis-server redis-server
# Real peers the interop tests talk to (npm ws client, socket.io-client, ...).
(cd tests/interop && npm ci --no-audit --no-fund --loglevel=error)
(cd tests/interop/socketio && npm ci --no-audit --no-fund --loglevel=error)
# Peer servers the load generator's protocol tests drive (Node socket.io, ASP.NET Core SignalR).
(cd bench/compare/peers/node-socketio && npm ci --no-audit --no-fund --loglevel=error)
dotnet build bench/compare/peers/signalr -c Release --nologo -v quiet

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test FastRealtime.sln -c Release --nologo --logger "console;verbosity=normal" 2>&1 | tee "$log" | grep -vE '^\s+Passed '
status=${PIPESTATUS[0]}
# The server-facing suites once more on the portable engine (.NET sockets), which Linux x64 does not pick by default.
FASTREALTIME_TEST_ENGINE=Sockets dotnet test tests/FastRealtime.Tests -c Release --no-build --nologo \
  --filter "FullyQualifiedName~Conformance|FullyQualifiedName~Abuse|FullyQualifiedName~Interop|FullyQualifiedName~Server|FullyQualifiedName~Gateways" \
  --logger "console;verbosity=normal" 2>&1 | tee -a "$log" | grep -vE '^\s+Passed '
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
set -e

# The runner's totals ("Total tests: N", "Passed: N", "Failed: N", "Skipped: N"), summed over test assemblies.
count() { awk -v key="$1" '$1 == key":" && $2 ~ /^[0-9]+$/ { n += $2 } END { print n + 0 }' "$log"; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
