#!/bin/sh
# SPDX-License-Identifier: ISC
# The default boot manifest, booted with the unchanged procd.elf and helper
# images under the EriX kernel model: the boot plan, rootd's requests, the
# restart and give-up of a faulting child, the late kernel endpoint, and a
# clean stop when rootd hangs up.
. "${abs_top_srcdir}/tests/lib.sh"
. "${abs_top_srcdir}/tests/erix-model/lib.sh"

boot_model "$abs_top_srcdir/boot/default.manifest"
[ "$boot_status" -eq 0 ] || { cat "$work/boot.log" >&2; fail "the model exited with status $boot_status"; }
for role in named logd crashd deviced timed irqd hotplugd probed fbcond memd vspaced e2fsd fatd keyd; do
	grep -q "^procd: $role (pid [0-9]*) started as os pid [0-9]*$" "$work/boot.log" ||
		{ cat "$work/boot.log" >&2; fail "$role was not started by the boot plan"; }
done
expect "procd: boot plan done; serving requests"
expect "procd: pagerd (pid 12) deferred: waiting for its kernel endpoint 2256 (UPDATE_FOUNDATION_ENDPOINTS)"
expect "rootd: published kernel-pager to procd late (UPDATE_FOUNDATION_ENDPOINTS): ok"
expect "procd: pagerd (pid 12) no longer deferred: kernel endpoint 2256 arrived"
expect "service as pagerd: holding slots 16 18 19 20 2256 (window 2257)"
expect "procd: phase0-fault-kill (pid 24) given up on after 5 restarts"
expect "crashd: phase0-fault-kill (pid 24) faulted with signal 11"
# The probing child's completion reaches rootd through the probe module.
if has_role probe; then
	expect "rootd: procd notified probe completion: pid 19 (phase0-probe)"
fi
expect "rootd: phase1-lookup-client looked up 'timed'"
expect "rootd: procd exited with status 0"
# procd's own last line is a kernel operation too: it must be logged
# before procd lets go of its control endpoint.
expect "procd: stopped every child; exiting"
# loaderd.elf itself reads the file (through the filesystem-provider
# endpoint rootd serves) and transfers it; procd builds the frame, seals it
# and starts the child from it: where the loader module is compiled in.
# Without it procd refuses the transfer as an op it does not serve, and
# that is the one thing that fails.
if has_role loader; then
	expect "procd: loader transfer 1 (phase0-isolation-a) materialized and started"
	expect "rootd: loaderd loaded phase0-isolation-a from helpers/phase0-isolation-a; procd started it as pid 26"
else
	expect "rootd: loaderd could not load phase0-isolation-a from helpers/phase0-isolation-a: unsupported"
	grep -v '^rootd: loaderd could not load phase0-isolation-a ' "$work/boot.log" > "$work/boot.rest"
	mv "$work/boot.rest" "$work/boot.log"
fi
expect_not "rootd: .*failed"
expect_not "could not"
echo "default boot under the kernel model: $(grep -c '^procd:' "$work/boot.log") procd lines, clean stop"
