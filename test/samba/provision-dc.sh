#!/bin/bash
# Provisions a throwaway Samba AD DC whose every file lives under <dir>; nothing is read from /etc/samba.
# Usage: provision-dc.sh <dir> <ip> <host> <realm> <netbios-domain> [gpg:0|1] [dns:0|1]
# dns=1 provisions Samba's internal DNS server (SAMBA_INTERNAL), answering on <ip>:53 for the AD zones; 0 = no DNS.
# The admin password comes from $DC_ADMIN_PASSWORD (kept off the command line of this script).
# `ldap server require strong auth` stays at its default: simple binds only over LDAPS/StartTLS, as on Windows.
set -euo pipefail
T=$(realpath -m "$1"); IP="$2"; HOST="$3"; REALM="$4"; DOMAIN="$5"; GPG="${6:-0}"; DNS="${7:-0}"
if [ "$DNS" = 1 ]; then BACKEND=SAMBA_INTERNAL; SERVICES="-dnsupdate, -ntp_signd"; else BACKEND=NONE; SERVICES="-dns, -dnsupdate, -ntp_signd"; fi
: "${DC_ADMIN_PASSWORD:?DC_ADMIN_PASSWORD must be set}"
rm -rf "$T"; mkdir -p "$T"/{etc,run,log,cache}
chmod 700 "$T"
: > "$T/etc/smb.conf"   # empty file => provision ignores /etc/samba/smb.conf
samba-tool domain provision -s "$T/etc/smb.conf" --targetdir="$T" \
  --realm="$REALM" --domain="$DOMAIN" --server-role=dc --dns-backend=$BACKEND \
  --host-name="$HOST" --host-ip="$IP" --adminpass="$DC_ADMIN_PASSWORD" \
  --option="netbios name = $HOST" --option="interfaces = $IP" --option="bind interfaces only = yes" \
  > "$T/log/provision.log" 2>&1 || { grep -v -i pass "$T/log/provision.log" | tail -30 >&2; exit 1; }

cat > "$T/etc/smb.conf" <<CONF
[global]
	netbios name = $HOST
	workgroup = $DOMAIN
	realm = $REALM
	server role = active directory domain controller
	interfaces = $IP
	bind interfaces only = yes
	server services = $SERVICES
	disable netbios = yes
	load printers = no
	printing = bsd
	printcap name = /dev/null
	private dir = $T/private
	lock directory = $T
	state directory = $T/state
	cache directory = $T/cache
	pid directory = $T/run
	ncalrpc dir = $T/run/ncalrpc
	winbindd socket directory = $T/run/winbindd
	ntp signd socket directory = $T/run/ntp_signd
	binddns dir = $T/bind-dns
	log file = $T/log/samba.log
	max log size = 10000
	log level = 1
	# test DC: one worker per service makes change notifications near-instant; no fsync
	prefork children = 1
	ldb:nosync = true
	include = $T/etc/extra.conf

[sysvol]
	path = $T/state/sysvol
	read only = No

[netlogon]
	path = $T/state/sysvol/${REALM,,}/scripts
	read only = No
CONF
: > "$T/etc/extra.conf"

# users may change their own password twice in a row in tests; no history
samba-tool domain passwordsettings set -s "$T/etc/smb.conf" -H "$T/private/sam.ldb" \
  --min-pwd-age=0 --history-length=0 >/dev/null

if [ "$GPG" = 1 ]; then
  export GNUPGHOME="$T/gnupg"; mkdir -m 700 -p "$GNUPGHOME"
  gpg --batch --pinentry-mode loopback --passphrase '' \
    --quick-generate-key "Samba password capture <pwcapture@${HOST,,}.test>" future-default default never >/dev/null 2>&1
  FPR=$(gpg --list-keys --with-colons | awk -F: '/^fpr/{print $10; exit}')
  printf '\tpassword hash gpg key ids = %s\n' "$FPR" > "$T/etc/extra.conf"
fi
echo "provisioned $REALM in $T (ip $IP, host $HOST)"
