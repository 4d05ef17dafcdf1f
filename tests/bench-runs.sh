#!/bin/sh
# SPDX-License-Identifier: ISC
# make bench is never a pass/fail test of speed, and nothing here times
# anything; but the benchmark must keep working: every section reports its
# figures against its baseline, --only runs just the one it names, and an
# unknown section is refused.
. "${abs_top_srcdir}/tests/lib.sh"
need_hosted_procd

bench="$abs_top_builddir/tests/bench/bench"
# The bench finds the helpers and the relay relative to the build tree.
cd "$abs_top_builddir" || fail "no build tree"

"$bench" "$procd" --quick > "$work/all" 2> "$work/all.err" ||
	fail "bench --quick failed: $(tail -n 3 "$work/all.err")"
for want in 'procd/posix_spawn' 'ping-pong' 'restart latency' ' 10 children:' 'procd/direct' \
	'procd/floor' '131072-byte chunks' 'bootstrap flooded'; do
	grep -q -- "$want" "$work/all" || fail "bench --quick printed no '$want' figure"
done
# Each loader size has a figure for procd, the baseline and the floor.
lines=$(awk '/ bytes: procd / && $4 > 0 && $6 > 0 && $8 > 0' "$work/all" | wc -l)
[ "$lines" -eq 3 ] || fail "expected 3 loader figures, got $lines"

"$bench" "$procd" --quick --only loader > "$work/loader" 2> /dev/null || fail "bench --only loader failed"
grep -q 'procd/floor' "$work/loader" || fail "--only loader did not run the loader section"
! grep -q 'posix_spawn' "$work/loader" || fail "--only loader ran the spawn section too"

"$bench" "$procd" --only nosuch > /dev/null 2>&1
status=$?
[ "$status" -eq 2 ] || fail "an unknown section gave status $status, not 2"
echo "bench runs every section, and --only one"
