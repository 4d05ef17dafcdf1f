#!/bin/sh
# SPDX-License-Identifier: ISC
# Phase 4.7.10: a loader materialization that fails after the transfer,
# after child creation, after frame allocation, after partial mapping,
# after a partial segment copy, and after event registration leaves procd's
# process table, descriptors, image memory, children and transfer slots
# exactly as before. Needs a procd built with --enable-fault-injection; the
# check runs from this build's tests/integration/check-loader.
. "${abs_top_srcdir}/tests/lib.sh"

need_role loader
need_hosted_procd
checker="$abs_top_builddir/tests/integration/check-loader"
[ -x "$checker" ] || skip "check-loader was not built (Check or the helpers are missing)"
if main_build_has PROCD_FAULT_INJECTION; then
	faulty=$procd
else
	variant_build faults --enable-fault-injection || fail "fault-injection build failed: $(tail -5 "$work/faults/make.log")"
	faulty="$work/faults/procd"
fi
for point in loader-after-transfer loader-after-child loader-after-frames loader-partial-map \
	loader-partial-copy loader-after-events; do
	LOADER_FAULT=$point PROCD_BINARY=$faulty "$checker" > "$work/$point.log" 2>&1 ||
		{ cat "$work/$point.log" >&2; fail "a failure at $point left something behind"; }
	grep -q "everything it built is taken back" "$work/$point.log" ||
		fail "$point: the fault was not injected"
	echo "$point: $(grep -E '^[0-9]+%: Checks' "$work/$point.log")"
done
echo "six injected failures, each cleaned up completely"
