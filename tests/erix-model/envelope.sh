#!/bin/sh
# SPDX-License-Identifier: ISC
# procd.elf refuses to start, under the kernel model, when rootd's CSpace
# for it disagrees with the envelope: a declared slot missing, a slot of the
# wrong kind, a capability the envelope does not declare. It names what was
# wrong, starts nothing and exits 1.
. "${abs_top_srcdir}/tests/lib.sh"
. "${abs_top_srcdir}/tests/erix-model/lib.sh"

refused() {
	boot_model "$abs_top_srcdir/boot/default.manifest" --envelope "$1"
	expect "procd: refusing to start: startup envelope: $2"
	expect "rootd: procd exited with status 1"
	expect_not "started as os pid"
	[ "$boot_status" -eq 1 ] || fail "$1: the model exited with status $boot_status, not procd's 1"
}

refused missing-slot "driver endpoint is missing (slot 2112)"
refused wrong-kind "driver endpoint is not the expected kind (slot 2112)"
refused residual "residual authority: procd holds a capability the envelope does not declare (slot 40)"
echo "envelope refusals under the model: missing slot, wrong kind, residual authority"
