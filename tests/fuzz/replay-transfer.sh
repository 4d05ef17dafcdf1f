#!/bin/sh
# SPDX-License-Identifier: ISC
# The transfer state machine's fuzz entry (tests/fuzz/fuzz-transfer.c: the
# real core on the in-memory port of tests/fuzz/fake_port.c) over its seed
# corpus, through the plain replay driver, so a gcc-only build runs the fuzz
# target's code and checks too. The checked-in corpus must be exactly what
# tests/fuzz/mkcorpus-transfer writes (regenerate it with
# `make fuzz-corpus-transfer`). In a --enable-fuzzing build the libFuzzer
# target also runs the corpus, then fuzzes briefly from a fixed seed.
. "${abs_top_srcdir}/tests/lib.sh"

corpus="$abs_top_srcdir/tests/fuzz/corpus/transfer"
replay="$abs_top_builddir/tests/fuzz/replay-transfer"
fuzzer="$abs_top_builddir/tests/fuzz/fuzz-transfer"
[ -d "$corpus" ] || fail "no seed corpus at $corpus"

mkdir -p "$work/gen"
"$abs_top_builddir/tests/fuzz/mkcorpus-transfer" "$work/gen" > /dev/null || fail "mkcorpus-transfer failed"
for f in "$work"/gen/*; do
	name=$(basename "$f")
	[ -f "$corpus/$name" ] || fail "the corpus lacks $name (make fuzz-corpus-transfer)"
	cmp -s "$f" "$corpus/$name" || fail "corpus file $name is not what mkcorpus-transfer writes (make fuzz-corpus-transfer)"
done

"$replay" "$corpus" || fail "replay over the corpus found a problem (PROCD_FUZZ_TRACE=1 shows each step)"

if [ -x "$fuzzer" ]; then
	"$fuzzer" -artifact_prefix="$work/" -runs=0 "$corpus" > "$work/fuzz-corpus.log" 2>&1 ||
		{ tail -20 "$work/fuzz-corpus.log" >&2; fail "the libFuzzer target failed on the corpus"; }
	mkdir -p "$work/new"
	"$fuzzer" -artifact_prefix="$work/" -seed=1 -runs=20000 "$work/new" "$corpus" > "$work/fuzz.log" 2>&1 ||
		{ tail -20 "$work/fuzz.log" >&2; fail "20000 fuzz runs found a problem (see $work)"; }
	echo "libFuzzer target: corpus and 20000 runs clean"
fi
