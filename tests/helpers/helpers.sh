#!/bin/sh
# SPDX-License-Identifier: ISC
# Each helper program, run for real under helper-launch: a child that holds
# exactly stdio and its granted slots (checked in /proc while it runs),
# whose peers the launcher plays. The helpers do what their tests in procd
# rely on: exit with the code they are sent, fault, see a leaked descriptor,
# notify, and exit 2 when a slot they need is missing.
. "${abs_top_srcdir}/tests/lib.sh"

launch="$abs_top_builddir/tests/helpers/helper-launch"
bin="$abs_top_builddir/helpers"
[ -x "$launch" ] || fail "helper-launch was not built"

# run DESCRIPTION LAUNCH-ARGS...: the launcher must succeed; its output,
# which includes the helper's stderr, is left in $work/out.
n=0
run() {
	what=$1
	shift
	n=$((n + 1))
	"$launch" "$@" > "$work/out" 2>&1
	rc=$?
	cp "$work/out" "$work/run-$n.out"
	[ $rc -eq 77 ] && skip "$(cat "$work/out")"
	[ $rc -eq 0 ] || { cat "$work/out" >&2; fail "$what"; }
}

# said TEXT: the last run's output contains TEXT.
said() {
	grep -q -F "$1" "$work/out" || { cat "$work/out" >&2; fail "expected the helper to say '$1'"; }
}

for h in phase0-exit phase0-isolation-b; do
	run "$h exits with the code it is sent" -p -e 7 -x 7 "$bin/$h"
	run "$h exits 0 when its endpoint's peer closes" -p -E -x 0 "$bin/$h"
	run "$h refuses a record of the wrong length" -M -x 3 "$bin/$h"
	said "$h: malformed message"
	run "$h refuses a message that carries a capability" -C -x 3 "$bin/$h"
	said "it carried capabilities"
	run "$h without its endpoint exits 2" -N -x 2 "$bin/$h"
	said "$h: no endpoint at slot 16"
done

run "phase0-fault-kill dies of SIGSEGV" -k SEGV "$bin/phase0-fault-kill"
said "phase0-fault-kill: faulting"

run "phase0-isolation-a passes when it holds only its grant" \
	-p -w "isolated (window 32)" -e 0 -x 0 "$bin/phase0-isolation-a"
run "phase0-isolation-a sees a descriptor leaked above its window" -l 40 -x 1 "$bin/phase0-isolation-a"
said "phase0-isolation-a: holds fd 40 outside its grant"
run "phase0-isolation-a sees a descriptor leaked inside its window" -l 5 -x 1 "$bin/phase0-isolation-a"
said "phase0-isolation-a: holds fd 5 outside its grant"

run "phase0-probe notifies and exits 0" -x 0 "$bin/phase0-probe"
said "PROBE_DONE received from role 0x104"
run "phase0-probe without its notify slot exits 2" -n -x 2 "$bin/phase0-probe"

run "phase1-lookup-client finds timed" -p -x 0 "$bin/phase1-lookup-client"
said "served op 0x502 with status 0"
run "phase1-lookup-client exits 1 when named says not found" -s 3 -x 1 "$bin/phase1-lookup-client"
run "phase1-lookup-client without named exits 2" -n -x 2 "$bin/phase1-lookup-client"

run "phase1-time-client reads the time through slot 2128" -p -x 0 "$bin/phase1-time-client"
said "window 2129"
run "phase1-time-client exits 1 on a refusal" -s 2 -x 1 "$bin/phase1-time-client"
run "phase1-time-client exits 1 on a zero time" -z -x 1 "$bin/phase1-time-client"
run "phase1-time-client without its slot exits 2" -n -x 2 "$bin/phase1-time-client"

run "phase2-irq-client is granted IRQ 4 through slot 2144" -p -x 0 "$bin/phase2-irq-client"
said "window 2145"
run "phase2-irq-client exits 1 when refused" -s 1 -x 1 "$bin/phase2-irq-client"
run "phase2-irq-client without its slot exits 2" -n -x 2 "$bin/phase2-irq-client"

echo "$n helper runs behaved as expected"
