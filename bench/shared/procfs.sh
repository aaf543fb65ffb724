# Shared by the benchmark scripts (source it): what /proc tells about a process this script started.

cpu_ticks() { # pid -> utime+stime in clock ticks (fields 14 and 15 of /proc/PID/stat), 0 when it is gone
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  stat=${stat##*) }  # drop "pid (comm) ", comm may contain spaces
  # shellcheck disable=SC2086
  set -- $stat
  echo $(( ${12} + ${13} ))
}
