#!/bin/sh
# SPDX-License-Identifier: ISC
# Adding a role is dropping in one file. A vendor policy from outside the
# tree (--with-policy-dir) is compiled in like the in-tree ones and shows up
# registered; a policy that breaks an invariant fails the build by name and
# is refused again by procd's own startup check.
. "${abs_top_srcdir}/tests/lib.sh"

mkdir -p "$work/vendor" "$work/vendor-bad"
vendor_policy acme_sensord acme-sensord 2 > "$work/vendor/acme-sensord.c"
sed -e 's/acme_sensord/acme_badd/; s/"acme-sensord"/"acme-badd"/g' \
    -e 's/SLOT_LOGD_ENDPOINT }/SLOT_LOGD_ENDPOINT, SLOT_KERNEL_TIME_ENDPOINT }/' \
    -e 's/\(\.image *= \)"acme-badd"/\1"timed"/' \
	"$work/vendor/acme-sensord.c" > "$work/vendor-bad/acme-badd.c"

# A good vendor role is registered, listed and passes lint.
variant_build vendor --with-policy-dir="$work/vendor" || fail "vendor build failed: $(tail -5 "$work/vendor/make.log")"
"$work/vendor/procd-policy" list "$work/vendor/procd" > "$work/vendor.list" || fail "list failed"
grep -q 'acme-sensord' "$work/vendor.list" || fail "vendor role not listed"
"$work/vendor/procd-policy" show "$work/vendor/procd" acme-sensord > "$work/vendor.show" || fail "show failed"
grep -q 'acme-sensord.c' "$work/vendor.show" || fail "show does not name the vendor source file"
"$work/vendor/procd-policy" lint "$work/vendor/procd" > /dev/null || fail "vendor build fails lint"
"$work/vendor/procd" --check 2> "$work/vendor.check" || fail "procd refused the vendor build"
# Every in-tree role and the one vendor role: counted from the variant's own
# record, not the main build's (which may have a vendor tree of its own).
"$work/vendor/procd-policy" lock "$work/vendor/procd" > "$work/vendor.lock" || fail "lock failed"
vsrc=$(variant_srcdir) || exit 1
in_tree=0
for f in "$vsrc"/policies/*.c; do
	in_tree=$((in_tree + $(grep -c "^role [^ ]* source $(basename "$f")\$" "$work/vendor.lock")))
done
vendor_count=$(sed -n 's/.*ready: \([0-9]*\) policies.*/\1/p' "$work/vendor.check")
[ "$vendor_count" -eq $((in_tree + 1)) ] || fail "expected $((in_tree + 1)) policies, got $vendor_count"
grep -q '^role acme-sensord source acme-sensord.c$' "$work/vendor.lock" || fail "the vendor role's source is not recorded"

# An out-of-window slot fails the build, naming the role and the field ...
if variant_build vendor-bad --with-policy-dir="$work/vendor-bad"; then
	fail "a policy with an out-of-window slot built"
fi
grep -q "acme-badd.c: 'acme-badd', field 'slots': slot 2128 is outside the window of 32" \
	"$work/vendor-bad/make.log" || fail "build failure does not name the policy: $(tail -5 "$work/vendor-bad/make.log")"
# A copied policy that kept the other role's image is refused as well.
grep "field 'image': image is named twice" "$work/vendor-bad/make.log" |
	grep "acme-badd" | grep -q "timed" ||
	fail "a policy naming another role's image was not refused: $(tail -5 "$work/vendor-bad/make.log")"
# ... and procd itself refuses to start with it.
[ -x "$work/vendor-bad/procd" ] || fail "no procd binary to run the startup check on"
if "$work/vendor-bad/procd" --check 2> "$work/bad.check"; then
	fail "procd started with a broken policy"
fi
grep -q "acme-badd.c: 'acme-badd', field 'slots'" "$work/bad.check" ||
	fail "startup refusal does not name the policy: $(cat "$work/bad.check")"

# Selecting modules: an unknown name is refused with the known list ...
mkdir -p "$work/unknown"
vsrc=$(variant_srcdir) || exit 1
if (cd "$work/unknown" && "$vsrc/configure" -q --enable-policies=timed,nosuchd > out 2>&1); then
	fail "configure accepted an unknown policy module"
fi
grep -q "unknown policy module 'nosuchd'; known modules: .*timed" "$work/unknown/out" ||
	fail "unknown module error does not list the known ones: $(tail -2 "$work/unknown/out")"
# ... and --disable-policies leaves a module out.
variant_build without-helpers --disable-policies=helpers,probed || fail "--disable-policies build failed"
"$work/without-helpers/procd-policy" list "$work/without-helpers/procd" > "$work/without.list"
grep -q 'phase0-exit' "$work/without.list" && fail "--disable-policies=helpers still compiled helpers in"
grep -q 'probed' "$work/without.list" && fail "--disable-policies=...,probed still compiled probed in"
grep -q 'timed' "$work/without.list" || fail "--disable-policies dropped more than it was asked to"
echo "vendor role registered; bad policy refused by build and startup; selection works"
