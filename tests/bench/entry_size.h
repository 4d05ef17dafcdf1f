/* SPDX-License-Identifier: ISC */
/*
 * Bytes of procd's own memory each managed child takes, from the structures
 * this build compiles (so --with-max-processes and the core headers decide
 * it, not a copy of their sizes). Printed by make bench and make size.
 */
#ifndef TESTS_BENCH_ENTRY_SIZE_H
#define TESTS_BENCH_ENTRY_SIZE_H

#include <stddef.h>
#include <stdio.h>

/* procd bytes per child: its process entry, its endpoint entries, its
 * generation counter and its bit in the busy map. */
double entry_bytes_per_child(void);

/* What those bytes are, one line each, every line prefixed by indent. */
void entry_size_print(FILE *out, const char *indent);

#endif
