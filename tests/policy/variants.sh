#!/bin/sh
# SPDX-License-Identifier: ISC
# What a security maintainer checks: build twice more, once with one policy
# widened by one slot (timed, replaced by a vendor's edited copy) and once
# with a role removed (--disable-policies=probed). `procd-policy diff` names
# exactly those changes, marks the widening and exits 3 for it, 1 for the
# removal; the record check fails on the widened build until its (vendor)
# record is updated, and passes on the build that only compiles in less.
. "${abs_top_srcdir}/tests/lib.sh"
# The hosted procd, or the EriX image: procd-policy reads either.
image=${procd_image:-$procd}

vsrc=$(variant_srcdir) || exit 1

# Only what the comparison needs: procd, and procd-policy where the make
# rules are run.
build() { # NAME TARGETS CONFIGURE-ARGS...
	name=$1 targets=$2
	shift 2
	mkdir -p "$work/$name"
	(
		cd "$work/$name" &&
		"$vsrc/configure" -q --without-check $PROCD_ROLES_CONFIG "$@" > configure.log 2>&1 ||
		{ cat configure.log >&2; exit 90; }
		$MAKE $targets > make.log 2>&1
	)
}

# The variants start from the main build's own selection: a vendor's tree
# (its files copied beside the widened timed.c) and the modules it leaves out.
main_dir=$(main_configure_arg with-policy-dir)
main_out=$(main_configure_arg with-disabled-policies)
main_in=$(main_configure_arg enable-policies)
mkdir -p "$work/vendor"
[ -z "$main_dir" ] || cp "$main_dir"/*.c "$work/vendor/" || fail "could not copy the main build's vendor tree"
timed_src="$abs_top_srcdir/policies/timed.c"
[ -f "$work/vendor/timed.c" ] && timed_src="$work/vendor/timed.c"
"$policy_tool" lock "$image" > "$work/main.lock" || fail "lock of the main build failed"
extra=$(slot_not_held "$work/main.lock" timed) || fail "timed holds every slot this test adds"
set -- $extra
extra_slot="$1 $2"
sed -e "s/SLOT_KERNEL_TIME_ENDPOINT }/SLOT_KERNEL_TIME_ENDPOINT, $3 }/" "$timed_src" > "$work/vendor/timed.c.new"
mv "$work/vendor/timed.c.new" "$work/vendor/timed.c"
grep -q "$3" "$work/vendor/timed.c" || fail "could not widen timed.c (has its slot list changed?)"
selection=${main_in:+--enable-policies=$main_in}

# Two builds side by side (one CPU each).
build widened 'procd procd-policy' $selection --with-disabled-policies="timed${main_out:+,$main_out}" \
	--with-policy-dir="$work/vendor" &
wpid=$!
build without-probed procd $selection --with-disabled-policies="probed${main_out:+,$main_out}" \
	${main_dir:+--with-policy-dir="$main_dir"} &
ppid=$!
# Both waited for before either is judged: no build keeps writing into
# $work after this test has ended.
wait $wpid
wstatus=$?
wait $ppid
pstatus=$?
[ "$wstatus" -eq 0 ] || fail "widened build failed: $(tail -5 "$work/widened/make.log")"
[ "$pstatus" -eq 0 ] || fail "--disable-policies=probed build failed: $(tail -5 "$work/without-probed/make.log")"

diff_of() { # EXPECTED-STATUS NAME OLD NEW
	"$policy_tool" diff "$3" "$4" > "$work/$2.diff" 2> "$work/$2.err"
	status=$?
	[ "$status" -eq "$1" ] || fail "diff $2 exited $status, expected $1: $(cat "$work/$2.err" "$work/$2.diff")"
}
exactly() { # NAME EXPECTED-LINES: the diff's change lines, nothing else
	grep '^  [a-z]' "$work/$1.diff" > "$work/$1.changes"
	printf '%s\n' "$2" | cmp -s - "$work/$1.changes" ||
		fail "diff $1 names other changes than expected: $(cat "$work/$1.diff")"
}

diff_of 3 widened "$image" "$work/widened/procd"
exactly widened "  widening   slot added: $extra_slot"
grep -q '^role timed (0x011), timed.c$' "$work/widened.diff" || fail "the widened role or its source is not named"
grep -q '^1 change: 1 widening, 0 narrowing, 0 neutral$' "$work/widened.diff" || fail "widened: wrong summary"

diff_of 1 without-probed "$image" "$work/without-probed/procd"
exactly without-probed '  narrowing  role removed: service, endpoint bootstrap, stage runtime, restart on-failure, image probed, window 2177, requesters rootd,procd, slots 16,18,19,20,2176, quota children 16 waits 8 transfers 2 image-kib 65536'
grep -q '^role probed (0x014), probed.c$' "$work/without-probed.diff" || fail "the removed role or its source is not named"

# The record check (make check-policy-lock is what tests/policy/lock.sh
# runs), against a record of the main build.
check_lock() { # NAME RECORD
	$MAKE -s -C "$work/$1" check-policy-lock PROCD_POLICY_LOCK="$2" > "$work/$1.check" 2>&1
}
"$policy_tool" diff --compiled-in "$work/main.lock" "$work/without-probed/procd" \
	> "$work/without-probed.check" 2>&1 ||
	fail "a build with fewer roles fails the record check: $(cat "$work/without-probed.check")"
if check_lock widened "$work/main.lock"; then
	fail "the widened build passes the record check"
fi
grep -q "widening   slot added: $extra_slot" "$work/widened.check" ||
	fail "the failed record check does not show the diff: $(cat "$work/widened.check")"
grep -q "make update-policy-lock" "$work/widened.check" || fail "the failed record check does not say how to fix it"

# The vendor keeps its own record: updated from its build, it passes, and
# the record's own diff is the one reviewed line.
cp "$work/main.lock" "$work/vendor.lock"
$MAKE -s -C "$work/widened" update-policy-lock PROCD_POLICY_LOCK="$work/vendor.lock" \
	> "$work/update.out" 2>&1 || fail "update-policy-lock failed: $(cat "$work/update.out")"
grep -q "widening   slot added: $extra_slot" "$work/update.out" || fail "update-policy-lock does not show what it records"
check_lock widened "$work/vendor.lock" || fail "the updated vendor record fails: $(cat "$work/widened.check")"
diff "$work/main.lock" "$work/vendor.lock" | grep '^[<>]' > "$work/record.diff"
printf '%s\n' "> role timed slot $extra_slot" | cmp -s - "$work/record.diff" ||
	fail "the record changed by more than the one fact: $(cat "$work/record.diff")"
echo "a widened slot and a removed role are named exactly, gated, and recorded"
