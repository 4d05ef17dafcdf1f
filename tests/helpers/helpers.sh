#!/bin/sh
# SPDX-License-Identifier: ISC
# Each helper program, run for real under helper-launch: a child that holds
# exactly stdio and its granted slots (checked in /proc while it runs),
# whose peers the launcher plays. The helpers do what their tests in procd
# rely on: exit with the code they are sent, fault, see a leaked descriptor,
# notify, and exit 2 when a slot they need is missing. The peer-role
# stand-ins (service, logd, crashd, named, deviced) do what a default boot
# relies on, with the launcher playing procd where they talk to it.
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

# The serving helpers, the peer-role stand-ins among them (each after its
# own start-up exchange with the procd the launcher plays, if any).
for h in phase0-exit phase0-isolation-b service logd crashd named deviced; do
	who=$h
	# The launcher grants service timed's kernel endpoint: it speaks as timed.
	[ "$h" = service ] && who="service as timed"
	run "$h exits with the code it is sent" -p -e 7 -x 7 "$bin/$h"
	run "$h exits 0 when its endpoint's peer closes" -p -E -x 0 "$bin/$h"
	run "$h refuses a record of the wrong length" -M -x 3 "$bin/$h"
	said "$who: malformed message"
	run "$h refuses a message that carries a capability" -C -x 3 "$bin/$h"
	said "it carried capabilities"
	run "$h without its endpoint exits 2" -N -x 2 "$bin/$h"
	said "$who: no endpoint at slot 16"
done

run "phase0-fault-kill dies of SIGSEGV" -k SEGV "$bin/phase0-fault-kill"
said "phase0-fault-kill: faulting"

run "phase0-isolation-a passes when it holds only its grant" \
	-p -w "isolated (window 32)" -e 0 -x 0 "$bin/phase0-isolation-a"
# What the launcher inherits from whoever ran it is not the helper's: with
# descriptors open in this shell, the helper still holds exactly its grant.
exec 8</dev/null 9</dev/null
run "phase0-isolation-a holds only its grant when the launcher inherits more" \
	-p -w "isolated (window 32)" -e 0 -x 0 "$bin/phase0-isolation-a"
exec 8<&- 9<&-
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

# said_times COUNT TEXT: the last run's output has TEXT on COUNT lines.
said_times() {
	got=$(grep -c -F "$2" "$work/out")
	[ "$got" -eq "$1" ] || { cat "$work/out" >&2; fail "expected '$2' $1 times, saw it $got times"; }
}

# service: one image for many roles; the line it prints is the grant,
# under the role its dedicated slot names.
run "service lists the slots it holds, as the role they name" \
	-p -w "service as timed: holding slots 16 18 19 20 2128 (window 2129)" -e 0 -x 0 "$bin/service"
run "service lists a descriptor it was not meant to hold" -l 40 -O 19 -x 0 "$bin/service"
said "service as timed: holding slots 16 18 20 40 2128 (window 2129)"
run "service without slots says so" -N -O 18 -O 19 -O 20 -O 2128 -x 2 "$bin/service"
said "service (no slot names its role): holding no slots (window 2129)"

# logd: keeps each PEER_LOG without printing it again (procd printed it),
# says at its end how many and the last; no reply; too long a text is
# malformed.
run "logd keeps what procd logs" -p -L "procd: started timed as pid 3" -L "second line" -e 0 -x 0 "$bin/logd"
said "logd: kept 2 lines from procd; the last: second line"
! grep -q "started timed" "$work/out" || { cat "$work/out" >&2; fail "logd printed procd's line again"; }
run "logd keeps one record on one line" -L "$(printf 'a\nb')" -x 0 "$bin/logd"
said "logd: kept 1 line from procd; the last: a?b"
run "logd takes a text of PROCD_PEER_LOG_MAX bytes" -L "$(printf '%0200d' 0)" -x 0 "$bin/logd"
run "logd refuses a longer text" -L "$(printf '%0201d' 0)" -x 3 "$bin/logd"
said "logd: malformed message: op 0x4a0 with 217 bytes"
run "logd refuses a crash report" -c f:11 -x 3 "$bin/logd"

# crashd: one line per PEER_CRASH; a kind other than faulted or killed is
# malformed.
run "crashd prints what procd reports" -p -c f:11 -c k:9 -e 0 -x 0 "$bin/crashd"
said "crashd: timed (pid 7) faulted with signal 11"
said "crashd: timed (pid 7) was killed by signal 9"
run "crashd refuses an unknown kind of end" -c x:1 -x 3 "$bin/crashd"
said "crashd: malformed message: PEER_CRASH of pid 7 with kind 99"
run "crashd refuses a log line" -L "hello" -x 3 "$bin/crashd"

# named: publishes logd's and crashd's endpoints to procd (the launcher,
# on slot 17) with the very socket attached, answers lookups, republishes.
run "named publishes what it holds and answers lookups" \
	-p -q timed -q logd -q nosuch -q 0123456789abcdef0123456789abcdef -e 0 -x 0 "$bin/named"
said "named: PUBLISH of role 0x4 came with the socket at slot 19; answered status 0"
said "named: PUBLISH of role 0x5 came with the socket at slot 20; answered status 0"
said "named: published logd: status 0"
said "named: published crashd: status 0"
said "named: LOOKUP of timed answered status 0"
said "named: LOOKUP of logd answered status 0"
said "named: LOOKUP of nosuch answered status 3"
said "named: LOOKUP of 0123456789abcdef0123456789abcdef answered status 2"
run "named publishes again on REPUBLISH" -r -r -E -x 0 "$bin/named"
said_times 3 "named: PUBLISH of role 0x4 came with the socket at slot 19"
said_times 3 "named: published crashd: status 0"
run "named publishes only what it holds, and reports procd's answer" -O 20 -s 1 -E -x 0 "$bin/named"
said "named: published logd: status 1"
said "named: holds no crashd endpoint (slot 20): not published"
run "named without procd's endpoint still serves lookups" -n -q timed -e 0 -x 0 "$bin/named"
said "named: no procd endpoint at slot 17: nothing published"
said "named: LOOKUP of timed answered status 0"

# deviced: asks the kernel (the launcher, on slot 2272) for its devices,
# then stages their driver, drv-serial, on procd's driver endpoint (the
# launcher, on slot 2112), drops the grant, keeps the alias, starts it from
# the role's image; aborts it when the start is refused.
run "deviced starts drv-serial through slot 2112" -p -e 0 -x 0 "$bin/deviced"
said "deviced: START of pid 5 from the role's image; deviced closed the grant, holds the alias"
said "deviced: DEVICES answered: drv-serial"
said "deviced: driver drv-serial started as pid 5"
run "deviced reports a refused CREATE and serves on" -s 1 -e 0 -x 0 "$bin/deviced"
said "deviced: procd did not create driver drv-serial: status 1"
run "deviced aborts a driver whose START is refused" -S 2 -e 0 -x 0 "$bin/deviced"
said "deviced: procd did not start driver drv-serial (pid 5): status 2"
said "deviced: ABORT of pid 5 after the refused START; deviced dropped the alias"
run "deviced without slot 2112 exits 2" -n -x 2 "$bin/deviced"
said "deviced: no procd driver endpoint at slot 2112"

echo "$n helper runs behaved as expected"
