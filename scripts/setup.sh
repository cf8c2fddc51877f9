#!/usr/bin/env bash
# Installs everything the demo and the tests need on a fresh Debian/Ubuntu machine:
# Debian packages (as root; otherwise prints the exact command), then node_modules from the lockfile.
# Idempotent and quick when nothing changed. `--node-only`: just node_modules (installing the service on a DC).
set -euo pipefail
cd "$(dirname "$0")/.."
node_only=false; [ "${1:-}" = --node-only ] && node_only=true

APT_PACKAGES=(
  # Samba AD DC (the real directory for tests and the demo)
  samba samba-ad-dc samba-ad-provision samba-dsdb-modules samba-vfs-modules winbind python3-samba
  ldb-tools ldap-utils krb5-user python3-gpg gnupg iproute2
  # BIND 9 plays a domain's public DNS host (RFC 2136 updates); nsupdate and dig for the product and tests
  bind9 bind9-dnsutils
  # tests: nss_wrapper makes a test DC's FQDN resolve for samba-tool/kinit (Kerberos needs the name)
  libnss-wrapper
  # OS keychain (Secret Service) for a headless session
  gnome-keyring dbus libsecret-tools
  # Real browser for end-to-end tests
  chromium fonts-dejavu-core
  # The service install tests: systemd-analyze verify, systemd-creds, systemd-sysusers (no running systemd needed)
  systemd
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ] && ! $node_only; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    # The test DC is started by hand; keep the packaged daemons from auto-starting.
    [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=900 "${missing[@]}" >/dev/null
  else
    echo "setup: these Debian packages are missing. Install them, then run again:" >&2
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

# node_modules from the lockfile; Electron's binary can't be fetched on every machine and
# nothing but `npm start` needs it.
stamp=node_modules/.openessentials-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: installing node modules (npm ci)"
  ELECTRON_SKIP_BINARY_DOWNLOAD=${ELECTRON_SKIP_BINARY_DOWNLOAD:-1} npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
