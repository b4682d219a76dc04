# SPDX-License-Identifier: GPL-2.0-or-later
#
# A small TAP library for the integration tests, which drive the real trueup binary.
# Source it; call plan_tests or done_testing; use ok/is/like/not_like/run.
# $TRUEUP is the binary (set by meson test); $TU_SOURCE_ROOT the source tree.
set -u
: "${TRUEUP:?TRUEUP must name the trueup binary}"
: "${TU_SOURCE_ROOT:=$(cd "$(dirname "$0")/.." && pwd)}"
PY=/usr/bin/python3
_n=0
_failed=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/trueup-it-XXXXXX")
_cleanup_hooks=""
cleanup() {
	for h in $_cleanup_hooks; do $h || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT
at_exit() { _cleanup_hooks="$_cleanup_hooks $1"; }

ok() { # ok COND-STATUS DESCRIPTION
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $_n - $2"; else echo "not ok $_n - $2"; _failed=$((_failed + 1)); fi
}
is() { # is GOT EXPECTED DESCRIPTION
	_n=$((_n + 1))
	if [ "$1" = "$2" ]; then echo "ok $_n - $3"
	else echo "not ok $_n - $3"; echo "#   got:      '$1'"; echo "#   expected: '$2'"; _failed=$((_failed + 1)); fi
}
like() { # like TEXT REGEX DESCRIPTION
	_n=$((_n + 1))
	if printf '%s' "$1" | grep -Eq -- "$2"; then echo "ok $_n - $3"
	else echo "not ok $_n - $3"; echo "#   '$1'"; echo "#   does not match /$2/"; _failed=$((_failed + 1)); fi
}
not_like() {
	_n=$((_n + 1))
	if printf '%s' "$1" | grep -Eq -- "$2"; then echo "not ok $_n - $3"; echo "#   '$1'"; echo "#   matches /$2/"; _failed=$((_failed + 1))
	else echo "ok $_n - $3"; fi
}
# run CMD...: sets $out, $err, $rc
run() {
	"$@" > "$TMP/.out" 2> "$TMP/.err"
	rc=$?
	out=$(cat "$TMP/.out")
	err=$(cat "$TMP/.err")
	return 0
}
diag() { echo "# $*"; }
done_testing() {
	echo "1..$_n"
	[ $_failed -eq 0 ]
}
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
# for the tests of the embedded store: a client-only build (-Dembedded=false) has none
need_embedded() { [ "${TU_EMBEDDED:-1}" = 1 ] || skip_all "built without the embedded server (-Dembedded=false)"; }
# Dump a workbook: one line per cell, SHEET<TAB>ROW<TAB>COL<TAB>TYPE<TAB>VALUE (openpyxl).
xlsx_dump() { "$PY" "$TU_SOURCE_ROOT/tests/xlsx-dump.py" "$@"; }
