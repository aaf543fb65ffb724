# Shared by the benchmark scripts (source it): stopping the servers a script started and asking whether one is up.

stop_pid() { # pid: TERM, wait up to 5 s, then KILL (only ever a PID the calling script started)
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

healthy() { # port -> 0 when GET /health on 127.0.0.1:port answers 200 (one try, bash's /dev/tcp: no curl needed)
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
  local status_line=""
  read -r -t 2 status_line <&3 || true
  exec 3>&- 3<&-
  [[ $status_line == *" 200"* ]]
}
