#!/bin/sh
# SPDX-License-Identifier: ISC
# The ELF validator's fuzz entry (tests/fuzz/fuzz-elf.c) over its seed
# corpus and the real helper images, through the plain replay driver, so a
# gcc-only build runs the fuzz target's code and checks too. The checked-in
# corpus must be exactly what tests/fuzz/mkcorpus-elf writes (regenerate it
# with `make fuzz-corpus-elf`). In a --enable-fuzzing build the libFuzzer
# target also runs the corpus, then fuzzes briefly from a fixed seed.
. "${abs_top_srcdir}/tests/lib.sh"

corpus="$abs_top_srcdir/tests/fuzz/corpus/elf"
replay="$abs_top_builddir/tests/fuzz/replay-elf"
fuzzer="$abs_top_builddir/tests/fuzz/fuzz-elf"
[ -d "$corpus" ] || fail "no seed corpus at $corpus"

mkdir -p "$work/gen"
"$abs_top_builddir/tests/fuzz/mkcorpus-elf" "$work/gen" > /dev/null || fail "mkcorpus-elf failed"
for f in "$work"/gen/*; do
	name=$(basename "$f")
	[ -f "$corpus/$name" ] || fail "the corpus lacks $name (make fuzz-corpus-elf)"
	cmp -s "$f" "$corpus/$name" || fail "corpus file $name is not what mkcorpus-elf writes (make fuzz-corpus-elf)"
done

helpers=
[ -d "$abs_top_builddir/helpers" ] &&
	helpers=$(find "$abs_top_builddir/helpers" -maxdepth 1 -type f -name 'phase[0-9]-*' ! -name '*.o')
# shellcheck disable=SC2086 # one argument per helper path
"$replay" "$corpus" $helpers || fail "replay over the corpus found a problem"

if [ -x "$fuzzer" ]; then
	"$fuzzer" -artifact_prefix="$work/" -runs=0 "$corpus" > "$work/fuzz-corpus.log" 2>&1 ||
		{ tail -20 "$work/fuzz-corpus.log" >&2; fail "the libFuzzer target failed on the corpus"; }
	mkdir -p "$work/new"
	"$fuzzer" -artifact_prefix="$work/" -seed=1 -runs=20000 "$work/new" "$corpus" > "$work/fuzz.log" 2>&1 ||
		{ tail -20 "$work/fuzz.log" >&2; fail "20000 fuzz runs found a problem (see $work)"; }
	echo "libFuzzer target: corpus and 20000 runs clean"
fi
