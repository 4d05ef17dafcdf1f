# SPDX-License-Identifier: ISC
# Shared by the shell tests; sourced, not run. Automake's harness exports
# abs_top_srcdir, abs_top_builddir, CC, MAKE, NM and READELF, and the role
# modules configure chose: PROCD_ROLES, the ones compiled in, and
# PROCD_ROLES_CONFIG, the configure argument that chooses them again
# (tests/Makemodule.am).
set -u

: "${abs_top_srcdir:?run through make check}"
: "${abs_top_builddir:?run through make check}"
[ -n "${PROCD_ROLES+set}" ] || { echo "PROCD_ROLES is unset: run through make check" >&2; exit 99; }
: "${PROCD_ROLES_CONFIG=}"
: "${CC:=cc}" "${MAKE:=make}" "${NM:=nm}" "${READELF:=readelf}"

test_name=$(basename "$0" .sh)
work="$abs_top_builddir/tests/work/$test_name"
rm -rf "$work"
mkdir -p "$work"

policy_tool="$abs_top_builddir/procd-policy"
# What this build produced for procd: the hosted binary, or the EriX image
# (which procd-policy reads, but nothing here can run).
if [ -x "$abs_top_builddir/procd" ]; then
	procd="$abs_top_builddir/procd"
	procd_image=$procd
else
	procd=
	procd_image="$abs_top_builddir/procd.elf"
fi

# policy_run EXPECTED-STATUS OUTFILE ARGS...: procd-policy ARGS, its output
# in OUTFILE and its errors in OUTFILE.err; fails unless it exits EXPECTED.
policy_run() {
	want=$1 out=$2
	shift 2
	"$policy_tool" "$@" > "$out" 2> "$out.err"
	got=$?
	[ "$got" -eq "$want" ] ||
		fail "procd-policy $* exited $got, expected $want: $(cat "$out.err" "$out")"
}

# has FILE PATTERN: FILE (the output of a policy_run) has a line matching
# PATTERN.
has() {
	grep -q -- "$2" "$1" || fail "no '$2' in: $(cat "$1" "$1.err" 2> /dev/null)"
}

# vendor_policy IDENT NAME ID: a vendor's service policy, as a file dropped
# into a policy directory from outside the tree would be: its own endpoint
# and logging, nothing else, requested at boot.
vendor_policy() {
	cat <<EOP
#include "core/policy.h"

PROCD_POLICY($1) = {
	.name       = "$2",
	.role       = ROLE_DECLARED_BASE + $3,
	.role_class = PROCD_CLASS_SERVICE,
	.endpoint   = PROCD_EP_BOOTSTRAP,
	.requesters = { PROCD_FROM_BOOT },
	.window     = PROCD_WINDOW_SERVICE,
	.slots      = { SLOT_SELF_ENDPOINT, SLOT_LOGD_ENDPOINT },
	.boot_stage = PROCD_STAGE_RUNTIME,
	.restart    = PROCD_RESTART_ON_FAILURE,
	.image      = "$2",
};
EOP
}

need_hosted_procd() {
	[ -n "$procd" ] || skip "this build made the EriX image, not a procd that runs here"
}

# Whether the role module NAME (roles/NAME/) is compiled into this build.
has_role() {
	case " $PROCD_ROLES " in
	*" $1 "*) return 0 ;;
	*) return 1 ;;
	esac
}

need_role() {
	has_role "$1" || skip "$1 role not compiled in (configure $PROCD_ROLES_CONFIG)"
}

# "N policies" from procd-policy lint of an image.
policy_count() {
	"$policy_tool" lint "$1" | sed -n 's/^\([0-9]*\) policies.*/\1/p'
}

fail() {
	echo "FAIL: $test_name: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $test_name: $*" >&2
	exit 77
}

# The source tree for variant builds. configure refuses to build out of a
# tree that is itself configured, so an in-tree build hands the variants a
# clean copy of the distributed sources instead.
variant_srcdir() {
	if [ ! -f "$abs_top_srcdir/config.status" ]; then
		echo "$abs_top_srcdir"
		return
	fi
	if [ ! -f "$work/src/configure" ]; then
		$MAKE -s -C "$abs_top_builddir" distdir distdir="$work/src" > "$work/distdir.log" 2>&1 ||
			{ cat "$work/distdir.log" >&2; fail "could not make a clean source copy"; }
	fi
	echo "$work/src"
}

# variant_build NAME [CONFIGURE-ARGS...]: configure and build procd from this
# source tree in $work/NAME, with the main build's role modules (a variant
# is compared with the procd under test, so it must be that procd but for
# what it varies). Returns make's status; logs stay in that folder.
# variant_targets, when set, names what to make instead of everything.
# Tests that run configure themselves pass $PROCD_ROLES_CONFIG the same way.
variant_build() {
	vname=$1
	shift
	vsrc=$(variant_srcdir) || exit 1
	mkdir -p "$work/$vname"
	(
		cd "$work/$vname" &&
		"$vsrc/configure" -q --without-check $PROCD_ROLES_CONFIG "$@" > configure.log 2>&1 ||
		{ cat configure.log >&2; exit 90; }
		$MAKE -j2 ${variant_targets:-} > make.log 2>&1
	)
}

# Whether config.h of the main build defines MACRO.
main_build_has() {
	grep -q "^#define $1 1" "$abs_top_builddir/config.h"
}

# The value the main build was configured with for --NAME=VALUE, or "".
# Variant builds that compare themselves with the main build carry its
# policy selection (a vendor's tree, modules left out) along.
main_configure_arg() {
	"$abs_top_builddir/config.status" --config 2> /dev/null | tr ' ' '\n' |
		sed -n "s/^'*--$1=\\(.*\\)'*\$/\\1/p" | sed "s/'\$//" | tail -1
}

# A slot, of those tests widen a role by, that ROLE's record in LOCK lacks:
# "NUMBER NAME MACRO", or nothing.
slot_not_held() { # LOCK ROLE
	for s in '22 peer SLOT_PEER_ENDPOINT' '21 probe-notify SLOT_PROBE_NOTIFY' \
		'17 procd SLOT_PROCD_ENDPOINT'; do
		set -- "$1" "$2" $s
		grep -q "^role $2 slot $3 " "$1" || { echo "$3 $4 $5"; return 0; }
	done
	return 1
}
