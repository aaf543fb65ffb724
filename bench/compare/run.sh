#!/usr/bin/env bash
# Side-by-side comparison of FastRealtime and real peer servers on loopback.
#
#   bash bench/compare/run.sh            default set, 3 alternating rounds (< 20 minutes)
#   bash bench/compare/run.sh --quick    one round of a small subset (~3 minutes)
#   bash bench/compare/run.sh --smoke    start each peer and prove it with smoke.mjs (no load generator)
#
# Options: --rounds R, --servers a,b,c (subset of: fastrealtime kestrel signalr node-ws node-socketio),
#          --scenarios id,id (subset of scenario ids below), --skip-build, --no-pin.
# By default the server runs on CPU 0 and the load generator on the other CPUs (taskset), so the server is the
# bottleneck and never competes with its own load for a core; --no-pin lets the OS place both.
# Every server is started by this script and stopped by its PID after each run; nothing else is touched.
# Method and output: bench/compare/README.md and docs/BENCHMARKS.md.
set -euo pipefail

COMPARE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$COMPARE_DIR/../.." && pwd)"
PEERS="$COMPARE_DIR/peers"
# shellcheck source=../shared/procfs.sh
source "$COMPARE_DIR/../shared/procfs.sh"
# shellcheck source=../shared/processes.sh
source "$COMPARE_DIR/../shared/processes.sh"
LOADGEN_DLL="$ROOT/tools/loadgen/bin/Release/net10.0/loadgen.dll"
FASTREALTIME_DLL="$ROOT/src/Chat/bin/Release/net10.0/fastrealtime.dll"
# LOADGEN overrides the load generator command (e.g. a stub while testing this script).
read -r -a LOADGEN_CMD <<<"${LOADGEN:-dotnet $LOADGEN_DLL}"

MODE=full
ROUNDS=3
ONLY_SERVERS=""
ONLY_SCENARIOS=""
SKIP_BUILD=0
PIN=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) MODE=quick ;;
    --smoke) MODE=smoke ;;
    --rounds) ROUNDS="$2"; shift ;;
    --servers) ONLY_SERVERS="$2"; shift ;;
    --scenarios) ONLY_SCENARIOS="$2"; shift ;;
    --skip-build) SKIP_BUILD=1 ;;
    --no-pin) PIN=0 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

if [[ $MODE == quick ]]; then
  ROUNDS=1; DURATION=5s; WARMUP=1s; HOLD_DURATION=15s
else
  DURATION=10s; WARMUP=2s; HOLD_DURATION=15s
fi

# --- scenarios -----------------------------------------------------------------------------------
# id | loadgen scenario | connections | message bytes | family (ws: raw WebSocket, SignalR hub for
# signalr; sio: Socket.IO for every server) | servers
FULL_SCENARIOS=(
  "echo-100x16B|echo|100|16|ws|fastrealtime kestrel node-ws"
  "echo-100x1KiB|echo|100|1024|ws|fastrealtime kestrel node-ws"
  "echo-1000x16B|echo|1000|16|ws|fastrealtime kestrel node-ws"
  "echo-1000x1KiB|echo|1000|1024|ws|fastrealtime kestrel node-ws"
  "broadcast-1000x100B|broadcast|1000|100|ws|fastrealtime kestrel signalr node-ws"
  "broadcast-10000x100B|broadcast|10000|100|ws|fastrealtime kestrel signalr node-ws"
  "sio-broadcast-1000x100B|broadcast|1000|100|sio|fastrealtime node-socketio"
  "hold-10000|hold|10000|0|ws|fastrealtime kestrel signalr node-ws node-socketio"
  "hold-50000|hold|50000|0|ws|fastrealtime kestrel signalr node-ws node-socketio"
)
QUICK_SCENARIOS=(
  "echo-100x16B|echo|100|16|ws|fastrealtime kestrel node-ws"
  "broadcast-1000x100B|broadcast|1000|100|ws|fastrealtime kestrel signalr node-ws"
  "sio-broadcast-1000x100B|broadcast|1000|100|sio|fastrealtime node-socketio"
  "hold-10000|hold|10000|0|ws|fastrealtime kestrel node-ws"
)

# --- servers ---------------------------------------------------------------------------------------
declare -A PORT_OF=([fastrealtime]=5610 [kestrel]=5611 [signalr]=5612 [node-ws]=5613 [node-socketio]=5614)
declare -A SMOKE_KIND=([fastrealtime]=ws [kestrel]=ws [signalr]=signalr [node-ws]=ws [node-socketio]=socketio)

server_command() { # name port -> the argv that starts it
  case "$1" in
    fastrealtime) echo "dotnet $FASTREALTIME_DLL serve --port $2 --host 127.0.0.1" ;;
    kestrel) echo "dotnet $PEERS/kestrel/bin/Release/net10.0/kestrel-peer.dll --port $2" ;;
    signalr) echo "dotnet $PEERS/signalr/bin/Release/net10.0/signalr-peer.dll --port $2" ;;
    node-ws) echo "node $PEERS/node-ws/server.mjs --port $2" ;;
    node-socketio) echo "node $PEERS/node-socketio/server.mjs --port $2" ;;
    *) echo "unknown server $1" >&2; return 1 ;;
  esac
}

target_args() { # server family loadgen-scenario port -> --url ... [--protocol ...]
  local server=$1 family=$2 scenario=$3 port=$4
  if [[ $family == sio || $server == node-socketio ]]; then
    # FastRealtime's Socket.IO "/" namespace answers echo requests on the demo gateway's `identity` event; its
    # join/broadcast room convention (the Node peer's main namespace) lives on namespace /bench.
    local event=""
    if [[ $server == fastrealtime ]]; then
      if [[ $scenario == broadcast ]]; then event=" --namespace /bench"; else event=" --event identity"; fi
    fi
    echo "--url ws://127.0.0.1:$port/socket.io/?EIO=4&transport=websocket --protocol socketio$event"
  elif [[ $server == signalr ]]; then
    echo "--url ws://127.0.0.1:$port/hub --protocol signalr"
  elif [[ $scenario == broadcast ]]; then
    echo "--url ws://127.0.0.1:$port/broadcast"
  else
    echo "--url ws://127.0.0.1:$port/echo"
  fi
}

selected() { # list item -> true when the comma list is empty or names the item
  [[ -z $1 || ",$1," == *",$2,"* ]]
}

# --- process control (only PIDs this script started) ---------------------------------------------
SERVER_PID=""
LOADGEN_PID=""
cleanup() {
  [[ -n $LOADGEN_PID ]] && kill -TERM "$LOADGEN_PID" 2>/dev/null || true
  [[ -n $SERVER_PID ]] && stop_server || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# CPU placement: the server on CPU 0, the load generator on the rest (when there is a rest and taskset exists).
SERVER_CPUS=()
LOADGEN_CPUS=()
if [[ $PIN == 1 ]] && command -v taskset >/dev/null 2>&1 && (( $(nproc) >= 2 )); then
  SERVER_CPUS=(taskset -c 0)
  LOADGEN_CPUS=(taskset -c "1-$(( $(nproc) - 1 ))")
fi

start_server() { # name port logfile
  local cmd
  cmd=$(server_command "$1" "$2")
  # shellcheck disable=SC2086 # the command is a word list we built above
  "${SERVER_CPUS[@]}" $cmd >"$3" 2>&1 &
  SERVER_PID=$!
}

stop_server() {
  local pid=$SERVER_PID
  SERVER_PID=""
  stop_pid "$pid"
}

wait_healthy() { # port -> 0 when GET /health answers 200 within 30 s and the server is alive
  for _ in $(seq 300); do
    kill -0 "$SERVER_PID" 2>/dev/null || return 1
    healthy "$1" && return 0
    sleep 0.1
  done
  return 1
}

rss_kib() { # pid -> VmRSS in KiB
  awk '/^VmRSS:/ { print $2; found = 1 } END { if (!found) print 0 }' "/proc/$1/status" 2>/dev/null || echo 0
}

# --- build -------------------------------------------------------------------------------------------
npm_install() { # dir
  (cd "$1" && { npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error; })
}

build_all() {
  echo "== installing npm packages for the Node peers and the smoke client"
  npm_install "$COMPARE_DIR"
  npm_install "$PEERS/node-ws"
  npm_install "$PEERS/node-socketio"
  echo "== building the .NET peers (Release)"
  dotnet build "$PEERS/kestrel/KestrelPeer.csproj" -c Release -nologo -v q
  dotnet build "$PEERS/signalr/SignalRPeer.csproj" -c Release -nologo -v q
  if [[ $MODE != smoke ]]; then
    echo "== building FastRealtime and the load generator (Release)"
    dotnet build "$ROOT/src/Chat" -c Release -nologo -v q
    dotnet build "$ROOT/tools/loadgen" -c Release -nologo -v q
  fi
}

# --- smoke mode --------------------------------------------------------------------------------------
run_smoke() {
  local failures=0 servers="${ONLY_SERVERS:-kestrel,signalr,node-ws,node-socketio}"
  local log_dir
  log_dir=$(mktemp -d)
  for server in ${servers//,/ }; do
    local port=${PORT_OF[$server]}
    start_server "$server" "$port" "$log_dir/$server.log"
    if wait_healthy "$port"; then
      node "$COMPARE_DIR/smoke.mjs" "${SMOKE_KIND[$server]}" "http://127.0.0.1:$port" | sed "s/^/[$server] /" || failures=$((failures + 1))
    else
      echo "[$server] did not become healthy; log:"; cat "$log_dir/$server.log"; failures=$((failures + 1))
    fi
    stop_server
  done
  echo "smoke: $failures server(s) failed"
  return $(( failures > 0 ))
}

# --- one measured run ----------------------------------------------------------------------------------
# Writes RUN_DIR/<scenario>.<server>.r<round>.meta.json (and .loadgen.json from the load generator).
declare -A UNSUPPORTED=()  # "server|scenario" -> reason, so later rounds skip what the loadgen rejected

write_meta() { # file status note [key value]...
  local file=$1 status=$2 note=$3
  shift 3
  {
    printf '{"status":"%s","note":"%s"' "$status" "${note//\"/\'}"
    while [[ $# -gt 0 ]]; do printf ',"%s":%s' "$1" "$2"; shift 2; done
    printf '}\n'
  } >"$file"
}

run_one() { # id loadgen-scenario connections size family server round
  local id=$1 scenario=$2 conns=$3 size=$4 family=$5 server=$6 round=$7
  local port=${PORT_OF[$server]}
  local base="$RUN_DIR/$id.$server.r$round"
  local meta="$base.meta.json" out="$base.loadgen.json"
  local common="\"scenario\":\"$id\",\"server\":\"$server\",\"round\":$round,\"connections\":$conns"

  if [[ -n ${UNSUPPORTED["$server|$id"]:-} ]]; then
    write_meta "$meta" na "${UNSUPPORTED["$server|$id"]}" run "{$common}"
    return
  fi
  local fd_limit
  fd_limit=$(ulimit -n)
  if [[ $fd_limit != unlimited ]] && (( conns + 1000 > fd_limit )); then
    UNSUPPORTED["$server|$id"]="n/a: open-file limit $fd_limit < $conns connections"
    write_meta "$meta" na "${UNSUPPORTED["$server|$id"]}" run "{$common}"
    echo "   $id $server r$round: ${UNSUPPORTED["$server|$id"]}"
    return
  fi

  start_server "$server" "$port" "$base.server.log"
  if ! wait_healthy "$port"; then
    write_meta "$meta" error "server did not answer GET /health (see $(basename "$base").server.log)" run "{$common}"
    echo "   $id $server r$round: server not healthy"
    stop_server
    return
  fi

  local args
  args="$scenario $(target_args "$server" "$family" "$scenario" "$port") --connections $conns --json $out"
  case "$scenario" in
    echo) args+=" --size $size --window 1 --duration $DURATION --warmup $WARMUP" ;;
    # A window of 16 in flight: deliveries/s measures fan-out capacity, not one publisher's round-trip time.
    broadcast) args+=" --size $size --publishers 1 --window 16 --duration $DURATION --warmup $WARMUP" ;;
    hold) args+=" --duration $HOLD_DURATION --server-pid $SERVER_PID" ;;
  esac

  local rss_before cpu_before rss_peak rss cpu_after rc=0
  rss_before=$(rss_kib "$SERVER_PID")
  cpu_before=$(cpu_ticks "$SERVER_PID")
  local started=$SECONDS
  # shellcheck disable=SC2086 # args is a word list we built
  timeout --signal=TERM 300 "${LOADGEN_CPUS[@]}" "${LOADGEN_CMD[@]}" $args >"$base.loadgen.log" 2>&1 &
  LOADGEN_PID=$!
  rss_peak=$rss_before
  while kill -0 "$LOADGEN_PID" 2>/dev/null; do
    rss=$(rss_kib "$SERVER_PID")
    (( rss > rss_peak )) && rss_peak=$rss
    sleep 0.5
  done
  wait "$LOADGEN_PID" || rc=$?
  LOADGEN_PID=""
  cpu_after=$(cpu_ticks "$SERVER_PID")
  local alive=true
  kill -0 "$SERVER_PID" 2>/dev/null || alive=false
  stop_server

  local measures="{$common,\"exitCode\":$rc,\"wallSeconds\":$((SECONDS - started)),\"serverAlive\":$alive,\"clockTicksPerSecond\":$CLK_TCK,\"cpuTicks\":$((cpu_after - cpu_before)),\"rssBeforeKiB\":$rss_before,\"rssPeakKiB\":$rss_peak,\"loadgenArgs\":\"${args//\"/\'}\"}"
  if [[ $rc -eq 0 && -s $out ]]; then
    write_meta "$meta" ok "" run "$measures"
    echo "   $id $server r$round: ok ($((SECONDS - started)) s)"
  elif [[ $rc -ne 0 ]] && (( SECONDS - started < 15 )) && grep -qiE 'protocol|unrecognized|not supported|invalid|unknown' "$base.loadgen.log"; then
    # The load generator refused the command line (e.g. a protocol it does not speak yet).
    UNSUPPORTED["$server|$id"]="n/a: not supported yet by loadgen ($(grep -m1 -iE 'protocol|unrecognized|not supported|invalid|unknown' "$base.loadgen.log" | tr -d '"\\' | cut -c1-120))"
    write_meta "$meta" na "${UNSUPPORTED["$server|$id"]}" run "$measures"
    echo "   $id $server r$round: ${UNSUPPORTED["$server|$id"]}"
  else
    write_meta "$meta" error "loadgen exit $rc (see $(basename "$base").loadgen.log)" run "$measures"
    echo "   $id $server r$round: error, loadgen exit $rc"
  fi
}

run_benchmarks() {
  local scenarios
  if [[ $MODE == quick ]]; then scenarios=("${QUICK_SCENARIOS[@]}"); else scenarios=("${FULL_SCENARIOS[@]}"); fi
  for line in "${scenarios[@]}"; do
    IFS='|' read -r id scenario conns size family servers <<<"$line"
    selected "$ONLY_SCENARIOS" "$id" || continue
    # Idle memory per connection varies by a few percent between runs, so one round of each hold
    # keeps the default set under 20 minutes; throughput scenarios get every round.
    local rounds=$ROUNDS
    [[ $scenario == hold ]] && rounds=1
    echo "== $id"
    for round in $(seq "$rounds"); do
      for server in $servers; do  # alternating: A B C, A B C, ... so drift hits every server alike
        selected "$ONLY_SERVERS" "$server" || continue
        run_one "$id" "$scenario" "$conns" "$size" "$family" "$server" "$round"
      done
    done
  done
}

# --- main ----------------------------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)
[[ $SKIP_BUILD -eq 1 ]] || build_all

if [[ $MODE == smoke ]]; then
  run_smoke
  exit $?
fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS_DIR="$ROOT/bench/results"
RUN_DIR="$RESULTS_DIR/raw/$STAMP"
mkdir -p "$RUN_DIR"
echo "== run $STAMP ($MODE, $ROUNDS round(s), duration $DURATION, warm-up $WARMUP; raw files in ${RUN_DIR#"$ROOT"/})"
run_benchmarks

summary_args=(--raw "$RUN_DIR" --out "$RESULTS_DIR" --stamp "$STAMP" --mode "$MODE" --rounds "$ROUNDS")
# Only a complete default run may replace the table in docs/BENCHMARKS.md.
if [[ $MODE == full && -z $ONLY_SERVERS && -z $ONLY_SCENARIOS ]]; then summary_args+=(--docs "$ROOT/docs/BENCHMARKS.md"); fi
COMPARE_PINNED=$(( ${#SERVER_CPUS[@]} > 0 ? 1 : 0 )) node "$COMPARE_DIR/summarize.mjs" "${summary_args[@]}"
