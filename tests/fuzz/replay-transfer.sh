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
target=transfer
. "${abs_top_srcdir}/tests/fuzz/replay-lib.sh"

corpus_is_generated
"$replay" "$corpus" || fail "replay over the corpus found a problem (PROCD_FUZZ_TRACE=1 shows each step)"
fuzz_briefly
