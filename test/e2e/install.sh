#!/usr/bin/env bash
# Installs what the editor tests need, into a cache OUTSIDE the work tree:
#   - Debian packages (only those missing): chromium, ripgrep, neovim,
#     fonts-noto-cjk, and the toolchain code-server's native modules build with;
#   - code-server (VS Code in the browser, from npm) and playwright-core
#     (drives /usr/bin/chromium; it downloads no browser).
# A finished install is reused: each one lives in a directory named after its
# versions and is marked complete by a stamp file written last.
#
#   bash test/e2e/install.sh          # prints KEY=VALUE lines on stdout at the end
#
# Env: GOINSIGHT_E2E_CACHE (default ~/.cache/goinsight-e2e), GOINSIGHT_E2E_SKIP_APT=1,
#      CS_VERSION, PW_VERSION.
set -euo pipefail

CS_VERSION=${CS_VERSION:-4.100.3}      # VS Code 1.100.3; the last code-server that runs on Node 20
PW_VERSION=${PW_VERSION:-1.65.1}
CACHE=${GOINSIGHT_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/goinsight-e2e}
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
ARCH=$(node -p 'process.arch')
CS_DIR="$CACHE/code-server-$CS_VERSION-node$NODE_MAJOR-$ARCH"
PW_DIR="$CACHE/playwright-core-$PW_VERSION"
log() { echo "[e2e-install] $*" >&2; }

# ------------------------------------------------------------ Debian packages
# chromium: the browser; ripgrep: stands in for @vscode/ripgrep's GitHub download;
# neovim: the second LSP client; fonts-noto-cjk: the Chinese of the zh-cn screenshots
# (without it Chromium draws boxes); the rest: node-gyp builds (argon2, node-pty, kerberos…).
need_pkgs=(chromium ripgrep neovim fonts-noto-cjk)
[ -f "$CS_DIR/.complete" ] || need_pkgs+=(build-essential python3 pkg-config libkrb5-dev)
missing=()
for p in "${need_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ -n "${GOINSIGHT_E2E_SKIP_APT:-}" ]; then
    log "missing Debian packages: ${missing[*]} (GOINSIGHT_E2E_SKIP_APT is set, not installing)"
  else
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    log "installing Debian packages: ${missing[*]}"
    apt_log=$(mktemp "${TMPDIR:-/tmp}/goinsight-e2e-apt.XXXXXX")
    if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1; then
      tail -30 "$apt_log" >&2; log "apt-get failed, full log: $apt_log"; exit 2
    fi
    rm -f "$apt_log"
  fi
fi

[ "$NODE_MAJOR" = 20 ] || { log "code-server $CS_VERSION needs Node 20, this is $(node --version)"; exit 2; }

mkdir -p "$CACHE"
# One install at a time per cache (two test runs may start together).
exec 9>"$CACHE/.lock"
flock -w 900 9 || { log "timed out waiting for $CACHE/.lock"; exit 2; }

# ------------------------------------------------------------ code-server
if [ ! -f "$CS_DIR/.complete" ]; then
  log "installing code-server $CS_VERSION into $CS_DIR (a few minutes: native modules are built)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"/{tmp,pack,pkg}
  # node-gyp builds against local headers: it cannot download them.
  nodedir=$(node -p 'require("path").resolve(process.execPath, "../..")')
  [ -f "$nodedir/include/node/node_api.h" ] || nodedir=/usr
  [ -f "$nodedir/include/node/node_api.h" ] || { log "no Node headers (include/node/node_api.h) next to $(command -v node) or in /usr"; exit 2; }

  # @vscode/ripgrep's postinstall downloads rg from GitHub unless
  # $TMPDIR/vscode-ripgrep-cache-<pkg version>/ripgrep-<rg release>-<target>.tar.gz exists:
  # seed it with Debian's /usr/bin/rg.
  cd "$CS_DIR/pack"
  tgz=$(npm pack "code-server@$CS_VERSION" --silent 2>/dev/null | tail -1)
  mkdir cs rg && tar xzf "$tgz" -C cs --strip-components=1 package/lib/vscode/npm-shrinkwrap.json
  rg_pkg=$(node -p "require('./cs/lib/vscode/npm-shrinkwrap.json').packages['node_modules/@vscode/ripgrep'].version")
  rgtgz=$(npm pack "@vscode/ripgrep@$rg_pkg" --silent 2>/dev/null | tail -1)
  tar xzf "$rgtgz" -C rg --strip-components=1
  rg_rel=$(sed -n "s/^const VERSION = '\(.*\)';.*/\1/p" rg/lib/postinstall.js)
  case "$ARCH" in x64) rg_target=x86_64-unknown-linux-musl ;; arm64) rg_target=aarch64-unknown-linux-musl ;;
    *) log "unsupported arch $ARCH"; exit 2 ;; esac
  rg_cache="$CS_DIR/tmp/vscode-ripgrep-cache-$rg_pkg"
  mkdir -p "$rg_cache" rgstage && cp "$(command -v rg)" rgstage/rg
  tar czf "$rg_cache/ripgrep-$rg_rel-$rg_target.tar.gz" -C rgstage rg

  cd "$CS_DIR/pkg"
  echo '{"name":"goinsight-e2e-code-server","private":true}' > package.json
  # unsafe_perm: code-server's postinstall refuses root without it;
  # yes: node-pty's postinstall runs `npx node-gyp` (a `yes=false` npmrc would abort it).
  if ! TMPDIR="$CS_DIR/tmp" npm_config_nodedir="$nodedir" npm_config_unsafe_perm=true npm_config_yes=true \
      npm install "code-server@$CS_VERSION" --foreground-scripts --no-audit --no-fund --no-save \
      >"$CS_DIR/install.log" 2>&1; then
    tail -40 "$CS_DIR/install.log" >&2; log "code-server install failed, full log: $CS_DIR/install.log"; exit 2
  fi
  test -x node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg \
    || { log "code-server installed without ripgrep"; exit 2; }
  rm -rf "$CS_DIR/pack" "$CS_DIR/tmp"
  date -u +%FT%TZ > "$CS_DIR/.complete"
fi

# ------------------------------------------------------------ playwright-core
if [ ! -f "$PW_DIR/.complete" ]; then
  log "installing playwright-core $PW_VERSION into $PW_DIR"
  rm -rf "$PW_DIR"; mkdir -p "$PW_DIR"; cd "$PW_DIR"
  echo '{"name":"goinsight-e2e-playwright","private":true}' > package.json
  npm install "playwright-core@$PW_VERSION" --no-audit --no-fund --no-save --silent >&2
  date -u +%FT%TZ > "$PW_DIR/.complete"
fi

echo "CODE_SERVER=$CS_DIR/pkg/node_modules/.bin/code-server"
echo "PLAYWRIGHT_DIR=$PW_DIR"
echo "CHROMIUM=$(command -v chromium || echo /usr/bin/chromium)"
echo "NVIM=$(command -v nvim || true)"
