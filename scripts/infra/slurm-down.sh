#!/usr/bin/env bash
# Stops the one-node SLURM cluster that slurm-up.sh started: cancels the jobs still queued or
# running, then stops slurmd, slurmctld and munged by their pid files (never by process name, so
# nothing else on the machine is touched).
#
#   --keep-munge  leave munged running
#   --purge       also delete the controller state, spool, logs and jobcomp file under
#                 ${BUDGETML_INFRA_DIR:-/tmp/budgetml-infra}/slurm (job ids then restart at 1)
set -uo pipefail

INFRA_DIR=${BUDGETML_INFRA_DIR:-/tmp/budgetml-infra}
S=$INFRA_DIR/slurm
CONF=/etc/slurm/slurm.conf
PURGE=0 KEEP_MUNGE=0
for a in "$@"; do
  case $a in
    --purge) PURGE=1 ;;
    --keep-munge) KEEP_MUNGE=1 ;;
    *) echo "usage: $0 [--keep-munge] [--purge]" >&2; exit 2 ;;
  esac
done

# Take the pid files from the config the daemons were started with, in case it was written for
# another BUDGETML_INFRA_DIR than the one set now.
conf_value() { sed -n "s/^$1=//p" "$CONF" 2>/dev/null | tail -n1; }
CTLD_PID=$(conf_value SlurmctldPidFile)
SLURMD_PID=$(conf_value SlurmdPidFile)
CTLD_PID=${CTLD_PID:-$S/run/slurmctld.pid}
SLURMD_PID=${SLURMD_PID:-$S/run/slurmd.pid}

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# stop PIDFILE NAME: TERM, wait up to 10 s, then KILL
stop() {
  local pid
  if alive "$1" "$2"; then
    pid=$(cat "$1")
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 100); do alive "$1" "$2" || break; sleep 0.1; done
    if alive "$1" "$2"; then echo "$2 ($pid) ignored TERM, sending KILL"; kill -KILL "$pid" 2>/dev/null; sleep 0.2; fi
    echo "stopped $2 ($pid)"
  else
    echo "$2 not running"
  fi
  rm -f "$1"
}

# Jobs first: their slurmstepd processes would otherwise outlive slurmd.
if alive "$CTLD_PID" slurmctld; then
  ids=$(squeue -h -o %i 2>/dev/null | tr '\n' ' ')
  if [[ -n ${ids// /} ]]; then
    echo "cancelling jobs: $ids"
    # shellcheck disable=SC2086 # one argument per job id
    scancel $ids
    for _ in $(seq 1 100); do [[ -z $(squeue -h -o %i 2>/dev/null) ]] && break; sleep 0.1; done
  fi
fi
stop "$SLURMD_PID" slurmd
stop "$CTLD_PID" slurmctld
((KEEP_MUNGE)) || stop /run/munge/munged.pid munged

if ((PURGE)); then
  rm -rf "${S:?}/ctld" "$S/spool" "$S/log" "$S/run"
  echo "purged $S (controller state, spool, logs, jobcomp file)"
fi
