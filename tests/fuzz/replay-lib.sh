# SPDX-License-Identifier: ISC
# Shared by tests/fuzz/replay-*.sh; sourced after tests/lib.sh with $target
# set to the fuzz target's name (elf, transfer).
corpus="$abs_top_srcdir/tests/fuzz/corpus/$target"
replay="$abs_top_builddir/tests/fuzz/replay-$target"
fuzzer="$abs_top_builddir/tests/fuzz/fuzz-$target"
[ -d "$corpus" ] || fail "no seed corpus at $corpus"

# The checked-in corpus must be exactly what mkcorpus-$target writes.
corpus_is_generated() {
	mkdir -p "$work/gen"
	"$abs_top_builddir/tests/fuzz/mkcorpus-$target" "$work/gen" > /dev/null || fail "mkcorpus-$target failed"
	for f in "$work"/gen/*; do
		name=$(basename "$f")
		[ -f "$corpus/$name" ] || fail "the corpus lacks $name (make fuzz-corpus-$target)"
		cmp -s "$f" "$corpus/$name" ||
			fail "corpus file $name is not what mkcorpus-$target writes (make fuzz-corpus-$target)"
	done
}

# In a --enable-fuzzing build, the libFuzzer target runs the corpus, then
# fuzzes briefly from a fixed seed.
fuzz_briefly() {
	[ -x "$fuzzer" ] || return 0
	"$fuzzer" -artifact_prefix="$work/" -runs=0 "$corpus" > "$work/fuzz-corpus.log" 2>&1 ||
		{ tail -20 "$work/fuzz-corpus.log" >&2; fail "the libFuzzer target failed on the corpus"; }
	mkdir -p "$work/new"
	"$fuzzer" -artifact_prefix="$work/" -seed=1 -runs=20000 "$work/new" "$corpus" > "$work/fuzz.log" 2>&1 ||
		{ tail -20 "$work/fuzz.log" >&2; fail "20000 fuzz runs found a problem (see $work)"; }
	echo "libFuzzer target: corpus and 20000 runs clean"
}
