#!/bin/sh
# SPDX-License-Identifier: ISC
# Every child of the default boot, under the kernel model, holds exactly
# what its policy allows and its caller installed: each role class
# (foundation, service, loader, driver, extension), by its CSpace as the
# model prints it (the EriX form of /proc/PID/fd), against the shared
# expectation tests/erix-model/default-boot.cspace.
. "${abs_top_srcdir}/tests/lib.sh"
. "${abs_top_srcdir}/tests/erix-model/lib.sh"

boot_model "$abs_top_srcdir/boot/default.manifest" --cspace
[ "$boot_status" -eq 0 ] || { cat "$work/boot.log" >&2; fail "the model exited with status $boot_status"; }
# Children only (procd's own CSpace is the envelope's and its bookkeeping;
# the loaded image is named by its frame, not a module).
sed -n 's/^cspace \([^ ]*\) [0-9]* window \([0-9]*\):\(.*\)$/\1 \2:\3/p' "$work/boot.log" |
	grep -v '^procd \|^frame[0-9]* ' > "$work/cspace.got"
grep -v '^#' "$abs_top_srcdir/tests/erix-model/default-boot.cspace" > "$work/cspace.want"
diff "$work/cspace.want" "$work/cspace.got" >&2 || fail "a child's CSpace is not what its policy and caller give it"
# The image loaderd loaded holds its own endpoint and nothing else (where
# the loader module is compiled in: without it there is no loaded image).
if has_role loader; then
	grep -q '^cspace frame[0-9]* [0-9]* window 32: 16=endpoint$' "$work/boot.log" ||
		{ grep '^cspace' "$work/boot.log" >&2; fail "the loaded image's CSpace is not just its endpoint"; }
fi
echo "$(wc -l < "$work/cspace.got") children under the model: each CSpace exactly its policy's grant"
