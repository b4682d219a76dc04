#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Hostile input, through the real binary (issue 16). Each block is one item of the README's
# Security section: FIFOs where files are expected, output files in a directory another user
# can write to (planted symlinks at the names trueup used to use), the user's umask on
# reports and a private run log, a fake `ssh` first on PATH playing a hostile or hung remote
# (--timeout, SIGTERM, terminal escapes in host facts), and over-long fields.
. "$(dirname "$0")/lib.sh"
need_embedded

D="$TMP/data"
T() { "$TRUEUP" --data-dir "$D" "$@"; }
# bounded: a hang is a failure with a reason, not a stuck test
B() { timeout -s KILL 60 "$TRUEUP" --data-dir "$D" "$@"; }
ROOTS="$TU_SOURCE_ROOT/examples/demo/roots"
run T db migrate

# --- 1. FIFOs are refused, never waited on ---------------------------------------------------
R="$TMP/fifo-root"
cp -a "$ROOTS/lon-web-01" "$R"
rm -f "$R/var/lib/dpkg/status" "$R/etc/os-release"
mkfifo "$R/var/lib/dpkg/status" "$R/etc/os-release"
t0=$(date +%s)
run B scan --root "$R" --no-binaries --print tsv
# the host fails with the reason rather than being stored without its packages (which would
# mark them all removed)
is "$rc" 1 "fifo: a root whose dpkg status and os-release are FIFOs fails, not hangs"
like "$err" "var/lib/dpkg/status: a named pipe \(FIFO\), not a regular file; refused" \
	"fifo: the dpkg status FIFO is named and refused"
ok $(( $(date +%s) - t0 < 30 ? 0 : 1 )) "fifo: the scan ends at once"
mkfifo "$TMP/inbox.json"
run B scan --import "$TMP/inbox.json" --print tsv
ok $(( rc != 0 && rc != 137 ? 0 : 1 )) "fifo: --import of a FIFO fails (not killed by the guard)"
like "$err" "inbox.json: a named pipe \(FIFO\), not a regular file; refused" "fifo: --import says why"
mkfifo "$TMP/ents.csv"
run B import entitlements "$TMP/ents.csv"
ok $(( rc != 0 && rc != 137 ? 0 : 1 )) "fifo: a licence CSV that is a FIFO fails at once"
like "$err" "ents.csv: a named pipe \(FIFO\)" "fifo: the licence file is named"

# --- 2. output files in a shared directory ---------------------------------------------------
O="$TMP/shared-reports"
mkdir -p "$O"
chmod 1777 "$O"
printf 'precious\n' > "$TMP/victim"
# The old temporary name was .NAME.PID.tmp: exec keeps the shell's pid, so the planted link
# sits exactly where the old code opened its temporary file with fopen().
run sh -c 'ln -s "$1" "$2/.inv.xlsx.$$.tmp"; ln -s "$1" "$2/.inv.csv.$$.tmp"; shift 2; exec "$@"' \
	sh "$TMP/victim" "$O" "$TRUEUP" --data-dir "$D" report inventory -o "$O/inv.xlsx"
is "$rc" 0 "clobber: the report is written"
is "$(cat "$TMP/victim")" "precious" "clobber: a symlink planted at the temporary name is not written through"
test -f "$O/inv.xlsx" && ! test -L "$O/inv.xlsx"
ok $? "clobber: the report is a regular file"
ln -s "$TMP/victim" "$O/inv2.xlsx"
run T report inventory -o "$O/inv2.xlsx"
is "$(cat "$TMP/victim")" "precious" "clobber: a symlink planted at the final name is replaced, not followed"
test -f "$O/inv2.xlsx" && ! test -L "$O/inv2.xlsx"
ok $? "clobber: and the report took its place"
n_staging=$(find "$O" -name '.trueup-*' | wc -l)
is "$n_staging" 0 "clobber: no staging directory is left behind"

RUN="$TMP/run"
mkdir -p "$RUN/out"
cat > "$RUN/trueup.conf" <<CONF
[run]
output-dir = out
log = out/trueup-run.log
targets = root:$ROOTS/lon-web-01
no-binaries = true
CONF
ln -s "$TMP/victim" "$RUN/out/.trueup-run.lock"
run B --config "$RUN/trueup.conf" run
ok $(( rc != 0 ? 0 : 1 )) "clobber: a run whose lock name is a planted symlink refuses to start"
like "$err" "lock .*trueup-run.lock is a symbolic link; refused" "clobber: and says why"
is "$(cat "$TMP/victim")" "precious" "clobber: the lock's symlink target is not truncated"
rm "$RUN/out/.trueup-run.lock"
ln "$TMP/victim" "$RUN/out/.trueup-run.lock"
run B --config "$RUN/trueup.conf" run
like "$err" "not a regular file of this user with one link; refused" "clobber: a planted hard link is refused too"
is "$(cat "$TMP/victim")" "precious" "clobber: and its file is not truncated"
rm "$RUN/out/.trueup-run.lock"

# --- 5 (logs) and 9. the run log is private; reports follow the user's umask -----------------
run sh -c 'umask 022; exec "$@"' sh "$TRUEUP" --data-dir "$D" --config "$RUN/trueup.conf" run
is "$rc" 0 "umask: the run succeeds"
is "$(stat -c %a "$RUN/out/trueup-run.log")" 600 "logs: the run log is 0600"
f=$(ls "$RUN"/out/compliance-*.xlsx | head -1)
is "$(stat -c %a "$f")" 644 "umask: a report written under umask 022 is 0644 (not the server's 0660)"
run sh -c 'umask 077; exec "$@"' sh "$TRUEUP" --data-dir "$D" report inventory -o "$O/private.csv"
is "$(stat -c %a "$O/private.csv")" 600 "umask: under umask 077 it is 0600"
is "$(stat -c %a "$D")" 700 "umask: the store's data directory stays private"

# --- 6, 7 and SIGTERM: a fake ssh first on PATH ----------------------------------------------
F="$TMP/fake-bin"
mkdir -p "$F"
fake_ssh() { # fake_ssh BODY: the remote command line is the last argument (sh -s -- TOKEN ...)
	{ printf '#!/bin/sh\nfor a; do last=$a; done\nset -- $last\nT=$4\ncat > /dev/null\n'
	  printf '%s\n' "$1"; } > "$F/ssh"
	chmod 755 "$F/ssh"
}
fake_ssh "sleep 300 & echo \$! > '$TMP/proxy.pid'
exec sleep 300"
t0=$(date +%s)
run env PATH="$F:$PATH" timeout -s KILL 60 "$TRUEUP" --data-dir "$D" scan --ssh hung.example --timeout 2 --print tsv
t1=$(date +%s)
like "$err" "hung.example: timed out after 2 s" "timeout: the hung host is reported as timed out"
ok $(( t1 - t0 <= 6 ? 0 : 1 )) "timeout: --timeout 2 ends the host within a few seconds ($((t1 - t0)) s)"
pid=$(cat "$TMP/proxy.pid")
state=$(cut -d')' -f2 "/proc/$pid/stat" 2>/dev/null | cut -c2)
[ "${state:-Z}" = Z ]
ok $? "timeout: the child holding the pipes was killed with ssh's group"
kill -9 "$pid" 2>/dev/null

fake_ssh "exec sleep 300"
env PATH="$F:$PATH" "$TRUEUP" --data-dir "$D" scan --ssh hung.example --timeout 0 --print tsv \
	> "$TMP/term.out" 2> "$TMP/term.err" &
scan_pid=$!
sleep 1.5
t0=$(date +%s)
kill -TERM "$scan_pid"
i=0
while kill -0 "$scan_pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
ok $(( i < 50 ? 0 : 1 )) "sigterm: one SIGTERM stops a scan blocked on a hung remote within 5 s ($((i / 10)) s)"
kill -9 "$scan_pid" 2>/dev/null
wait "$scan_pid" 2>/dev/null

esc=$(printf '\033')
fake_ssh "printf '@@%s file /.trueup/cmd/hostname\\n\\033]0;owned\\007evil\\033[2J\\377host\\n@@%s end\\n' \$T \$T
printf '@@%s file /etc/os-release\\nID=debian\\nPRETTY_NAME=\"Debian \\033[31mred\"\\n\\n@@%s end\\n' \$T \$T"
run env PATH="$F:$PATH" timeout -s KILL 60 "$TRUEUP" --data-dir "$D" scan --ssh evil.example --timeout 10
is "$rc" 0 "facts: a host whose facts hold escapes and invalid UTF-8 is stored, not failed"
run T hosts
like "$out" "evil" "facts: the host is listed"
not_like "$out" "$esc" "facts: no escape character reaches the terminal"
printf '%s' "$out" | iconv -f UTF-8 -t UTF-8 > /dev/null 2>&1
ok $? "facts: the listing is valid UTF-8"

# --- 4. over-long fields are cut to their column, the host is stored ------------------------
L="$TMP/long-root"
mkdir -p "$L/etc" "$L/var/lib/dpkg"
long_pretty=$(printf 'Pretty%.0s' $(seq 1 200))        # 1,200 characters (os_pretty holds 255)
long_host=$(printf 'h%.0s' $(seq 1 300))               # 300 characters (hostname holds 255)
long_name=$(printf 'é%.0s' $(seq 1 600))               # 600 two-byte characters (raw_name: 512)
printf 'ID=debian\nVERSION_ID=12\nPRETTY_NAME="%s"\n' "$long_pretty" > "$L/etc/os-release"
printf '%s\n' "$long_host" > "$L/etc/hostname"
cat > "$L/var/lib/dpkg/status" <<STATUS
Package: wide-arch
Status: install ok installed
Version: 1.0-1
Architecture: averyveryverylongarchitecturename-x86-64bit
Maintainer: Someone <someone@example.org>
Description: a package with a 43-character Architecture

Package: $long_name
Status: install ok installed
Version: 2.0-1
Architecture: amd64
Description: a package with a 600-character name

Package: plain
Status: install ok installed
Version: 3.0-1
Architecture: amd64
Description: an ordinary package

STATUS
run B scan --root "$L" --no-binaries
is "$rc" 0 "long: a host with over-long fields is stored, not failed"
like "$err" "wide-arch: arch: 43 characters, more than the 32 the inventory holds; cut to 32" \
	"long: the warning names the record and the field"
like "$err" "host fact: os_pretty: 1200 characters, more than the 255" "long: and the host fact"
like "$err" "raw_name: 600 characters, more than the 512" "long: and the long name"
run T inventory --print tsv
like "$out" "plain" "long: the host's ordinary packages are in the inventory"
like "$out" "averyveryverylongarchitecturenam[[:space:]]" "long: the architecture is cut to 32 characters"
n=$(printf '%s\n' "$out" | grep -o 'éééé*' | head -1 | awk '{ print length($0) }')
is "$n" 512 "long: the 600-character name is cut to 512 characters, on a character boundary"
printf '%s' "$out" | iconv -f UTF-8 -t UTF-8 > /dev/null 2>&1
ok $? "long: and stays valid UTF-8"
run T hosts
like "$out" "hhhhhhhhhh" "long: the host with a 300-character name is listed"
run T normalise --apply
is "$rc" 0 "long: normalise --apply over the cut values succeeds"
run T normalise --apply
like "$out$err" " 0 changed" "long: and a second run finds nothing changed (cut values compare as stored)"

# --- 11. header-only licence and catalogue files say so ----------------------------------------
head -1 "$TU_SOURCE_ROOT/examples/demo/licences/entitlements.csv" > "$TMP/no-ents.csv"
run T import entitlements "$TMP/no-ents.csv"
ok $(( rc != 0 ? 0 : 1 )) "empty: a header-only entitlements file is not a silent success"
like "$err" "no-ents.csv: a header but no rows; nothing to import" "empty: and says so"
printf 'publisher,product,cycle,release_date,latest,latest_date,eol,support_end,lts\n' > "$TMP/no-cat.csv"
run T import catalog "$TMP/no-cat.csv"
like "$err" "no-cat.csv: a header but no rows" "empty: a header-only catalogue CSV says so too"

done_testing
