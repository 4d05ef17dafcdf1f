#!/bin/sh
# SPDX-License-Identifier: ISC
# procd-boot with no --run-for serves until it is told to stop: the default
# manifest's `late kernel-pager 1` is published after its second and pagerd
# starts; then a Ctrl-C (SIGINT to the whole foreground process group, as a
# terminal sends it) stops procd cleanly: nothing is restarted once rootd
# has begun shutting down, and procd-boot exits 0.
. "${abs_top_srcdir:?run through make check}/tests/lib.sh"
need_hosted_procd
command -v setsid > /dev/null 2>&1 || skip "setsid(1) is needed to give the boot its own process group"

log="$work/boot.log"
cd "$abs_top_builddir" || fail "no build directory"
setsid ./procd-boot "$abs_top_srcdir/boot/default.manifest" > "$log" 2>&1 &
boot=$!

# Up to 15 s for pagerd: the late endpoint falls due after 1 s.
i=0
until grep -q 'procd: pagerd (pid [0-9]*) started' "$log"; do
	i=$((i + 1))
	if [ "$i" -gt 150 ] || ! kill -0 "$boot" 2> /dev/null; then
		kill -INT -- "-$boot" 2> /dev/null
		wait "$boot"
		cat "$log" >&2
		fail "pagerd was never started: the late kernel-pager was not published"
	fi
	sleep 0.1
done
grep -q 'rootd: published kernel-pager to procd late' "$log" || fail "pagerd started without the late endpoint"

kill -INT -- "-$boot"
wait "$boot"
status=$?
[ "$status" -eq 0 ] || { cat "$log" >&2; fail "procd-boot exited $status after SIGINT, expected 0"; }
grep -q 'rootd: procd exited with status 0' "$log" || { cat "$log" >&2; fail "procd did not exit 0"; }
sed -n '/rootd: shutting down/,$p' "$log" > "$work/shutdown.log"
[ -s "$work/shutdown.log" ] || { cat "$log" >&2; fail "procd-boot did not shut down on SIGINT"; }
if grep -E 'restarted|restarts in' "$work/shutdown.log" > "$work/restarts"; then
	cat "$work/shutdown.log" >&2
	fail "a child was restarted during shutdown: $(head -1 "$work/restarts")"
fi
exit 0
