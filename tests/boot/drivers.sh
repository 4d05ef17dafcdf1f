#!/bin/sh
# SPDX-License-Identifier: ISC
# The manifest says which drivers deviced starts: deviced asks the kernel
# (rootd) for its devices and asks procd for each `driver` line's role, so
# booting another driver hosted needs a manifest line, not a C edit.
. "${abs_top_srcdir:?run through make check}/tests/lib.sh"
need_hosted_procd
cd "$abs_top_builddir" || fail "no build directory"

# boots MANIFEST-LINES...: runs it for a moment; the log is $work/out
boots() {
	printf '%s\n' 'module deviced helpers/deviced boot' 'module drv-acpi helpers/service' \
		'module drv-serial helpers/service' 'kernel kernel-log' "$@" > "$work/m"
	./procd-boot --run-for 1.5 "$work/m" > "$work/out" 2>&1 || { cat "$work/out" >&2; fail "boot failed: $*"; }
}

boots 'driver drv-acpi'
grep -q 'procd: drv-acpi (pid [0-9]*) started' "$work/out" || { cat "$work/out" >&2; fail "drv-acpi was not started"; }
grep -q 'procd: drv-serial' "$work/out" && { cat "$work/out" >&2; fail "drv-serial started without a driver line"; }

boots 'driver drv-serial' 'driver drv-acpi'
for d in drv-serial drv-acpi; do
	grep -q "procd: $d (pid [0-9]*) started" "$work/out" || { cat "$work/out" >&2; fail "$d was not started"; }
done

boots
grep -q 'procd: drv-' "$work/out" && { cat "$work/out" >&2; fail "a driver started with no driver line"; }
echo "deviced starts exactly the manifest's drivers"
