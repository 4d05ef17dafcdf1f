#!/bin/sh
# SPDX-License-Identifier: ISC
# Fault-injection hooks and smoke reports exist only in builds configured
# for them: a release build carries neither their symbols nor their strings,
# and a build that asks for them really has them (so this test can fail).
. "${abs_top_srcdir}/tests/lib.sh"

if main_build_has PROCD_FAULT_INJECTION || main_build_has PROCD_SMOKE_REPORTS; then
	release="$work/release/procd"
	variant_build release || fail "release variant did not build"
else
	release=$procd_image
fi
$NM "$release" > "$work/release.nm" || fail "nm $release"
grep -i -E 'procd_fault|procd_smoke' "$work/release.nm" &&
	fail "release build contains fault-injection or smoke-report symbols"
grep -q -a 'ERIX_KERNEL:PROCD_DEBUG' "$release" &&
	fail "release build contains ERIX_KERNEL:PROCD_DEBUG report strings"
if [ "$release" != "$abs_top_builddir/procd.elf" ]; then
	PROCD_FAULT=registry-index "$release" --check 2> "$work/release.err" ||
		fail "release procd honoured PROCD_FAULT: $(cat "$work/release.err")"
fi

variant_build testing --enable-fault-injection --enable-smoke-reports ||
	fail "fault-injection variant did not build"
testing="$work/testing/procd"
$NM "$testing" | grep -q procd_fault_hit || fail "fault-injection build lacks its hooks"
$NM "$testing" | grep -q procd_smoke_report || fail "smoke build lacks its reporter"
"$testing" --check 2> "$work/smoke.err" || fail "testing procd refused to start"
grep -q '^ERIX_KERNEL:PROCD_DEBUG:REGISTRY_READY$' "$work/smoke.err" ||
	fail "smoke build printed no REGISTRY_READY report"
if PROCD_FAULT=registry-index "$testing" --check 2> "$work/fault.err"; then
	fail "injected registry-index fault did not stop procd"
fi
grep -q 'injected fault at registry-index' "$work/fault.err" ||
	fail "injected fault gave no clear message: $(cat "$work/fault.err")"
# A boot prints a report at each step in the smoke build, none otherwise.
if [ -x "$abs_top_builddir/procd-boot" ] && [ -x "$abs_top_builddir/helpers/phase0-exit" ]; then
	cat > "$work/boot.manifest" <<EOM
module timed $abs_top_builddir/helpers/phase0-exit boot
kernel kernel-time
EOM
	"$abs_top_builddir/procd-boot" --procd "$testing" --run-for 0.5 "$work/boot.manifest" > "$work/smoke-boot.log" 2>&1 ||
		fail "smoke boot failed: $(tail -3 "$work/smoke-boot.log")"
	for step in REGISTRY_READY ENVELOPE_VALID SERVING BOOT_FOUNDATION BOOT_RUNTIME BOOT_COMPLETE; do
		grep -q "^ERIX_KERNEL:PROCD_DEBUG:$step\$" "$work/smoke-boot.log" || fail "smoke boot lacks the $step report"
	done
	if [ -n "$procd" ] && [ "$release" = "$procd" ]; then
		"$abs_top_builddir/procd-boot" --procd "$release" --run-for 0.5 "$work/boot.manifest" > "$work/release-boot.log" 2>&1 ||
			fail "release boot failed"
		grep -q ERIX_KERNEL "$work/release-boot.log" && fail "a release boot printed smoke reports"
	fi
fi
echo "release build is clean; the testing build has hooks and reports"
