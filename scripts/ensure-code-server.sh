#!/usr/bin/env bash
# Makes sure a code-server (the real VS Code server with its web workbench) is installed for the
# integration tests, using only the npm registry and Debian packages. The install is cached outside
# the repository and reused; the second call takes a fraction of a second.
#
# Prints the code-server binary path on stdout; progress goes to stderr.
#   BUDGETML_CS_CACHE  cache folder (default: ${XDG_CACHE_HOME:-~/.cache}/budgetml-vscode)
#   BUDGETML_CS_VERSION  code-server version (4.100.3 = VS Code 1.100.3, the newest that runs on Node 20)
set -euo pipefail

version=${BUDGETML_CS_VERSION:-4.100.3}
cache=${BUDGETML_CS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/budgetml-vscode}
node_major=$(node -p 'process.versions.node.split(".")[0]')
prefix=$cache/code-server-$version-node$node_major
bin=$prefix/node_modules/.bin/code-server

have_version() {
  node -p "require('$prefix/node_modules/code-server/package.json').version" 2>/dev/null || true
}

if [ -f "$prefix/.complete" ] && [ -x "$bin" ] && [ "$(have_version)" = "$version" ]; then
  echo "$bin"
  exit 0
fi

# From here on stdout is reserved for the final path (fd 3); all chatter goes to stderr.
exec 3>&1 1>&2
if [ "$node_major" != 20 ]; then
  echo "note: code-server $version is built for Node 20; this is Node $node_major"
fi

# System packages: a browser for the workbench, ripgrep (see below), Kerberos headers for a native module.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
[ -e /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q "${need[@]}"
fi

rm -rf "$prefix"
mkdir -p "$prefix/tmp"
export TMPDIR=$prefix/tmp
export npm_config_nodedir=${npm_config_nodedir:-/usr}   # native modules build against the local Node headers
export npm_config_yes=true                               # a postinstall runs `npx node-gyp`
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
cd "$prefix"

# @vscode/ripgrep downloads its binary from GitHub in postinstall unless its download cache already
# holds the archive. Put Debian's rg there under the name it looks for.
npm pack --silent "code-server@$version" >/dev/null
tar xzf "code-server-$version.tgz" package/lib/vscode/npm-shrinkwrap.json
rg_pkg=$(node -p "require('./package/lib/vscode/npm-shrinkwrap.json').packages['node_modules/@vscode/ripgrep'].version")
npm pack --silent "@vscode/ripgrep@$rg_pkg" >/dev/null
tar xzf "vscode-ripgrep-$rg_pkg.tgz" package/lib/postinstall.js
rg_tag=$(sed -n "s/^const VERSION = '\(.*\)';/\1/p" package/lib/postinstall.js)
seed=$TMPDIR/vscode-ripgrep-cache-$rg_pkg
mkdir -p "$seed" rg-seed
cp "$(command -v rg)" rg-seed/rg
tar czf "$seed/ripgrep-$rg_tag-x86_64-unknown-linux-musl.tar.gz" -C rg-seed rg
rm -rf package rg-seed ./*.tgz

echo '{"name":"budgetml-code-server","private":true}' > package.json
echo "installing code-server $version into $prefix (about a minute)"
started=$(date +%s)
if ! npm install --unsafe-perm --foreground-scripts "code-server@$version" > install.log 2>&1; then
  tail -40 install.log
  exit 1
fi
rm -rf "$TMPDIR"
if [ -x "$bin" ] && [ "$(have_version)" = "$version" ]; then
  touch "$prefix/.complete"
else
  echo "code-server install finished but $bin is missing"
  exit 1
fi
echo "code-server $version ready after $(( $(date +%s) - started ))s ($(du -sh "$prefix" | cut -f1))"
echo "$bin" >&3
