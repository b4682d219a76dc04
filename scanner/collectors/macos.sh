#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# trueup's macOS collector. Run it on a Mac (no admin rights needed, nothing is installed):
#
#   sh macos.sh                 # the JSON on standard output
#   sh macos.sh /path/HOST.json # the JSON in a file (written whole or not at all)
#
# then give the files to trueup: `trueup scan import:HOST.json`. One file per machine:
#
#   {"trueup_collector": "macos", "version": 1, "collected_at": "2024-05-01T10:00:00Z",
#    "host": {"hostname", "fqdn", "computer_name", "machine_id" (the hardware UUID), "serial",
#             "manufacturer", "model", "os_name", "os_version", "os_build", "kernel", "arch",
#             "memory_bytes", "is_virtual", "cpu": {"sockets", "cores", "threads", "model"},
#             "ip_addresses": [...],
#             "system_profiler": <system_profiler -json SPHardwareDataType SPSoftwareDataType>},
#    "applications": <system_profiler -json SPApplicationsDataType>}
#
# Unknown values are null. system_profiler's JSON is embedded as it printed it; when it fails,
# "applications" is null and trueup refuses the file rather than record every application as
# removed. POSIX sh and the tools every macOS has (awk, sysctl, sw_vers, scutil, ioreg).

LC_ALL=C
export LC_ALL
PATH=$PATH:/usr/sbin:/usr/bin:/sbin:/bin
export PATH

out=${1:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/trueup-macos.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# A JSON string of $1, or null when empty. Control characters are dropped, line breaks kept
# as \n; bytes above 127 (UTF-8) pass through.
json_string() {
	if [ -z "$1" ]; then
		printf 'null'
		return
	fi
	printf '%s\n' "$1" | awk 'BEGIN { ORS = ""; print "\"" }
		{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); gsub(/[[:cntrl:]]/, "")
		  if (NR > 1) print "\\n"
		  print }
		END { print "\"" }'
}

# A JSON number of $1 when it is a whole number, else null.
json_number() {
	case $1 in
	'' | *[!0-9]*) printf 'null' ;;
	*) printf '%s' "$1" | sed 's/^0*\([0-9]\)/\1/' ;;
	esac
}

# Does file $1 hold a JSON object (its first non-blank character a "{")?
is_json_object() {
	[ "$(awk 'NF { print substr($1, 1, 1); exit }' "$1" 2>/dev/null)" = "{" ]
}

# The JSON a command wrote to file $1, or null when it wrote none.
json_raw() {
	if is_json_object "$1"; then
		cat "$1"
	else
		printf 'null'
	fi
}

value() {
	"$@" 2>/dev/null | awk 'NF { print; exit }'
}

hostname_short=$(value hostname -s)
[ -n "$hostname_short" ] || hostname_short=$(value hostname)
fqdn=$(value hostname -f)
case $fqdn in *.*) ;; *) fqdn= ;; esac
computer_name=$(value scutil --get ComputerName)
os_name=$(value sw_vers -productName)
os_version=$(value sw_vers -productVersion)
os_build=$(value sw_vers -buildVersion)
kernel=$(value uname -r)
arch=$(value uname -m)
model=$(value sysctl -n hw.model)
memory=$(value sysctl -n hw.memsize)
packages=$(value sysctl -n hw.packages)
cores=$(value sysctl -n hw.physicalcpu)
threads=$(value sysctl -n hw.logicalcpu)
cpu_model=$(value sysctl -n machdep.cpu.brand_string)
vmm=$(value sysctl -n kern.hv_vmm_present)
ioreg -rd1 -c IOPlatformExpertDevice >"$tmp/ioreg" 2>/dev/null
uuid=$(awk -F'"' '$2 == "IOPlatformUUID" { print $4; exit }' "$tmp/ioreg")
serial=$(awk -F'"' '$2 == "IOPlatformSerialNumber" { print $4; exit }' "$tmp/ioreg")
case $vmm in
1) is_virtual=true ;;
0) is_virtual=false ;;
*) is_virtual=null ;;
esac

system_profiler -json SPHardwareDataType SPSoftwareDataType >"$tmp/hw.json" 2>/dev/null
system_profiler -json SPApplicationsDataType >"$tmp/apps.json" 2>/dev/null

{
	printf '{"trueup_collector": "macos", "version": 1, "collected_at": %s,\n' \
		"$(json_string "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
	printf ' "host": {"hostname": %s, "fqdn": %s, "computer_name": %s,\n' \
		"$(json_string "$hostname_short")" "$(json_string "$fqdn")" "$(json_string "$computer_name")"
	printf '  "machine_id": %s, "serial": %s, "manufacturer": "Apple Inc.", "model": %s,\n' \
		"$(json_string "$uuid")" "$(json_string "$serial")" "$(json_string "$model")"
	printf '  "os_name": %s, "os_version": %s, "os_build": %s, "kernel": %s, "arch": %s,\n' \
		"$(json_string "$os_name")" "$(json_string "$os_version")" "$(json_string "$os_build")" \
		"$(json_string "$kernel")" "$(json_string "$arch")"
	printf '  "memory_bytes": %s, "is_virtual": %s,\n' "$(json_number "$memory")" "$is_virtual"
	printf '  "cpu": {"sockets": %s, "cores": %s, "threads": %s, "model": %s},\n' \
		"$(json_number "$packages")" "$(json_number "$cores")" "$(json_number "$threads")" \
		"$(json_string "$cpu_model")"
	printf '  "ip_addresses": ['
	sep=
	ifconfig 2>/dev/null | awk '
		$1 == "inet" && $2 != "127.0.0.1" { print $2 }
		$1 == "inet6" && $2 != "::1" && $2 !~ /^fe80/ { sub(/%.*/, "", $2); print $2 }' |
		while IFS= read -r ip; do
			printf '%s%s' "$sep" "$(json_string "$ip")"
			sep=', '
		done
	printf '],\n  "system_profiler": '
	json_raw "$tmp/hw.json"
	printf '},\n "applications": '
	json_raw "$tmp/apps.json"
	printf '}\n'
} >"$tmp/out.json"

status=0
if ! is_json_object "$tmp/apps.json"; then
	echo "macos.sh: system_profiler SPApplicationsDataType gave no JSON; trueup will refuse this file" >&2
	status=2
fi
if [ -n "$out" ]; then
	cp "$tmp/out.json" "$out.tmp.$$" && mv "$out.tmp.$$" "$out" || exit 1
else
	cat "$tmp/out.json"
fi
exit $status
