#!/bin/sh
# SPDX-License-Identifier: ISC
# make bench is never a pass/fail test of speed, and nothing here times
# anything; but the benchmark must keep working: every section reports its
# figures against its baseline (s6 included, or skipped with a message
# when it is absent), --only runs just the one it names, and an unknown
# section is refused. A procd without its loader role module has no loader
# figures: the bench says it skipped that section, and the rest still run.
. "${abs_top_srcdir}/tests/lib.sh"
need_hosted_procd

bench="$abs_top_builddir/tests/bench/bench"
# The bench finds the helpers and the relay relative to the build tree.
cd "$abs_top_builddir" || fail "no build tree"

"$bench" "$procd" --quick > "$work/all" 2> "$work/all.err" ||
	fail "bench --quick failed: $(tail -n 3 "$work/all.err")"
for want in 'procd/posix_spawn' 'ping-pong' 'restart latency' ' 10 children:' \
	'procd/floor' 'bootstrap flooded'; do
	grep -q -- "$want" "$work/all" || fail "bench --quick printed no '$want' figure"
done
if has_role loader; then
	for want in 'procd/direct' '131072-byte chunks'; do
		grep -q -- "$want" "$work/all" || fail "bench --quick printed no '$want' figure"
	done
else
	grep -q '^loader: this procd has no loader role module' "$work/all" ||
		fail "a procd without the loader role: the bench did not say it skipped the loader section"
fi
# The spawn section sets both of procd's paths against the spawn floor, and
# the restart section its latency against the floor of its own run.
for want in 'floor: procd' 'SPAWN_SERVICE + exit event' 'CREATE+START+exit event' 'restart/floor' \
	'per child' 'cross-CPU wake-ups' "after a floor's length" 'the least a spawn by request can cost'; do
	grep -q -- "$want" "$work/all" || fail "bench --quick printed no '$want' figure"
done
# And the same two paths again with everything on one CPU, each against
# the floor of that pass.
lines=$(grep -c 'procd/floor [0-9.]*x on one CPU' "$work/all")
[ "$lines" -eq 2 ] || fail "expected procd/floor ratios on one CPU for 2 spawn paths, got $lines"
lines=$(grep -c 'procd/floor [0-9.]*x' "$work/all")
if has_role loader; then
	[ "$lines" -ge 5 ] || fail "expected procd/floor ratios for 2 spawn paths and 3 loader sizes, got $lines"
else
	[ "$lines" -ge 2 ] || fail "expected procd/floor ratios for 2 spawn paths, got $lines"
fi
# s6 side by side: start, restart and memory, each with a ratio; or, where
# s6 is not installed, a plain statement that it was skipped.
if grep -q 's6: not installed' "$work/all"; then
	echo "s6 is not installed here: its comparison was skipped, as the bench said"
else
	lines=$(grep -c 'procd/s6 [0-9.]*x' "$work/all")
	[ "$lines" -eq 3 ] || fail "expected 3 procd/s6 ratios (start, restart, memory), got $lines"
	grep -q 's6 restart left to s6-supervise' "$work/all" || fail "no figure for s6's own restart floor"
	# The scan directory the bench made is gone, and s6 with it.
	scan=$(sed -n 's/^  scan directory \(.*\)\/scan$/\1/p' "$work/all")
	[ -n "$scan" ] || fail "the s6 section named no scan directory"
	[ ! -e "$scan" ] || fail "the s6 scan directory $scan was left behind"
	for cmdline in /proc/[0-9]*/cmdline; do
		{ tr '\0' ' ' < "$cmdline"; } 2> /dev/null | grep -q "^s6-svscan $scan/scan" &&
			fail "s6-svscan of $scan still runs"
	done
fi
# Each loader size has a figure for procd, the baseline and the floor.
if has_role loader; then
	lines=$(awk '/ bytes: procd / && $4 > 0 && $6 > 0 && $8 > 0' "$work/all" | wc -l)
	[ "$lines" -eq 3 ] || fail "expected 3 loader figures, got $lines"
	only=loader only_figure='procd/floor'
else
	only=query only_figure='ping-pong'
fi

"$bench" "$procd" --quick --only $only > "$work/only" 2> /dev/null || fail "bench --only $only failed"
grep -q "$only_figure" "$work/only" || fail "--only $only did not run the $only section"
! grep -q 'posix_spawn' "$work/only" || fail "--only $only ran the spawn section too"

"$bench" "$procd" --only nosuch > /dev/null 2>&1
status=$?
[ "$status" -eq 2 ] || fail "an unknown section gave status $status, not 2"
echo "bench runs every section, and --only one"
