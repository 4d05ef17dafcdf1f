#!/bin/sh
# SPDX-License-Identifier: ISC
# The helpers also build as EriX images from the same sources and linker
# scripts, with the layout the EriX loader needs.
. "${abs_top_srcdir}/tests/lib.sh"

[ -z "$procd" ] || skip "this build is hosted; the EriX helper images come with --with-platform=erix"
n=0
for image in "$abs_top_builddir"/helpers/*.elf; do
	[ -f "$image" ] || continue
	sh "$abs_top_srcdir/tests/erix/check-image.sh" --helper "$image" || fail "$(basename "$image")"
	n=$((n + 1))
done
[ "$n" -eq 14 ] ||
	fail "expected 14 EriX helper images (8 helpers; loaderd, named, logd, crashd, deviced, service), found $n"
echo "14 EriX helper images: static, entry in .text.service_entry, W^X, .stack_reserve last"
