/* SPDX-License-Identifier: ISC */
/*
 * Test support for the ELF validator, shared by the unit suite
 * (tests/unit/check-elf.c), the corpus generator and the fuzz target:
 * a builder of small valid images, and an independent check of what an
 * accepted plan promises.
 *
 * Hosted code (tests only). The images are built through the structs of
 * core/elf64.h, whose memory layout is the file layout on a little-endian
 * host.
 */
#ifndef PROCD_TESTS_ELF_IMAGE_H
#define PROCD_TESTS_ELF_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "core/elf64.h"
#include "core/elf_check.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the test images are built in host byte order, which must be little-endian"
#endif

#define TEST_ELF_MAX_PHDRS 20
#define TEST_ELF_BYTES     2048
/* The stack reserve every test image holds and every check asks for: the
 * helpers' 64 KiB. */
#define TEST_ELF_RESERVE   65536u
#define TEST_ELF_BASE      0x400000u

struct test_elf {
	union {
		struct {
			struct procd_elf64_ehdr eh;
			struct procd_elf64_phdr ph[TEST_ELF_MAX_PHDRS];
		} h;
		uint8_t b[TEST_ELF_BYTES];
	} u;
	size_t len; /* the image is u.b[0..len) */
};

/*
 * A valid image with nloads PT_LOAD headers (2..9) followed by nextra
 * PT_GNU_STACK headers: text (R X, the entry at its start), nloads - 2
 * rodata segments (R), then data (RW) of 16 file bytes and
 * TEST_ELF_RESERVE bytes of zero fill. The segments' bytes follow the
 * header table, 16-byte aligned and packed (they share file pages, as lld
 * lays them out); each segment's vaddr is on its own page. The whole image
 * is a few hundred bytes.
 */
void test_elf_build(struct test_elf *t, unsigned nloads, unsigned nextra);

/* The layout of the helpers: three PT_LOADs and a PT_GNU_STACK. */
void test_elf_build_default(struct test_elf *t);

/*
 * An accepted image's plan, checked independently of core/elf_check.c:
 * the plan is the image's PT_LOAD headers in table order, and it keeps
 * every promise of core/elf_check.h. Returns NULL, or what is broken.
 */
const char *test_elf_plan_broken(const uint8_t *image, size_t len, uint64_t stack_reserve,
				 const struct procd_elf_plan *plan);

#endif
