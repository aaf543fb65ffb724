#!/usr/bin/env bash
# Cross-node broadcast, side by side (issue 6): 2 nodes over one Redis, 1,000 Socket.IO users split across both,
# FastRealtime (serve --redis, gateway /bench) against Node socket.io 4.8 with @socket.io/redis-adapter.
#
#   bash bench/scaleout/run.sh            3 alternating rounds (A B A B A B) of 10 s + 2 s warm-up (~1.5 minutes)
#   bash bench/scaleout/run.sh --quick    2 rounds of 5 s + 1 s warm-up (under a minute)
#
# Options: --rounds R, --connections N (default 1000), --size BYTES (default 100), --redis-port P (default 56379),
#          --skip-build, --pin (nodes on CPU 0, Redis and the load generator on the other CPUs; default: the OS places all).
# The script starts a throwaway redis-server (no persistence) on 127.0.0.1, and for each run two nodes of one server,
# then stops them by their PIDs; nothing else is touched. Output: a table of medians (deliveries/s) and the ratio;
# bench/results/scaleout-<UTC stamp>.{json,md}; raw files under bench/results/raw/scaleout-<stamp>/ (not committed).
# Method: docs/BENCHMARKS.md, "Scale-out".
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
PEER="$ROOT/bench/compare/peers/node-socketio"
# shellcheck source=../shared/procfs.sh
source "$ROOT/bench/shared/procfs.sh"
# shellcheck source=../shared/processes.sh
source "$ROOT/bench/shared/processes.sh"
LOADGEN_DLL="$ROOT/tools/loadgen/bin/Release/net10.0/loadgen.dll"
FASTREALTIME_DLL="$ROOT/src/Chat/bin/Release/net10.0/fastrealtime.dll"

MODE=full
ROUNDS=3
CONNECTIONS=1000
SIZE=100
REDIS_PORT=56379
SKIP_BUILD=0
PIN=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) MODE=quick ;;
    --rounds) ROUNDS="$2"; shift ;;
    --connections) CONNECTIONS="$2"; shift ;;
    --size) SIZE="$2"; shift ;;
    --redis-port) REDIS_PORT="$2"; shift ;;
    --skip-build) SKIP_BUILD=1 ;;
    --pin) PIN=1 ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
if [[ $MODE == quick ]]; then
  [[ $ROUNDS == 3 ]] && ROUNDS=2
  DURATION=5s; WARMUP=1s
else
  DURATION=10s; WARMUP=2s
fi
SERVERS=(fastrealtime node-socketio)
declare -A PORTS=([fastrealtime]="5620 5621" [node-socketio]="5622 5623")

command -v redis-server >/dev/null || { echo "redis-server is not installed (apt-get install redis-server)" >&2; exit 2; }

# --- CPU placement ----------------------------------------------------------------------------------
NODE_CPUS=()
OTHER_CPUS=()
if [[ $PIN == 1 ]] && command -v taskset >/dev/null 2>&1 && (( $(nproc) >= 2 )); then
  NODE_CPUS=(taskset -c 0)
  OTHER_CPUS=(taskset -c "1-$(( $(nproc) - 1 ))")
fi

# --- processes (only PIDs this script started) ------------------------------------------------------
REDIS_PID=""
NODE_PIDS=()
LOADGEN_PID=""
WORK_DIR=$(mktemp -d)
stop_nodes() {
  local pid
  for pid in "${NODE_PIDS[@]}"; do stop_pid "$pid"; done
  NODE_PIDS=()
}
cleanup() {
  [[ -n $LOADGEN_PID ]] && stop_pid "$LOADGEN_PID"
  stop_nodes
  [[ -n $REDIS_PID ]] && stop_pid "$REDIS_PID"
  rm -rf "$WORK_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_nodes_healthy() { # ports... -> 0 when every node answers within 30 s (and all are alive)
  local port pid
  for _ in $(seq 300); do
    for pid in "${NODE_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || return 1; done
    local all=1
    for port in "$@"; do healthy "$port" || { all=0; break; }; done
    (( all )) && return 0
    sleep 0.1
  done
  return 1
}

start_node() { # server port logfile
  local server=$1 port=$2 log=$3
  case "$server" in
    fastrealtime)
      "${NODE_CPUS[@]}" dotnet "$FASTREALTIME_DLL" serve --port "$port" --host 127.0.0.1 --redis "127.0.0.1:$REDIS_PORT" \
        --data "$WORK_DIR/data-$port" >"$log" 2>&1 & ;;
    node-socketio)
      "${NODE_CPUS[@]}" node "$PEER/server.mjs" --port "$port" --redis "127.0.0.1:$REDIS_PORT" >"$log" 2>&1 & ;;
  esac
  NODE_PIDS+=($!)
}

target_args() { # server port port -> the loadgen's --url (one per node) and protocol options
  local server=$1 a=$2 b=$3 query="socket.io/?EIO=4&transport=websocket"
  local args="--url ws://127.0.0.1:$a/$query --url ws://127.0.0.1:$b/$query --protocol socketio"
  # FastRealtime's join/broadcast convention is the gateway on /bench (the Node peer's main namespace).
  [[ $server == fastrealtime ]] && args+=" --namespace /bench"
  echo "$args"
}

# --- one run --------------------------------------------------------------------------------------
run_one() { # server round
  local server=$1 round=$2
  local base="$RUN_DIR/$server.r$round"
  read -r port_a port_b <<<"${PORTS[$server]}"
  start_node "$server" "$port_a" "$base.node-a.log"
  start_node "$server" "$port_b" "$base.node-b.log"
  if ! wait_nodes_healthy "$port_a" "$port_b"; then
    echo "   $server r$round: nodes not healthy (see $(basename "$base").node-*.log)"
    printf '{"server":"%s","round":%s,"status":"error","note":"nodes not healthy"}\n' "$server" "$round" >"$base.meta.json"
    stop_nodes
    return
  fi
  local args
  args="broadcast $(target_args "$server" "$port_a" "$port_b") --connections $CONNECTIONS --size $SIZE --publishers 1 --window 16"
  args+=" --duration $DURATION --warmup $WARMUP --quiet --json $base.loadgen.json"
  local ticks_before=() pid rc=0 started=$SECONDS
  for pid in "${NODE_PIDS[@]}" "$REDIS_PID"; do ticks_before+=("$(cpu_ticks "$pid")"); done
  # shellcheck disable=SC2086 # args is a word list we built
  timeout --signal=TERM 120 "${OTHER_CPUS[@]}" dotnet "$LOADGEN_DLL" $args >"$base.loadgen.log" 2>&1 &
  LOADGEN_PID=$!
  wait "$LOADGEN_PID" || rc=$?
  LOADGEN_PID=""
  local ticks=() i=0
  for pid in "${NODE_PIDS[@]}" "$REDIS_PID"; do ticks+=($(( $(cpu_ticks "$pid") - ticks_before[i] ))); i=$((i + 1)); done
  local alive=true
  for pid in "${NODE_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || alive=false; done
  stop_nodes
  printf '{"server":"%s","round":%s,"status":"%s","exitCode":%s,"wallSeconds":%s,"nodesAlive":%s,"clockTicksPerSecond":%s,"cpuTicks":{"nodeA":%s,"nodeB":%s,"redis":%s},"loadgenArgs":"%s"}\n' \
    "$server" "$round" "$([[ $rc -eq 0 && -s $base.loadgen.json ]] && echo ok || echo error)" "$rc" "$((SECONDS - started))" "$alive" \
    "$(getconf CLK_TCK)" "${ticks[0]}" "${ticks[1]}" "${ticks[2]}" "$args" >"$base.meta.json"
  echo "   $server r$round: exit $rc ($((SECONDS - started)) s)"
}

# --- main -------------------------------------------------------------------------------------------
if [[ $SKIP_BUILD -eq 0 ]]; then
  echo "== building FastRealtime and the load generator (Release); npm ci for the Node peer"
  dotnet build "$ROOT/src/Chat" -c Release -nologo -v q
  dotnet build "$ROOT/tools/loadgen" -c Release -nologo -v q
  (cd "$PEER" && { npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error; })
fi

"${OTHER_CPUS[@]}" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK_DIR" \
  >"$WORK_DIR/redis.log" 2>&1 &
REDIS_PID=$!
for _ in $(seq 50); do
  { exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT"; } 2>/dev/null && { exec 3>&- 3<&-; break; }
  kill -0 "$REDIS_PID" 2>/dev/null || { echo "redis-server did not start:"; cat "$WORK_DIR/redis.log"; exit 1; }
  sleep 0.1
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS_DIR="$ROOT/bench/results"
RUN_DIR="$RESULTS_DIR/raw/scaleout-$STAMP"
mkdir -p "$RUN_DIR"
echo "== scale-out run $STAMP ($MODE: $ROUNDS round(s) of $DURATION + $WARMUP warm-up; $CONNECTIONS users on 2 nodes;" \
  "$SIZE B; Redis 127.0.0.1:$REDIS_PORT; pinning $([[ $PIN == 1 && ${#NODE_CPUS[@]} -gt 0 ]] && echo "nodes CPU 0, redis+loadgen CPU 1-" || echo off))"
for round in $(seq "$ROUNDS"); do
  for server in "${SERVERS[@]}"; do run_one "$server" "$round"; done  # A B, A B, ...: drift hits both alike
done

node "$SCRIPT_DIR/summarize.mjs" --raw "$RUN_DIR" --out "$RESULTS_DIR" --stamp "$STAMP" --mode "$MODE" --rounds "$ROUNDS" \
  --pinned "$PIN" --connections "$CONNECTIONS" --size "$SIZE"
