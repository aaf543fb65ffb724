#!/usr/bin/env bash
# Profiles FastRealtime under one load-generator scenario, as docs/BENCHMARKS.md "Where the time goes" did.
#
#   bash bench/profile/run.sh record broadcast --connections 1000 --size 100 --publishers 1 --window 16 --duration 10s --warmup 2s
#   bash bench/profile/run.sh stat echo --connections 100 --size 16 --window 1 --duration 10s --warmup 2s
#
# The first argument is the perf mode: record (cpu-clock samples with call graphs, JIT frames named through the
# runtime's perf map) or stat (system-call counts). The rest goes to tools/loadgen; --url is added (/broadcast for
# broadcast, /echo otherwise). The server runs on CPU 0 and the load generator on CPU 1, as in bench/compare; perf
# watches the server for 4 s after a 4 s start. Needs Release builds of src/Chat and tools/loadgen, and perf.
# Output: bench/results/raw/profile-<stamp>/ (perf.data or perf.stat, logs, the loadgen JSON) and a summary on stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../shared/procfs.sh
source "$ROOT/bench/shared/procfs.sh"
MODE=${1:?perf mode: record or stat}; shift
SCENARIO=${1:?loadgen scenario}
OUT="$ROOT/bench/results/raw/profile-$(date -u +%Y%m%dT%H%M%SZ)"
PORT=${PORT:-5710}
mkdir -p "$OUT"
command -v perf >/dev/null || { echo "perf is not installed" >&2; exit 2; }

path=/echo; [[ $SCENARIO == broadcast ]] && path=/broadcast
# W^X off and the perf map on: perf can then name the JIT-compiled methods.
DOTNET_EnableWriteXorExecute=0 DOTNET_PerfMapEnabled=1 taskset -c 0 \
  dotnet "$ROOT/src/Chat/bin/Release/net10.0/fastrealtime.dll" serve --port "$PORT" --host 127.0.0.1 --data "$OUT/data" \
  >"$OUT/server.log" 2>&1 &
SERVER=$!
LOADGEN=""
cleanup() {
  [[ -n $LOADGEN ]] && kill "$LOADGEN" 2>/dev/null || true
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done

taskset -c 1 dotnet "$ROOT/tools/loadgen/bin/Release/net10.0/loadgen.dll" "$@" --url "ws://127.0.0.1:$PORT$path" \
  --json "$OUT/loadgen.json" -q >"$OUT/loadgen.log" 2>&1 &
LOADGEN=$!
sleep 4
ticks_before=$(cpu_ticks "$SERVER")
case "$MODE" in
  record) perf record -F 999 -g -p "$SERVER" -o "$OUT/perf.data" -- sleep 4 2>"$OUT/perf.log" ;;
  stat) perf stat -e 'syscalls:sys_enter_sendto,syscalls:sys_enter_recvfrom,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_ctl' \
          -p "$SERVER" -o "$OUT/perf.stat" -- sleep 4 ;;
  *) echo "unknown perf mode: $MODE" >&2; exit 2 ;;
esac
ticks_after=$(cpu_ticks "$SERVER")
wait "$LOADGEN" || true
LOADGEN=""

echo "server CPU during the 4 s window: $(( ticks_after - ticks_before )) ticks of $(getconf CLK_TCK)/s"
grep -m1 '"throughputPerSec"' "$OUT/loadgen.json" || true
grep -m1 '"loadgenCpuBusy"' "$OUT/loadgen.json" || true
if [[ $MODE == record ]]; then
  perf report -i "$OUT/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep '%' | head -5
  perf report -i "$OUT/perf.data" --no-children --sort sym --stdio -g none 2>/dev/null | grep '%' | head -25
else
  grep syscalls "$OUT/perf.stat"
fi
echo "files: $OUT"
