#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (the Secret Service),
# so the OS-keychain SecretStore works headless (tests, CI, demo on a server without a desktop).
# Usage: dbus-run-session -- scripts/with-keyring.sh <command...>   (scripts/run.sh does this for you)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export XDG_DATA_HOME="${OE_XDG_DIR:-$root/.xdg}/data" XDG_RUNTIME_DIR="${OE_XDG_DIR:-$root/.xdg}/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
# A throwaway keyring password: this keyring exists only for this headless session's data dir.
eval "$(printf '%s' 'openessentials-headless' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
exec "$@"
