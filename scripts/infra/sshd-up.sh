#!/usr/bin/env bash
# Starts a private sshd on 127.0.0.1:2222 that stands in for a remote machine in the tests of the
# SSH compute backend: key-only login as user `mlremote`, whose PATH has the system python3 (with
# PyTorch and scikit-learn) and rsync, and whose home (/home/mlremote) is writable.
#
#   bash scripts/infra/sshd-up.sh         start it, or check it when it is already up
#   bash scripts/infra/sshd-up.sh stop    stop it (open sessions keep their own sshd processes)
#
# Nothing touches the machine's own /etc/ssh: this sshd has its own config, host key, pid file and
# log under $BUDGETML_INFRA_DIR/sshd, and the client side (private key, ssh config, known_hosts)
# is under $BUDGETML_INFRA_DIR/ssh (default BUDGETML_INFRA_DIR: /tmp/budgetml-infra). Use it with
#   ssh -F $BUDGETML_INFRA_DIR/ssh/config budgetml-remote 'python3 -c "import torch"'
#   rsync -a -e "ssh -F $BUDGETML_INFRA_DIR/ssh/config" dir/ budgetml-remote:dir/
#
# Safe to run again: when sshd is up it only checks a login (well under a second). On success it
# prints one line on stdout; progress notes go to stderr; on failure it exits non-zero.
set -euo pipefail

INFRA_DIR=${BUDGETML_INFRA_DIR:-/tmp/budgetml-infra}
SSHD_DIR=$INFRA_DIR/sshd
SSH_DIR=$INFRA_DIR/ssh
PORT=2222
USER_NAME=mlremote
ALIAS=budgetml-remote
PIDFILE=$SSHD_DIR/sshd.pid
LOG=$SSHD_DIR/sshd.log

t0=$EPOCHREALTIME
elapsed() { awk -v a="$EPOCHREALTIME" -v b="$t0" 'BEGIN { printf "%.2f", a - b }'; }
note() { echo "[sshd-up $(elapsed)s] $*" >&2; }
die() { echo "sshd-up: $*" >&2; exit 1; }
die_log() { echo "sshd-up: $1" >&2; [[ -r $LOG ]] && { echo "--- last lines of $LOG:" >&2; tail -n 20 "$LOG" >&2; }; exit 1; }

# The pid file must point at a live process called sshd: a stale file can name a reused pid.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ ${1:-} == stop ]]; then
  if alive "$PIDFILE" sshd; then
    pid=$(cat "$PIDFILE")
    kill "$pid"
    for _ in $(seq 1 50); do alive "$PIDFILE" sshd || break; sleep 0.1; done
    echo "stopped budgetml sshd ($pid)"
  else
    echo "budgetml sshd not running"
  fi
  rm -f "$PIDFILE"
  exit 0
fi
[[ $# == 0 ]] || { echo "usage: $0 [stop]" >&2; exit 2; }
[[ $(id -u) == 0 ]] || die "must run as root (it installs packages, adds a user and starts sshd)"

install -d -m 0755 "$INFRA_DIR"
install -d -m 0700 "$SSHD_DIR" "$SSH_DIR"
# Two runs at once would race on the keys and on starting sshd.
exec 9>"$SSHD_DIR/up.lock"
flock -w 60 9 || die "another sshd-up.sh has held $SSHD_DIR/up.lock for a minute"

# ------------------------------------------------------------------------------------ packages
if [[ ! -x /usr/sbin/sshd ]] || ! command -v ssh >/dev/null || ! command -v ssh-keygen >/dev/null \
  || ! command -v rsync >/dev/null; then
  note "installing openssh-server, openssh-client and rsync with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt_log=$INFRA_DIR/sshd-apt.log
  { apt-get update -q && apt-get install -y -q --no-install-recommends openssh-server openssh-client rsync; } \
    >"$apt_log" 2>&1 || { tail -n 20 "$apt_log" >&2; die "apt-get install openssh-server openssh-client rsync failed"; }
  note "installed"
fi

# ------------------------------------------------------------------------------------ user
# useradd leaves '!' in /etc/shadow, which marks the account locked, and sshd refuses a locked
# account even with a valid key. '*' means "no password can match" without locking it.
if ! id "$USER_NAME" >/dev/null 2>&1; then
  useradd --create-home --shell /bin/bash "$USER_NAME"
  note "created user $USER_NAME"
fi
[[ $(getent shadow "$USER_NAME" | cut -d: -f2) == '*' ]] || usermod -p '*' "$USER_NAME"
HOME_DIR=$(getent passwd "$USER_NAME" | cut -d: -f6)
GROUP=$(id -gn "$USER_NAME")
# The home has to exist and belong to the user: runs copy their folders into it. sshd's StrictModes
# also refuses keys in a home or .ssh that others can write, so keep both private.
install -d -o "$USER_NAME" -g "$GROUP" -m 0750 "$HOME_DIR"
install -d -o "$USER_NAME" -g "$GROUP" -m 0700 "$HOME_DIR/.ssh"

# ------------------------------------------------------------------------------------ keys
changed=0
if [[ ! -s $SSHD_DIR/host_ed25519_key ]]; then
  ssh-keygen -q -t ed25519 -N '' -C budgetml-remote-host -f "$SSHD_DIR/host_ed25519_key"
  changed=1 # a running sshd still holds the old key: it must reload, or clients see a changed key
fi
if [[ ! -s $SSH_DIR/id_ed25519 ]]; then
  rm -f "$SSH_DIR/id_ed25519.pub"
  ssh-keygen -q -t ed25519 -N '' -C budgetml-client -f "$SSH_DIR/id_ed25519"
fi
[[ -s $SSH_DIR/id_ed25519.pub ]] || ssh-keygen -y -f "$SSH_DIR/id_ed25519" >"$SSH_DIR/id_ed25519.pub"
chmod 0600 "$SSH_DIR/id_ed25519" # ssh ignores a private key that others can read

# write_if_changed DEST MODE [OWNER]: install stdin at DEST only when its content differs, so a run
# on an unchanged setup rewrites nothing. Sets WROTE=1 when it wrote.
write_if_changed() {
  local tmp owner=()
  [[ -n ${3:-} ]] && owner=(-o "$3" -g "$GROUP")
  WROTE=0
  tmp=$(mktemp)
  cat >"$tmp"
  if ! cmp -s "$tmp" "$1"; then
    install -m "$2" "${owner[@]}" "$tmp" "$1"
    WROTE=1
  fi
  rm -f "$tmp"
}
write_if_changed "$HOME_DIR/.ssh/authorized_keys" 0600 "$USER_NAME" <"$SSH_DIR/id_ed25519.pub"
# Client trust is pinned to this host key here, so a regenerated key never trips the client
# (accept-new would still refuse a key that changed under a known name).
echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$SSHD_DIR/host_ed25519_key.pub")" \
  | write_if_changed "$SSH_DIR/known_hosts" 0600

# ------------------------------------------------------------------------------------ configs
write_if_changed "$SSHD_DIR/sshd_config" 0600 <<EOF
# Written by scripts/infra/sshd-up.sh (BudgetML Agent): a loopback-only sshd for tests.
Port $PORT
ListenAddress 127.0.0.1
HostKey $SSHD_DIR/host_ed25519_key
PidFile $PIDFILE
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers $USER_NAME
# No PAM: nothing to configure for it and no systemd-logind to talk to on these machines.
UsePAM no
PrintMotd no
PrintLastLog no
# OpenSSH 9's scp speaks SFTP, so without this subsystem scp fails.
Subsystem sftp internal-sftp
# Tests open many sessions at once; the defaults (10 unauthenticated, 10 per connection) are low.
MaxStartups 50:30:100
MaxSessions 50
LogLevel INFO
EOF
if ((WROTE)); then changed=1; fi

write_if_changed "$SSH_DIR/config" 0600 <<EOF
# Written by scripts/infra/sshd-up.sh (BudgetML Agent). Use: ssh -F $SSH_DIR/config $ALIAS CMD
Host $ALIAS
  HostName 127.0.0.1
  Port $PORT
  User $USER_NAME
  IdentityFile $SSH_DIR/id_ed25519
  IdentitiesOnly yes
  StrictHostKeyChecking accept-new
  UserKnownHostsFile $SSH_DIR/known_hosts
  BatchMode yes
  ConnectTimeout 10
  ServerAliveInterval 15
  LogLevel ERROR
EOF

# ------------------------------------------------------------------------------------ sshd
# sshd needs its privilege-separation directory, and an absolute path because it re-executes
# itself for every connection.
install -d -m 0755 /run/sshd
/usr/sbin/sshd -t -f "$SSHD_DIR/sshd_config" || die "sshd rejects its config $SSHD_DIR/sshd_config"
if alive "$PIDFILE" sshd; then
  if ((changed)); then
    # HUP makes sshd re-execute with the new config and key; open sessions are not touched.
    kill -HUP "$(cat "$PIDFILE")"
    sleep 0.3
    note "sshd reloaded its config"
  fi
else
  rm -f "$PIDFILE"
  /usr/sbin/sshd -f "$SSHD_DIR/sshd_config" -E "$LOG" 9>&- || die_log "sshd failed to start"
  for _ in $(seq 1 50); do alive "$PIDFILE" sshd && break; sleep 0.1; done
  alive "$PIDFILE" sshd || die_log "sshd exited right after starting (is port $PORT taken?)"
  note "sshd started (pid $(cat "$PIDFILE"))"
fi

# ------------------------------------------------------------------------------------ ready
# Ready means a real login works and finds what the backend needs on the remote side.
probe='command -v python3 >/dev/null || { echo "no python3 on PATH"; exit 3; }
command -v rsync >/dev/null || { echo "no rsync on PATH"; exit 3; }
[ -w "$HOME" ] || { echo "home $HOME not writable"; exit 3; }
echo ok'
out=
for _ in $(seq 1 50); do
  out=$(ssh -F "$SSH_DIR/config" "$ALIAS" "$probe" 2>&1) && break
  # exit 3 is the probe's own verdict: waiting will not change it
  [[ $out == *"no python3"* || $out == *"no rsync"* || $out == *"not writable"* ]] && break
  sleep 0.1
done
[[ $out == ok ]] || die_log "login as $USER_NAME over $ALIAS fails: $out"
echo "budgetml sshd ready in $(elapsed)s: ssh -F $SSH_DIR/config $ALIAS (127.0.0.1:$PORT, user $USER_NAME, home $HOME_DIR)"
