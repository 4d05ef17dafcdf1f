#!/bin/sh
# SPDX-License-Identifier: ISC
# The ELF validator's fuzz entry (tests/fuzz/fuzz-elf.c) over its seed
# corpus and the real helper images, through the plain replay driver, so a
# gcc-only build runs the fuzz target's code and checks too. The checked-in
# corpus must be exactly what tests/fuzz/mkcorpus-elf writes (regenerate it
# with `make fuzz-corpus-elf`). In a --enable-fuzzing build the libFuzzer
# target also runs the corpus, then fuzzes briefly from a fixed seed.
. "${abs_top_srcdir}/tests/lib.sh"
target=elf
. "${abs_top_srcdir}/tests/fuzz/replay-lib.sh"

corpus_is_generated
helpers=
[ -d "$abs_top_builddir/helpers" ] &&
	helpers=$(find "$abs_top_builddir/helpers" -maxdepth 1 -type f -name 'phase[0-9]-*' ! -name '*.o')
# shellcheck disable=SC2086 # one argument per helper path
"$replay" "$corpus" $helpers || fail "replay over the corpus found a problem"
fuzz_briefly
