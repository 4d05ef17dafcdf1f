/* SPDX-License-Identifier: ISC */
/*
 * The validator's rules as data: each case takes the default test image
 * (three PT_LOADs and a PT_GNU_STACK, like a helper), changes it one way,
 * and says what procd_elf_check must answer (with stack reserve
 * TEST_ELF_RESERVE): the refusal reason, or "ok" for variants real linkers
 * produce that must stay accepted. The unit suite runs every case; the
 * corpus generator writes the ones marked for the corpus, named
 * ok-<name> / bad-<name>, and the suite checks those files against the
 * table again.
 */
#ifndef PROCD_TESTS_ELF_CASES_H
#define PROCD_TESTS_ELF_CASES_H

#include <stddef.h>

#include "tests/fuzz/elf-image.h"

/* The areas, one Check suite each; the table is grouped by area. */
enum test_elf_area {
	TEST_ELF_HEADER,
	TEST_ELF_PHDR_TYPES,
	TEST_ELF_LOADS,
	TEST_ELF_ENTRY_STACK,
	TEST_ELF_ACCEPTED,
	TEST_ELF_AREAS
};

struct test_elf_case {
	enum test_elf_area area;
	const char *name;
	void (*mutate)(struct test_elf *t);
	const char *why; /* "ok": accepted */
	int corpus;      /* also a seed file in tests/fuzz/corpus/elf */
};

extern const struct test_elf_case test_elf_cases[];
extern const size_t test_elf_ncases;

/* The image of case c: the default image, mutated. */
void test_elf_case_image(const struct test_elf_case *c, struct test_elf *t);
/* The case named name, or NULL. */
const struct test_elf_case *test_elf_case_find(const char *name);

#endif
