/* SPDX-License-Identifier: ISC */
/*
 * Writes the ELF validator's seed corpus: the cases of tests/fuzz/elf-cases.c
 * marked for the corpus, as DIR/ok-<name> (accepted) and DIR/bad-<name>
 * (refused, for the reason the table gives). The checked-in corpus,
 * tests/fuzz/corpus/elf/, is exactly this program's output: replay-elf.sh
 * regenerates it and compares, and `make fuzz-corpus-elf` rewrites it.
 *
 *   mkcorpus-elf DIR
 */
#include <stdio.h>
#include <string.h>

#include "tests/fuzz/elf-cases.h"

static int write_case(const char *dir, const struct test_elf_case *c)
{
	struct test_elf t;
	char path[4096];
	FILE *f;
	int ok;

	test_elf_case_image(c, &t);
	if (snprintf(path, sizeof path, "%s/%s-%s", dir, strcmp(c->why, "ok") == 0 ? "ok" : "bad", c->name) >=
	    (int)sizeof path)
		return -1;
	if (!(f = fopen(path, "wb")))
		return -1;
	ok = fwrite(t.u.b, 1, t.len, f) == t.len;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

int main(int argc, char **argv)
{
	unsigned n = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: mkcorpus-elf DIR\n");
		return 2;
	}
	for (size_t i = 0; i < test_elf_ncases; i++) {
		if (!test_elf_cases[i].corpus)
			continue;
		if (write_case(argv[1], &test_elf_cases[i]) != 0) {
			fprintf(stderr, "mkcorpus-elf: cannot write %s into %s\n", test_elf_cases[i].name, argv[1]);
			return 1;
		}
		n++;
	}
	printf("mkcorpus-elf: %u files in %s\n", n, argv[1]);
	return 0;
}
