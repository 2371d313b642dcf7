#!/usr/bin/env bash
# Brings up a real one-node SLURM cluster on this machine (munged, slurmctld, slurmd, Slurm 22.05
# from Debian 12) for the tests of the SLURM compute backend. No systemd is assumed: every daemon is
# started by hand and tracked by its pid file.
#
# Safe to run again at any time: when the cluster is already up it only checks it (well under a
# second); after a crash it clears stale pid files and starts what is missing; on a bare machine it
# installs slurm-wlm and munge with apt first.
#
# Mutable state (controller state, slurmd spool, logs, pid files, the jobcomp file) lives under
# ${BUDGETML_INFRA_DIR:-/tmp/budgetml-infra}/slurm. The config has to be /etc/slurm/slurm.conf,
# because that is where sbatch, squeue, scontrol and sinfo look for it without extra env vars.
#
# On success it prints one line on stdout; progress notes (only when it actually does something)
# go to stderr. On failure it exits non-zero with the reason and the end of the relevant log.
set -euo pipefail

INFRA_DIR=${BUDGETML_INFRA_DIR:-/tmp/budgetml-infra}
S=$INFRA_DIR/slurm
CONF=/etc/slurm/slurm.conf
CGCONF=/etc/slurm/cgroup.conf
CTLD_PID=$S/run/slurmctld.pid
SLURMD_PID=$S/run/slurmd.pid
# munged is a system-wide service: its socket has to be at the default path, because that is where
# Slurm's auth/munge plugin (and the munge/unmunge tools) connect to it.
MUNGE_PID=/run/munge/munged.pid
PARTITION=budgetml

t0=$EPOCHREALTIME
elapsed() { awk -v a="$EPOCHREALTIME" -v b="$t0" 'BEGIN { printf "%.2f", a - b }'; }
note() { echo "[slurm-up $(elapsed)s] $*" >&2; }
die() { echo "slurm-up: $*" >&2; exit 1; }
# die_log MESSAGE LOGFILE: fail with the end of the daemon's log, which is where the real reason is
die_log() { echo "slurm-up: $1" >&2; [[ -r $2 ]] && { echo "--- last lines of $2:" >&2; tail -n 25 "$2" >&2; }; exit 1; }

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $(id -u) == 0 ]] || die "must run as root (it installs packages and starts system daemons)"

# Two runs at once would each start (or restart) the daemons under the other's feet.
mkdir -p "$S"
exec 9>"$S/up.lock"
flock -w 120 9 || die "another slurm-up.sh has held $S/up.lock for 2 minutes"

# ------------------------------------------------------------------------------------ packages
# Only when something is missing: apt-get update alone takes seconds, and the "already up" path
# must stay fast. policy-rc.d on these machines stops apt from starting the services itself.
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
  || ! command -v munged >/dev/null; then
  note "installing slurm-wlm and munge with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt_log=$INFRA_DIR/slurm-apt.log
  { apt-get update -q && apt-get install -y -q --no-install-recommends slurm-wlm munge; } >"$apt_log" 2>&1 \
    || die_log "apt-get install slurm-wlm munge failed" "$apt_log"
  note "installed"
fi
id slurm >/dev/null 2>&1 || die "the slurm user is missing although slurm-wlm is installed"

# ------------------------------------------------------------------------------------ munge
# Slurm's daemons and clients prove who they are with munge credentials, so munged comes first.
if [[ ! -s /etc/munge/munge.key ]]; then
  note "creating the munge key"
  install -d -o munge -g munge -m 0700 /etc/munge
  if command -v mungekey >/dev/null; then mungekey --create --force --keyfile=/etc/munge/munge.key
  else dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none; fi
fi
# munged refuses a key that is not owned by its user or that others can read.
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
install -d -o munge -g munge -m 0755 /run/munge
install -d -o munge -g munge -m 0700 /var/log/munge /var/lib/munge
munge_ok() { { munge -n | unmunge; } >/dev/null 2>&1; }
if ! alive "$MUNGE_PID" munged || ! munge_ok; then
  rm -f "$MUNGE_PID" /run/munge/munge.socket.2 /run/munge/munge.socket.2.lock
  # 9>&-: a daemon must not inherit the lock, or the next run would wait on it forever.
  runuser -u munge -- /usr/sbin/munged 9>&- || die_log "munged failed to start" /var/log/munge/munged.log
  for _ in $(seq 1 50); do munge_ok && break; sleep 0.1; done
  munge_ok || die_log "munged started but does not answer" /var/log/munge/munged.log
  note "munged started (pid $(cat "$MUNGE_PID"))"
fi

# ------------------------------------------------------------------------------------ config
# The node line comes from `slurmd -C` (what slurmd detects on this machine: CPUs, sockets, cores,
# threads, RealMemory). If the config promised more than the hardware has, slurmd would register
# the node as invalid and drain it.
node_line=$(slurmd -C 2>/dev/null | grep -m1 '^NodeName=') || die "slurmd -C printed no NodeName line"
HOST=${node_line#NodeName=}
HOST=${HOST%% *}
[[ -n $HOST ]] || die "could not read the node name from: $node_line"

# proctrack/cgroup puts every job in a freezer cgroup, so cancelling a job also kills the children
# it forked (proctrack/linuxproc loses orphaned children, which then outlive the job). Slurm 22.05
# needs the cgroup v1 freezer for that; on this machine it is mounted and writable. Elsewhere fall
# back to linuxproc rather than not starting at all.
if grep -qE '^cgroup /sys/fs/cgroup/freezer cgroup ' /proc/mounts && [[ -w /sys/fs/cgroup/freezer ]]; then
  PROCTRACK=cgroup
else
  PROCTRACK=linuxproc
fi

install -d -o slurm -g slurm -m 0755 "$S/ctld" "$S/log" "$S/run"
install -d -o root -g root -m 0755 "$S/spool" /etc/slurm

# The daemons now running were started from the config that is there now, which may name other pid
# files (another BUDGETML_INFRA_DIR): remember them, to stop the right processes if it changes.
conf_value() { sed -n "s/^$1=//p" "$CONF" 2>/dev/null | tail -n1; }
OLD_CTLD_PID=$(conf_value SlurmctldPidFile)
OLD_SLURMD_PID=$(conf_value SlurmdPidFile)

new_conf=$(mktemp)
trap 'rm -f "$new_conf" "${new_cg:-}"' EXIT
cat >"$new_conf" <<EOF
# Written by scripts/infra/slurm-up.sh (BudgetML Agent): a one-node cluster on $HOST, on loopback
# only. Edits here are overwritten by the next run of that script.
ClusterName=budgetml
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=slurm
SlurmctldPort=6817
SlurmdPort=6818
AuthType=auth/munge
StateSaveLocation=$S/ctld
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
ProctrackType=proctrack/$PROCTRACK
TaskPlugin=task/none
MpiDefault=none
# a node that was down comes back by itself once its slurmd registers again
ReturnToService=2
SchedulerType=sched/backfill
# with the default (3 s) back-to-back jobs only start on a 3 second grid
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=5
# no slurmdbd: plain sacct says accounting is disabled; read a job's end from
# 'scontrol show job ID -o' (kept for MinJobAge) or from this file with 'sacct -c'
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$S/log/jobcomp.log
# keep finished jobs visible to 'scontrol show job' for an hour (the default is 300 s)
MinJobAge=3600
SlurmdTimeout=60
MailProg=/bin/true
# listen on 127.0.0.1 only, not on every interface
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
$node_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=$PARTITION Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
changed=0
if ! cmp -s "$new_conf" "$CONF"; then
  install -m 0644 "$new_conf" "$CONF"
  changed=1
  note "wrote $CONF (proctrack/$PROCTRACK; $node_line)"
fi
if [[ $PROCTRACK == cgroup ]]; then
  # Slurm 22.05 would otherwise guess the cgroup version; this machine has both v1 and v2 mounted.
  new_cg=$(mktemp)
  printf '%s\n' '# Written by scripts/infra/slurm-up.sh (BudgetML Agent)' CgroupPlugin=cgroup/v1 \
    CgroupAutomount=yes ConstrainCores=no ConstrainRAMSpace=no >"$new_cg"
  if ! cmp -s "$new_cg" "$CGCONF"; then install -m 0644 "$new_cg" "$CGCONF"; changed=1; fi
fi

# Daemons that are up with an older config must restart: ProctrackType, paths and ports are only
# read at start.
running() {
  local pf
  for pf in ${OLD_SLURMD_PID:+"$OLD_SLURMD_PID"} "$SLURMD_PID"; do alive "$pf" slurmd && return 0; done
  for pf in ${OLD_CTLD_PID:+"$OLD_CTLD_PID"} "$CTLD_PID"; do alive "$pf" slurmctld && return 0; done
  return 1
}
if ((changed)) && running; then
  note "config changed: restarting slurmctld and slurmd"
  for pf in ${OLD_SLURMD_PID:+"$OLD_SLURMD_PID"} "$SLURMD_PID" ${OLD_CTLD_PID:+"$OLD_CTLD_PID"} "$CTLD_PID"; do
    if alive "$pf" slurm; then kill "$(cat "$pf")" || true; fi
  done
  for _ in $(seq 1 100); do running || break; sleep 0.1; done
  if running; then die "the old slurmctld or slurmd did not stop within 10 s"; fi
fi

# ------------------------------------------------------------------------------------ daemons
ctld_up() { [[ $(scontrol ping 2>/dev/null || true) == *"is UP"* ]]; }
if ! alive "$CTLD_PID" slurmctld; then
  rm -f "$CTLD_PID"
  /usr/sbin/slurmctld 9>&- || die_log "slurmctld failed to start" "$S/log/slurmctld.log"
  for _ in $(seq 1 100); do ctld_up && break; sleep 0.1; done
  # alive as well as answering: a slurmctld left from elsewhere could answer the ping while ours
  # could not bind the port
  { ctld_up && alive "$CTLD_PID" slurmctld; } || die_log "slurmctld did not come up" "$S/log/slurmctld.log"
  note "slurmctld started (pid $(cat "$CTLD_PID"))"
fi
if ! alive "$SLURMD_PID" slurmd; then
  rm -f "$SLURMD_PID"
  t_slurmd=$(date +%s)
  /usr/sbin/slurmd 9>&- || die_log "slurmd failed to start" "$S/log/slurmd.log"
  for _ in $(seq 1 50); do [[ -s $SLURMD_PID ]] && break; sleep 0.1; done
  alive "$SLURMD_PID" slurmd || die_log "slurmd exited right after starting" "$S/log/slurmd.log"
  note "slurmd started (pid $(cat "$SLURMD_PID")), waiting for it to register"
  # The node state saved by slurmctld can already say 'idle' before this slurmd has registered, and
  # a job sent then would wait. So first wait until the node reports this slurmd's start time.
  for _ in $(seq 1 150); do
    reg=$(scontrol show node "$HOST" 2>/dev/null | grep -o 'SlurmdStartTime=[^ ]*' | cut -d= -f2 || true)
    if [[ -n $reg && $reg != None ]] && (($(date -d "$reg" +%s 2>/dev/null || echo 0) >= t_slurmd - 1)); then break; fi
    sleep 0.2
  done
fi

# ------------------------------------------------------------------------------------ node ready
# Ready means sinfo shows the node idle (or busy with jobs, when they are left from before).
node_state() { sinfo -h -n "$HOST" -o '%T' 2>/dev/null | head -n1 || true; }
for i in $(seq 1 150); do
  st=$(node_state)
  case $st in
    idle | mixed | allocated | completing) break ;;
    # a node marked down or drained (say, by a crash) does not come back on its own
    *down* | *drain*) if ((i % 10 == 1)); then scontrol update NodeName="$HOST" State=RESUME >/dev/null 2>&1 || true; fi ;;
  esac
  sleep 0.2
done
case $st in
  idle | mixed | allocated | completing) ;;
  *)
    scontrol show node "$HOST" >&2 || true
    die_log "node $HOST is '${st:-unknown}' after 30 s, not idle" "$S/log/slurmd.log"
    ;;
esac
echo "budgetml slurm ready in $(elapsed)s: node $HOST $st, partition $PARTITION, proctrack/$PROCTRACK, state in $S"
