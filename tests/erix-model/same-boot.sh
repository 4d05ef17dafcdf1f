#!/bin/sh
# SPDX-License-Identifier: ISC
# One scenario, both platforms: booting boot/default.manifest prints the
# same procd lines (OS pids aside) hosted and on EriX, and gives each child
# the same slots. Whichever procd this build made runs: hosted, procd-boot
# with the children's /proc/PID/fd read while they run; EriX, the kernel
# model with its CSpaces. Both are read against the same two files. The
# lines are those of a run through the manifest, the restarts and the late
# endpoint, to the stop.
. "${abs_top_srcdir}/tests/lib.sh"
# The default manifest starts a child by loader transfer, and its probing
# child's completion is a line of procd's.
need_role loader
need_role probe

lines="$abs_top_srcdir/tests/erix-model/default-boot.procd-lines"
cspace="$abs_top_srcdir/tests/erix-model/default-boot.cspace"
# OS pids aside, and procd's own ids too: which request a child answers
# first (deviced asking for its drivers, rootd spawning) is the children's
# race, not procd's. So are the ends of children that quit on their own
# once rootd has hung up, before procd stops them. A sanitizer build says
# once that procd does not confine itself there: not a line of the boot.
normalized() {
	awk '/^procd: the bootstrap peer hung up/ { stopping = 1 }
	     /^procd: sanitizer build:/ { next }
	     /^procd:/ && !(stopping && / exited with status /) { print }' "$1" |
		sed 's/os pid [0-9]*/os pid N/; s/(pid [0-9]*)/(pid P)/' | LC_ALL=C sort
}

if [ -n "$procd" ]; then
	boot="$abs_top_builddir/procd-boot"
	[ -x "$boot" ] || fail "no procd-boot in a hosted build"
	[ -x "$abs_top_builddir/helpers/named" ] || skip "this build has no helpers for the default manifest"
	# Until told to stop: the children's descriptors are read once the
	# manifest is through and the restarts and the late endpoint are done.
	# (--run-for bounds it: without it procd-boot's poll waits for ever
	# between messages, and the late endpoint would not be published.)
	(cd "$abs_top_builddir" && exec "$boot" --run-for 60 "$abs_top_srcdir/boot/default.manifest") \
		> "$work/boot.log" 2>&1 &
	shim=$!
	i=0
	until grep -q '^rootd: loaderd loaded' "$work/boot.log" && grep -q 'given up on' "$work/boot.log" &&
		grep -q '^procd: pagerd (pid [0-9]*) started' "$work/boot.log"; do
		i=$((i + 1))
		[ "$i" -lt 600 ] || { kill "$shim"; cat "$work/boot.log" >&2; fail "the boot did not get through its manifest"; }
		sleep 0.05
	done
	: > "$work/fds.got"
	grep -v '^#' "$cspace" | while read -r role window _; do
		pid=$(sed -n "s/^procd: $role (pid [0-9]*) started as os pid \([0-9]*\)$/\1/p" "$work/boot.log" | tail -1)
		[ -n "$pid" ] || continue
		slots=
		received=0
		for fd in /proc/"$pid"/fd/*; do
			fd=${fd##*/}
			# Granted slots are 16 and up; what it received since lands
			# in the lowest free descriptor, above stdio.
			if [ "$fd" -ge 16 ] 2>/dev/null; then
				slots="$slots $fd"
			elif [ "$fd" -gt 2 ] 2>/dev/null; then
				received=$((received + 1))
			fi
		done
		slots=$(echo $slots | tr ' ' '\n' | sort -n | tr '\n' ' ')
		[ "$received" -eq 0 ] || slots="$slots received=$received"
		limit=$(awk '/^Max open files/ { print $4 }' "/proc/$pid/limits" 2>/dev/null)
		echo "$role $limit: $slots" >> "$work/fds.got"
	done
	kill -TERM "$shim"
	wait "$shim" || { cat "$work/boot.log" >&2; fail "procd-boot exited with status $?"; }
	grep -v '^#' "$cspace" | sed 's/=endpoint//g; s/ *$//' > "$work/fds.want"
	sed 's/  */ /g; s/ *$//' "$work/fds.got" > "$work/fds.got.trimmed"
	diff "$work/fds.want" "$work/fds.got.trimmed" >&2 ||
		fail "a hosted child's /proc/PID/fd differs from its CSpace under the EriX model"
else
	. "${abs_top_srcdir}/tests/erix-model/lib.sh"
	boot_model "$abs_top_srcdir/boot/default.manifest" --run-for 3
	[ "$boot_status" -eq 0 ] || { cat "$work/boot.log" >&2; fail "the model exited with status $boot_status"; }
fi
grep -v '^#' "$lines" > "$work/lines.want"
normalized "$work/boot.log" > "$work/lines.got"
diff "$work/lines.want" "$work/lines.got" >&2 || fail "procd's lines differ from the shared default boot's"
# The stand-ins' lines say who speaks, and each procd line is on the
# console once: logd keeps procd's lines rather than print them again, the
# service image names the role it runs as, crashd names the role it reports.
! grep -q '^logd: procd:' "$work/boot.log" || fail "logd printed procd's lines a second time"
grep -q '^service as timed: holding slots 16 18 19 20 2128 (window 2129)$' "$work/boot.log" ||
	fail "the service image running as timed does not say so"
grep -q '^crashd: phase0-fault-kill (pid [0-9]*) faulted with signal 11$' "$work/boot.log" ||
	fail "crashd does not name the role whose child faulted"
echo "default boot: $(wc -l < "$work/lines.got") procd lines as on the other platform"
