#!/usr/bin/env bash
# Capacity planning example (README "Capacity planning"): starts FastRealtime on loopback, runs one loadgen scenario
# against it (by default a ramp against /echo), and reports the CPU time each process used during the run — the
# "load generator is not the bottleneck" check of issue 7 — next to the loadgen's JSON and HTML reports.
#
#   bash bench/capacity/run.sh                       # ramp against /echo, p99 = 20 ms
#   bash bench/capacity/run.sh --chat                # the chat scenario (Socket.IO /chat, tokens from a test secret)
#   bash bench/capacity/run.sh -- echo --url ws://127.0.0.1:3917/echo -c 100 -d 10s   # any loadgen arguments after --
#
# Output: bench/results/capacity/<scenario>-<UTC time>.{txt,json,html,cpu.txt}. The server is started by this script and
# stopped by its PID; nothing else is touched. No pinning: on a 2-core machine both processes share both cores, and
# the CPU split says who used them.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PORT="${PORT:-3917}"
SECRET="capacity-example-secret-of-32-bytes!!"
MODE=ramp
EXTRA=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --chat) MODE=chat ;;
    --no-build) NO_BUILD=1 ;;
    --) shift; EXTRA=("$@"); MODE=custom; break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if [[ -z "${NO_BUILD:-}" ]]; then
  dotnet build "$ROOT/src/Chat" -c Release -v q -nologo >/dev/null
  dotnet build "$ROOT/tools/loadgen" -c Release -v q -nologo >/dev/null
fi
SERVER_DLL="$ROOT/src/Chat/bin/Release/net10.0/fastrealtime.dll"
LOADGEN_DLL="$ROOT/tools/loadgen/bin/Release/net10.0/loadgen.dll"
DATA="$(mktemp -d)"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$ROOT/bench/results/capacity"

dotnet "$SERVER_DLL" serve --port "$PORT" --data "$DATA" --jwt-secret "$SECRET" \
  --set Chat:MaxMessagesPerSecond=1000 >"$DATA/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  sleep 0.1
done

case "$MODE" in
  ramp)
    NAME=ramp-echo
    ARGS=(ramp --url "ws://127.0.0.1:$PORT/echo" --connections 4 --ramp-factor 2 --ramp-steps 8 --window 8 --size 64
          --duration 3s --warmup 1s --slo p99=20ms) ;;
  chat)
    NAME=chat
    ARGS=(chat --url "ws://127.0.0.1:$PORT/socket.io/?EIO=4&transport=websocket" --protocol socketio --secret "$SECRET"
          --connections 100 --rooms 10 --rate 2000 --size 64 --duration 10s --warmup 2s) ;;
  custom)
    NAME="${EXTRA[0]}"
    ARGS=("${EXTRA[@]}") ;;
esac
OUT="$ROOT/bench/results/capacity/$NAME-$STAMP"

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ="$(getconf CLK_TCK)"
SERVER_BEFORE="$(ticks "$SERVER_PID")"
TIMEFORMAT='%R %U %S'
# The load generator exits non-zero when the run had errors (or a ramp found no knee): report it all the same.
STATUS=0
{ time dotnet "$LOADGEN_DLL" "${ARGS[@]}" --quiet --json "$OUT.json" --html "$OUT.html" >"$OUT.txt"; } 2>"$OUT.time" || STATUS=$?
SERVER_AFTER="$(ticks "$SERVER_PID")"
read -r WALL USER SYS < <(tail -n 1 "$OUT.time")
awk -v wall="$WALL" -v lu="$USER" -v ls="$SYS" -v s=$((SERVER_AFTER - SERVER_BEFORE)) -v hz="$HZ" -v cores="$(nproc)" 'BEGIN {
  server = s / hz; loadgen = lu + ls;
  printf "wall %.1f s on %d cores (%.1f core-seconds available)\n", wall, cores, wall * cores;
  printf "server   CPU %6.1f s  (%4.0f%% of one core, %4.0f%% of the CPU both used)\n", server, 100 * server / wall, 100 * server / (server + loadgen);
  printf "loadgen  CPU %6.1f s  (%4.0f%% of one core, %4.0f%% of the CPU both used)\n", loadgen, 100 * loadgen / wall, 100 * loadgen / (server + loadgen);
}' | tee "$OUT.cpu.txt"
rm -f "$OUT.time"
cat "$OUT.txt"
echo "reports: $OUT.json $OUT.html"
exit "$STATUS"
