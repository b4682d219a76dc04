#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Scanning over SSH against a real sshd that this test starts as the current user on a loopback
# port, with a host key and an authorized key made in a temporary directory. The remote host is
# this machine, so the SSH scan must find exactly what a local scan finds. Also: an unknown host
# key is refused, an unreachable host fails alone, a timeout is a failure.
. "$(dirname "$0")/lib.sh"
need_embedded

SSHD=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$SSHD" ] || skip_all "openssh-server is not installed"
command -v ssh-keygen >/dev/null 2>&1 || skip_all "openssh-client is not installed"

K="$TMP/ssh"
mkdir -p "$K"
chmod 700 "$K"
ssh-keygen -q -t ed25519 -N '' -f "$K/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$K/client_key"
cp "$K/client_key.pub" "$K/authorized_keys"
chmod 600 "$K/authorized_keys"
port=$(( 30000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 ))
user=$(id -un)
cat > "$K/sshd_config" <<CFG
Port $port
ListenAddress 127.0.0.1
HostKey $K/host_key
PidFile $K/sshd.pid
AuthorizedKeysFile $K/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
AllowUsers $user
LogLevel ERROR
CFG
[ "$(id -u)" -eq 0 ] && mkdir -p /run/sshd
"$SSHD" -f "$K/sshd_config" -E "$K/sshd.log" -D &
sshd_pid=$!
stop_sshd() { kill "$sshd_pid" 2>/dev/null; wait "$sshd_pid" 2>/dev/null; }
at_exit stop_sshd
i=0
until ssh-keyscan -p "$port" 127.0.0.1 > "$K/scan" 2>/dev/null && [ -s "$K/scan" ]; do
	i=$((i + 1)); [ $i -gt 100 ] && { cat "$K/sshd.log"; echo "Bail out! sshd did not start"; exit 1; }
	sleep 0.1
done
sed "s/^127.0.0.1/[127.0.0.1]:$port/" "$K/scan" > "$K/known_hosts"
OPTS="-i $K/client_key -o UserKnownHostsFile=$K/known_hosts -o IdentitiesOnly=yes"
D="$TMP/data"
T() { "$TRUEUP" --data-dir "$D" "$@"; }

run T scan --ssh "$user@127.0.0.1:$port" --ssh-options "$OPTS" --print tsv --no-binaries
is "$rc" 0 "scan --ssh of a real sshd succeeds"
printf '%s\n' "$out" | awk -F'\t' 'NR > 1 { print $2 "\t" $3 "\t" $4 "\t" $6 }' | sort > "$TMP/ssh.tsv"
run T scan --local --print tsv --no-binaries
printf '%s\n' "$out" | awk -F'\t' 'NR > 1 { print $2 "\t" $3 "\t" $4 "\t" $6 }' | sort > "$TMP/local.tsv"
test -s "$TMP/ssh.tsv"
ok $? "the SSH scan found software"
diff -u "$TMP/local.tsv" "$TMP/ssh.tsv" > "$TMP/diff" 2>&1
ok $? "the SSH scan of this machine finds what the local scan finds"
[ -s "$TMP/diff" ] && head -20 "$TMP/diff" | sed 's/^/# /'
dpkg_n=$(grep -c "^dpkg	" "$TMP/ssh.tsv")
want=$(dpkg-query -W -f '${db:Status-Status}\n' 2>/dev/null | grep -c '^installed$')
is "$dpkg_n" "$want" "every installed dpkg package came over SSH"

run T scan --ssh "$user@127.0.0.1:$port" --ssh-options "$OPTS" --no-binaries
is "$rc" 0 "and it stores"
run T hosts --print tsv
like "$out" "	ssh://$user@127.0.0.1:$port	" "the host remembers how it was reached"

# a host key nobody has accepted
run T scan --ssh "$user@127.0.0.1:$port" --ssh-options "-i $K/client_key -o UserKnownHostsFile=$TMP/empty_known_hosts" --no-binaries
is "$rc" 1 "an unknown host key is refused"
like "$err" "Host key verification failed|host key" "saying why"

# unreachable, and one bad host does not stop the others
printf 'ssh://%s@127.0.0.1:1\nlocal\n' "$user" > "$TMP/hosts"
run T scan --hosts "$TMP/hosts" --ssh-options "$OPTS" --no-binaries --timeout 10
is "$rc" 1 "a failed host makes the exit status 1"
like "$err" "ssh://$user@127.0.0.1:1.*scan failed" "the unreachable host is named"
like "$err" "scanned 1 host, 1 failed" "the other host was scanned"

# a timeout: sshd accepts, but the remote shell stalls
cat > "$K/slow_authorized_keys" <<KEYS
command="sleep 30" $(cat "$K/client_key.pub")
KEYS
sed "s|AuthorizedKeysFile .*|AuthorizedKeysFile $K/slow_authorized_keys|; s|^Port .*|Port $((port + 1))|; s|PidFile .*|PidFile $K/slow.pid|" "$K/sshd_config" > "$K/slow_config"
"$SSHD" -f "$K/slow_config" -E "$K/slow.log" -D &
slow_pid=$!
stop_slow() { kill "$slow_pid" 2>/dev/null; wait "$slow_pid" 2>/dev/null; }
at_exit stop_slow
sleep 0.5
sed "s/^\[127.0.0.1\]:$port/[127.0.0.1]:$((port + 1))/" "$K/known_hosts" >> "$K/known_hosts"
run T scan --ssh "$user@127.0.0.1:$((port + 1))" --ssh-options "$OPTS" --timeout 2 --no-binaries
is "$rc" 1 "a host that does not answer in time fails"
like "$err" "timed out after 2 s" "with a timeout"

done_testing
