#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Scan benchmarks: a --hosts file of 200 --root targets scanned --jobs 2 (each root a copy of
# this machine's dpkg database, os-release and Python packages, with its own hostname and
# machine-id), then the same hosts scanned again (nothing changed), and a full local scan.
# Prints seconds and installations per second. $TRUEUP is the binary.
set -eu
: "${TRUEUP:?}"
N=${1:-200}
T=$(mktemp -d "${TMPDIR:-/tmp}/trueup-scan-bench-XXXXXX")
trap 'rm -rf "$T"' EXIT
py=$(ls -d /usr/lib/python3/dist-packages 2>/dev/null || true)
i=0
while [ $i -lt "$N" ]; do
	r="$T/roots/host$i"
	mkdir -p "$r/etc" "$r/var/lib/dpkg" "$r/usr/lib/python3"
	cp /var/lib/dpkg/status "$r/var/lib/dpkg/status"
	cp /etc/os-release "$r/etc/os-release" 2>/dev/null || cp /usr/lib/os-release "$r/etc/os-release"
	echo "host$i" > "$r/etc/hostname"
	printf '%032x\n' $((i + 1)) > "$r/etc/machine-id"
	[ -n "$py" ] && ln -s "$py" "$r/usr/lib/python3/dist-packages"
	echo "root:$r" >> "$T/hosts"
	i=$((i + 1))
done
now() { date +%s.%N; }
D="$T/data"
"$TRUEUP" --data-dir "$D" db migrate > /dev/null
s=$(now)
"$TRUEUP" -q --data-dir "$D" scan --hosts "$T/hosts" --jobs 2 --no-binaries
e=$(now)
rows=$("$TRUEUP" --data-dir "$D" db status | awk '/installations/ { print $2 }')
echo "$N roots, --jobs 2, first scan: $(echo "$e - $s" | bc) s, $rows installations, $(echo "$rows / ($e - $s)" | bc) installations/s"
s=$(now)
"$TRUEUP" -q --data-dir "$D" scan --hosts "$T/hosts" --jobs 2 --no-binaries
e=$(now)
echo "$N roots, --jobs 2, rescan (nothing changed): $(echo "$e - $s" | bc) s"
s=$(now)
"$TRUEUP" -q --data-dir "$T/local" scan --local
e=$(now)
echo "full local scan (binaries included), into a fresh store: $(echo "$e - $s" | bc) s"
s=$(now)
"$TRUEUP" -q --data-dir "$T/local" scan --local
e=$(now)
echo "full local scan again: $(echo "$e - $s" | bc) s"
