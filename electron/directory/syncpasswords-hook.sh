#!/bin/bash
# --script for `samba-tool user syncpasswords`: receives ONE account's LDIF (with the cleartext password) on stdin
# and forwards it, base64 on a single line, into the capture FIFO owned by SambaPasswordCapture (mode 0600 in a
# 0700 dir). Nothing is written to disk or logs. Answering DONE-EXIT tells samba-tool the object was handled.
set -u -o pipefail
# Only ever into the FIFO: if it is gone (our process stopped), a plain redirect would create a regular file
# (hence also conv=nocreat). Opened non-blocking: with nobody reading, open fails at once (ENXIO) instead of
# hanging forever with the password in its stdin; samba-tool then keeps the object for its next run.
[ -p "${OE_CAPTURE_FIFO:?}" ] || { echo "ERROR: capture pipe unavailable"; exit 1; }
{ base64 -w0; echo; } | dd of="$OE_CAPTURE_FIFO" oflag=nonblock conv=nocreat status=none 2>/dev/null \
  || { echo "ERROR: capture pipe unavailable"; exit 1; }
echo "DONE-EXIT: forwarded"
