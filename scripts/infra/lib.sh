# Helpers shared by the infra scripts (sourced, not run).

# alive PIDFILE NAME: the pid in PIDFILE is a live process called NAME. Checking the name matters:
# after a reboot or crash a stale pid file can point at some unrelated process that reused the pid.
alive() {
  local pid st
  pid=$(cat "$1" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/stat ]] || return 1
  st=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $st != Z && $st != X ]] || return 1
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$2"* ]]
}
