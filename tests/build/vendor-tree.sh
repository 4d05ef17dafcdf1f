#!/bin/sh
# SPDX-License-Identifier: ISC
# A vendor's tree tests clean: its own role, its own version of an in-tree
# role (procd-policy(1)'s example, timed given slot 22) and its own record
# (--with-policy-lock); its make check passes (a quick subset: the record,
# review and manifest tests). Reconfigured with another vendor directory
# whose file has the same name, the build compiles the new file, not the
# old object. A vendor file named like a compiled-in in-tree one is a
# configure error, not a linker error.
. "${abs_top_srcdir}/tests/lib.sh"
# The vendor tree's own make check must not run this test again.
[ -z "${PROCD_IN_VENDOR_CHECK:-}" ] || skip "already inside a vendor tree's make check"

vsrc=$(variant_srcdir) || exit 1
mkdir -p "$work/acme" "$work/other" "$work/clash"
vendor_policy acme_sensord acme-sensord 3 > "$work/acme/sensors.c"
sed -e 's/SLOT_KERNEL_TIME_ENDPOINT }/SLOT_KERNEL_TIME_ENDPOINT, SLOT_PEER_ENDPOINT }/' \
	"$vsrc/policies/timed.c" > "$work/acme/timed.c"
grep -q SLOT_PEER_ENDPOINT "$work/acme/timed.c" || fail "could not widen timed.c"
vendor_policy other_meterd other-meterd 4 > "$work/other/sensors.c"
# Older than the object the first build makes: only the directory differs.
touch -t 200001010000 "$work/other/sensors.c"
cp "$work/acme/timed.c" "$work/clash/timed.c"

b="$work/build"
mkdir -p "$b"
(
	cd "$b" &&
	"$vsrc/configure" -q --without-check $PROCD_ROLES_CONFIG --disable-policies=timed --with-policy-dir="$work/acme" \
		--with-policy-lock="$work/acme/POLICY.lock" > configure.log 2>&1 &&
	$MAKE -j2 > make.log 2>&1 &&
	$MAKE -s update-policy-lock > update.log 2>&1
) || fail "the vendor build failed: $(tail -5 "$b/configure.log" "$b/make.log" "$b/update.log" 2> /dev/null)"
grep -q '^role timed slot 22 peer$' "$work/acme/POLICY.lock" || fail "the vendor record lacks the vendor's timed"
grep -q '^role acme-sensord source sensors.c$' "$work/acme/POLICY.lock" || fail "the vendor record lacks its role"

tests='tests/policy/lock.sh tests/policy/review.sh'
[ -n "$procd" ] && tests="$tests tests/boot/manifest-errors.sh"
# Not this make's MAKEFLAGS: they carry its own TEST_LOGS.
PROCD_IN_VENDOR_CHECK=1 MAKEFLAGS= MFLAGS= $MAKE -C "$b" check TESTS="$tests" > "$b/check.log" 2>&1 ||
	{ cat "$b/check.log" "$b"/tests/*/*.log >&2; fail "the vendor tree's make check fails"; }

# Another vendor directory, a file of the same name and an older date.
(cd "$b" && "$vsrc/configure" -q --without-check $PROCD_ROLES_CONFIG --disable-policies=timed --with-policy-dir="$work/other" \
	> configure2.log 2>&1 && $MAKE -j2 procd procd-policy > make2.log 2>&1) ||
	fail "rebuilding with another vendor directory failed: $(tail -5 "$b/make2.log")"
"$b/procd-policy" list "$b/procd" > "$b/list" || fail "list failed"
grep -q 'other-meterd' "$b/list" || fail "the new vendor directory's role is not compiled in"
grep -q 'acme-sensord' "$b/list" && fail "the old vendor directory's object was linked"

mkdir -p "$work/clashing"
if (cd "$work/clashing" && "$vsrc/configure" -q --without-check --with-policy-dir="$work/clash" > out 2>&1); then
	fail "configure accepted a vendor file named like a compiled-in one"
fi
grep -q "clash/timed.c has the name of the in-tree policies/timed.c" "$work/clashing/out" ||
	fail "the clash is not explained: $(tail -2 "$work/clashing/out")"
echo "the vendor tree builds, keeps its record and tests clean; a changed vendor directory is rebuilt"
