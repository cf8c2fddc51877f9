#!/usr/bin/env bash
# The single entry behind the npm scripts: installs what's needed (scripts/setup.sh), builds the renderer
# when its sources changed, and runs the task inside a private keychain session when it needs secrets.
#   run.sh demo | test | service [--web] | sandbox | start | bench <name> | service-install [options]
set -euo pipefail
cd "$(dirname "$0")/.."
task="${1:-}"; shift || true
# Installing the service on a production DC needs node modules and a build, not the test and demo packages
# (and not setup.sh's hold on apt's daemon starts).
if [ "$task" = service-install ]; then bash scripts/setup.sh --node-only; else bash scripts/setup.sh; fi

build_renderer() {
  local stamp=dist/renderer/.stamp
  if [ ! -f "$stamp" ] || [ -n "$(find renderer shared vite.config.ts -newer "$stamp" -type f 2>/dev/null | head -1)" ]; then
    echo "run: building the dashboard (vite)"
    npx vite build --logLevel warn
    touch "$stamp"
  fi
}
keyring() { dbus-run-session -- scripts/with-keyring.sh "$@"; }

case "$task" in
  demo)    build_renderer; keyring npx tsx scripts/demo.ts "$@" ;;
  service) build_renderer; node scripts/build-electron.mjs >/dev/null; keyring node dist/electron/headless.mjs "$@" ;;
  service-install) build_renderer; node scripts/build-electron.mjs >/dev/null; node scripts/service-install.mjs install "$@" ;;
  sandbox) npx tsx test/sandbox-tenant/main.ts "$@" ;;
  test)    build_renderer; keyring bash scripts/test.sh "$@" ;;
  bench)   name="${1:?bench name}"; shift; node scripts/build-bench.mjs "$name"; keyring node "dist/bench/$name.mjs" "$@" ;;
  start)
    if [ ! -x node_modules/electron/dist/electron ] && [ ! -d node_modules/electron/dist/Electron.app ]; then
      echo "Electron's binary is not installed (it is fetched by 'npm ci' on a machine with internet access)." >&2
      echo "Run 'npm ci' without ELECTRON_SKIP_BINARY_DOWNLOAD, or use 'npm run service -- --web' for the web dashboard." >&2
      exit 1
    fi
    npm run build --silent
    exec npx electron . "$@" ;;
  *) echo "usage: scripts/run.sh demo|test|service|service-install|sandbox|start|bench <name>" >&2; exit 2 ;;
esac
