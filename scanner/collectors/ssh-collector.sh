#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# trueup's SSH collector. trueup runs it on a remote host as `sh -s -- TOKEN [GLOB...]` with
# this script on standard input; nothing is installed or written on the host. It prints the
# files and command outputs that trueup's parsers need, each framed as
#
#   @@TOKEN file PATH            (or: @@TOKEN skip PATH SIZE, for a file over the size cap)
#   ...the bytes of the file...
#   @@TOKEN end
#
# where TOKEN is random per scan, so no file content can fake a frame. Command outputs appear
# as files under /.trueup/cmd/. The GLOB arguments are the binary fingerprints' path globs.
# Everything is read-only; errors are ignored (a missing file simply does not appear).

T=$1
shift
[ -n "$T" ] || exit 2
LC_ALL=C
export LC_ALL
MAX=268435456

emit() {
	case $1 in *"
"*) return 0 ;; esac
	[ -f "$1" ] && [ -r "$1" ] || return 0
	sz=$(wc -c < "$1" 2>/dev/null) || return 0
	sz=$(echo $sz)
	if [ "$sz" -gt "$MAX" ] 2>/dev/null; then
		printf '@@%s skip %s %s\n' "$T" "$1" "$sz"
		return 0
	fi
	printf '@@%s file %s\n' "$T" "$1"
	cat "$1" 2>/dev/null
	printf '\n@@%s end\n' "$T"
}

cmd() {
	name=$1
	shift
	command -v "$1" >/dev/null 2>&1 || return 0
	printf '@@%s file /.trueup/cmd/%s\n' "$T" "$name"
	"$@" 2>/dev/null
	printf '\n@@%s end\n' "$T"
}

# host facts
for f in /etc/os-release /usr/lib/os-release /etc/machine-id /var/lib/dbus/machine-id \
	/etc/hostname /etc/debian_version /etc/redhat-release /etc/alpine-release \
	/proc/cpuinfo /proc/meminfo /proc/sys/kernel/osrelease \
	/sys/class/dmi/id/sys_vendor /sys/class/dmi/id/product_name \
	/sys/class/dmi/id/product_serial /.dockerenv /run/.containerenv; do
	emit "$f"
done
cmd hostname hostname
cmd hostname-f hostname -f
cmd uname-m uname -m
cmd ip-addr ip -o addr show

# dpkg
emit /var/lib/dpkg/status
for f in /var/lib/dpkg/status.d/*; do emit "$f"; done

# rpm: the host's own rpm reads its database best; the files otherwise
# (a failing rpm must not look like "no packages": then the database files are sent instead)
rpm_ok=0
if command -v rpm >/dev/null 2>&1; then
	if out=$(rpm -qa --queryformat '%{NAME}\t%|EPOCH?{%{EPOCH}}:{}|\t%{VERSION}\t%{RELEASE}\t%|ARCH?{%{ARCH}}:{}|\t%|VENDOR?{%{VENDOR}}:{}|\t%|SOURCERPM?{%{SOURCERPM}}:{}|\t%{SIZE}\t%{INSTALLTIME}\t%|LICENSE?{%{LICENSE}}:{}|\n' 2>/dev/null) && [ -n "$out" ]; then
		printf '@@%s file /.trueup/cmd/rpm-qa\n' "$T"
		printf '%s\n' "$out"
		printf '\n@@%s end\n' "$T"
		rpm_ok=1
	fi
fi
if [ "$rpm_ok" = 0 ]; then
	for f in /var/lib/rpm/rpmdb.sqlite /var/lib/rpm/Packages /var/lib/rpm/Packages.db \
		/usr/lib/sysimage/rpm/rpmdb.sqlite /usr/lib/sysimage/rpm/Packages \
		/usr/lib/sysimage/rpm/Packages.db; do
		emit "$f"
	done
fi

# apk, pacman, snap, flatpak
emit /lib/apk/db/installed
for f in /var/lib/pacman/local/*/desc; do emit "$f"; done
for f in /snap/*/current/meta/snap.yaml; do emit "$f"; done
for d in /var/lib/flatpak/app/*/*/* /var/lib/flatpak/runtime/*/*/* \
	/home/*/.local/share/flatpak/app/*/*/* /home/*/.local/share/flatpak/runtime/*/*/* \
	/root/.local/share/flatpak/app/*/*/* /root/.local/share/flatpak/runtime/*/*/*; do
	emit "$d/active/deploy"
	emit "$d/active/metadata"
done

# Python: every interpreter's site- and dist-packages
for d in /usr/lib/python* /usr/lib64/python* /usr/local/lib/python* /usr/local/lib64/python* \
	/opt/*/lib/python* /opt/*/*/lib/python* /home/*/.local/lib/python* \
	/root/.local/lib/python*; do
	for sp in "$d/site-packages" "$d/dist-packages"; do
		[ -d "$sp" ] || continue
		for f in "$sp"/*.dist-info/METADATA "$sp"/*.egg-info/PKG-INFO "$sp"/*.egg-info; do
			emit "$f"
		done
	done
done

# npm global prefixes
for p in /usr/lib/node_modules /usr/local/lib/node_modules /opt/*/lib/node_modules; do
	for f in "$p"/*/package.json "$p"/@*/*/package.json; do emit "$f"; done
done

# SWID tags
for d in /usr/share/swidtag /usr/local/share/swidtag /etc/swid/swidtags.d; do
	[ -d "$d" ] || continue
	find "$d" -maxdepth 3 \( -name '*.swidtag' -o -name '*.xml' \) -type f 2>/dev/null |
	while IFS= read -r f; do emit "$f"; done
done

# macOS application bundles
for f in /Applications/*.app/Contents/Info.plist /Applications/*/*.app/Contents/Info.plist \
	/System/Applications/*.app/Contents/Info.plist /Users/*/Applications/*.app/Contents/Info.plist; do
	emit "$f"
done

# binary fingerprints: the globs given on the command line (relative to /); files a package
# owns, also through a symlink, are left out (the package manager records them)
for g in "$@"; do
	for f in /$g; do
		[ -f "$f" ] || continue
		real=$(readlink -f "$f" 2>/dev/null) || real=$f
		if command -v dpkg-query >/dev/null 2>&1 && dpkg-query -S "$real" >/dev/null 2>&1; then
			continue
		fi
		if command -v rpm >/dev/null 2>&1 && rpm -qf "$real" >/dev/null 2>&1; then
			continue
		fi
		emit "$f"
	done
done
exit 0
