#!/bin/sh
# SPDX-License-Identifier: ISC
# The link-time registry survives whole-program optimisation and section
# garbage collection: -O2 -flto -Wl,--gc-sections registers exactly the set
# the plain build does.
. "${abs_top_srcdir}/tests/lib.sh"

"$policy_tool" list --json "$procd_image" > "$work/plain.json" || fail "list of the main build failed"
variant_build lto CFLAGS="-O2 -flto -ffunction-sections -fdata-sections" \
	LDFLAGS="-flto -Wl,--gc-sections" || fail "LTO build failed: $(tail -5 "$work/lto/make.log")"
"$work/lto/procd-policy" list --json "$work/lto/procd" > "$work/lto.json" || fail "list of the LTO build failed"
cmp -s "$work/plain.json" "$work/lto.json" ||
	{ diff "$work/plain.json" "$work/lto.json" >&2; fail "LTO build registers a different set"; }
"$work/lto/procd" --check || fail "LTO procd refused its own registry"
echo "LTO + gc-sections build registers the same set"
