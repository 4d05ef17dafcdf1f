#!/bin/sh
# SPDX-License-Identifier: ISC
# More process lifetimes under the kernel model than its process table has
# entries: a child created, started and stopped through procd again and
# again, and a crashing service procd restarts again and again. The kernel
# frees what a process held once nothing can name it any more, so neither
# campaign runs out of processes, and afterwards the kernel holds what it
# held before (processes, objects, messages) and procd's lifetimes left
# nothing behind in it.
. "${abs_top_srcdir}/tests/lib.sh"
. "${abs_top_srcdir}/tests/erix-model/lib.sh"

cat > "$work/campaign.manifest" <<'EOF'
module phase0-exit          helpers/phase0-exit
module phase0-fault-kill    helpers/phase0-fault-kill
module phase0-isolation-b   helpers/phase0-isolation-b
spawn phase0-isolation-b
EOF

census() {
	sed -n "s/^erix-model: census $1: //p" "$work/boot.log"
}

# The table's size, from a boot without a campaign (whose census does not
# move either).
boot_model "$work/campaign.manifest" --census
[ "$boot_status" -eq 0 ] || { cat "$work/boot.log" >&2; fail "the model exited with status $boot_status"; }
baseline=$(census "before the actions")
[ -n "$baseline" ] || { cat "$work/boot.log" >&2; fail "no census before the actions"; }
[ "$baseline" = "$(census "before the hang-up")" ] ||
	{ grep census "$work/boot.log" >&2; fail "the kernel's census moved in a boot that did nothing"; }
table=$(echo "$baseline" | sed -n 's/^[0-9]* processes in the table of \([0-9]*\),.*/\1/p')
[ -n "$table" ] || fail "no table size in the census '$baseline'"

# Each campaign more than half the table: together more lifetimes than
# the table has entries, besides the processes of the boot.
n=$((table / 2 + 8))
boot_model "$work/campaign.manifest" --census --run-for 60 --cycle phase0-exit "$n" --crash-loop phase0-fault-kill "$n"
[ "$boot_status" -eq 0 ] || { tail -40 "$work/boot.log" >&2; fail "the model exited with status $boot_status"; }
expect_not "^erix-model: no process for "
expect "rootd: cycled phase0-exit: $n of $n lifetimes started and stopped"
# procd is asked how far it got between restarts: at least n of them.
made=$(sed -n 's/^rootd: crash-loop phase0-fault-kill (pid [0-9]*): restarted \([0-9]*\) times, then stopped: ok$/\1/p' \
	"$work/boot.log")
[ -n "$made" ] && [ "$made" -ge "$n" ] ||
	{ grep '^rootd: \|^procd: .*\(giving up\|could not\)' "$work/boot.log" >&2; fail "procd could not restart the crashing service $n times"; }
started=$(grep -c '^procd: phase0-exit (pid [0-9]*) started as os pid [0-9]*$' "$work/boot.log")
restarted=$(grep -c '^procd: phase0-fault-kill (pid [0-9]*) restarted: restart [0-9]*$' "$work/boot.log")
[ $((started + restarted + 1)) -gt "$table" ] ||
	fail "only $started + $restarted + 1 lifetimes: not more than the table's $table entries"
[ "$(census "before the actions")" = "$baseline" ] ||
	{ grep census "$work/boot.log" >&2; fail "the campaign's boot did not start from the same census"; }
after=$(census "before the hang-up")
[ "$after" = "$baseline" ] ||
	fail "after $((started + restarted + 1)) lifetimes the kernel holds '$after', not '$baseline' as before"
echo "$((started + restarted + 1)) lifetimes under a table of $table: the kernel back at '$baseline'"
