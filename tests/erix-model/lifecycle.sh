#!/bin/sh
# SPDX-License-Identifier: ISC
# Under the kernel model: a driver role is accepted only on the driver
# endpoint (deviced starts drv-serial there) and nothing else is accepted
# there; STOP of a running child; the loss of logd and of crashd (faults
# the kernel reports), their restarts, and procd's peer bindings going
# with them; and the model's trace of every call.
. "${abs_top_srcdir}/tests/lib.sh"
. "${abs_top_srcdir}/tests/erix-model/lib.sh"

boot_model "$abs_top_srcdir/boot/default.manifest" --check-endpoints --stop phase0-isolation-b --fault logd --fault crashd
[ "$boot_status" -eq 0 ] || { cat "$work/boot.log" >&2; fail "the model exited with status $boot_status"; }
expect "deviced: driver drv-serial started as pid 17"
expect "rootd: create drv-serial on the bootstrap endpoint: denied"
expect "rootd: create timed on the driver endpoint: denied"
expect "rootd: create phase0-exit on the driver endpoint: denied"
expect "procd: phase0-isolation-b (pid 16) stopped"
expect "rootd: stop phase0-isolation-b (pid 16): ok"
expect "procd: logd (pid 2) bound as procd's peer, published by named"
expect "procd: crashd (pid 3) bound as procd's peer, published by named"
expect "procd: logd (pid 2) faulted with signal 11"
expect "procd: logd unbound: its process ended; waiting for named to publish it again"
expect "procd: logd (pid 2) restarted: restart 1"
expect "procd: crashd (pid 3) faulted with signal 11"
expect "procd: crashd unbound: its process ended; waiting for named to publish it again"
expect "procd: crashd (pid 3) restarted: restart 1"
expect "procd: stopped every child; exiting"
# A stopped child is stopped once: not again at shutdown.
[ "$(grep -c '^procd: phase0-isolation-b (pid 16) stopped$' "$work/boot.log")" -eq 1 ] ||
	fail "phase0-isolation-b was stopped more than once"
# The trace: every system call and kernel operation, by process.
boot_model "$abs_top_srcdir/boot/default.manifest" -v --run-for 0.1
grep -q '^\[ *[0-9.]*\] procd 1: kop SPAWN arg 0 value 0$' "$work/boot.log" || fail "-v traced no SPAWN of procd's"
grep -q '^\[ *[0-9.]*\] named 2: sys 2 (16, ' "$work/boot.log" || fail "-v traced no RECV of named's"
echo "driver endpoint, stop, logd's and crashd's loss and restart, and the trace under the model"
