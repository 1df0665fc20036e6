#!/usr/bin/env bash
# Start a ClamAV daemon that works offline: its only signature is the EICAR test file.
# Prints the socket path. Used by .ci/run; also handy on a developer's machine
# (apt-get install clamav-daemon), then: export CLAMD_SOCKET=$(scripts/start-clamd.sh)
set -euo pipefail
dir="$(cd "$(dirname "$0")/.." && pwd)/var/clamd"
mkdir -p "$dir/db"
# MD5:size:name of the 68-byte EICAR anti-virus test file.
echo "44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature" > "$dir/db/eicar.hdb"
cat > "$dir/clamd.conf" <<CONF
DatabaseDirectory $dir/db
LocalSocket $dir/clamd.sock
PidFile $dir/clamd.pid
LogFile $dir/clamd.log
Foreground no
User root
StreamMaxLength 30M
CONF
if [ -S "$dir/clamd.sock" ] && [ -f "$dir/clamd.pid" ] && kill -0 "$(cat "$dir/clamd.pid")" 2>/dev/null; then
  echo "$dir/clamd.sock"
  exit 0
fi
rm -f "$dir/clamd.sock"
clamd -c "$dir/clamd.conf" >&2
for _ in $(seq 60); do [ -S "$dir/clamd.sock" ] && break; sleep 0.5; done
[ -S "$dir/clamd.sock" ] || { echo "clamd did not start; see $dir/clamd.log" >&2; exit 1; }
echo "$dir/clamd.sock"
