#!/usr/bin/env bash
# Installs what the project needs on Debian 12 with Node 20: Python with scikit-learn, pandas and
# PyTorch for the ML tasks; Chromium, ripgrep and Kerberos headers for the real VS Code the
# integration tests drive; SLURM, munge, an OpenSSH server and rsync for the tests of the compute
# backends (installed only: scripts/infra/ starts the daemons when they are wanted); then the npm
# dependencies. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(python3-sklearn python3-pandas python3-torch chromium ripgrep libkrb5-dev slurm-wlm munge openssh-server rsync openssh-client)
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
