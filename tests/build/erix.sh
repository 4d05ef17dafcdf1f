#!/bin/sh
# SPDX-License-Identifier: ISC
# The freestanding EriX image and the hosted binary are built from the same
# core/, policies/ and roles/: procd-policy reads the same registry out of
# both, and the image has the layout an EriX loader needs. This build makes
# one of them; a variant build makes the other.
. "${abs_top_srcdir}/tests/lib.sh"

case $(uname -m) in x86_64) ;; *) skip "the EriX image is x86_64; this host is $(uname -m)" ;; esac
if [ -n "$procd" ]; then
	variant_build erix --with-platform=erix || fail "erix build failed: $(tail -5 "$work/erix/make.log")"
	image="$work/erix/procd.elf"
	hosted=$procd
else
	variant_build linux || fail "hosted build failed: $(tail -5 "$work/linux/make.log")"
	image=$procd_image
	hosted="$work/linux/procd"
fi
sh "$abs_top_srcdir/tests/erix/check-image.sh" "$image" || fail "the EriX image is not what its loader needs"
"$policy_tool" lint "$image" > /dev/null || fail "procd-policy lint refuses the EriX image"
"$policy_tool" list --json "$hosted" > "$work/hosted.json" || fail "list of the hosted binary failed"
"$policy_tool" list --json "$image" > "$work/erix.json" || fail "list of the EriX image failed"
cmp -s "$work/hosted.json" "$work/erix.json" ||
	{ diff "$work/hosted.json" "$work/erix.json" >&2; fail "the EriX image registers a different policy set"; }
size "$image"
echo "EriX image: same registry as the hosted binary; loader layout holds"
