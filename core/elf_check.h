/* SPDX-License-Identifier: ISC */
/*
 * The ELF image validator: whether bytes that loaderd transferred are an
 * image procd will materialize, and if so its load plan (segments, entry,
 * stack top). Nothing is built from an image this refuses, and nothing is
 * built from anything but the plan it returns.
 *
 * What procd loads: a static x86_64 ELF64 executable (ET_EXEC, nothing to
 * resolve or relocate), the layout every helper's linker script produces
 * (ld/helper-common.ld): code in an executable segment holding the entry,
 * no page both writable and executable, and a final loaded segment that is
 * writable data ending in the stack reserve, so stack_top = vaddr_end.
 * The rules, one refusal reason each, are listed in core/elf_check.c.
 *
 * Bounded and freestanding: no allocation, no recursion, one pass over at
 * most PROCD_ELF_MAX_PHDRS program headers; every offset and size is checked
 * with arithmetic that cannot overflow. The image need not be aligned.
 */
#ifndef PROCD_CORE_ELF_CHECK_H
#define PROCD_CORE_ELF_CHECK_H

#include <stddef.h>
#include <stdint.h>

/* PT_LOAD segments a plan holds. The helpers have three (text, rodata, data). */
#define PROCD_ELF_MAX_SEGMENTS 8
/* Program headers of any type; GNU ld and lld put 4 to 10 in a static image.
 * It also keeps e_phnum below PN_XNUM (0xffff, extended numbering). */
#define PROCD_ELF_MAX_PHDRS 16
/* The page: the unit of protection, so the unit in which segments may not
 * be shared. x86_64 base pages; p_align must be at least this. */
#define PROCD_ELF_PAGE 4096u
/* The end of the user half of the x86_64 address space (canonical lower
 * half, 47 bits): every loaded byte lies below it. */
#define PROCD_ELF_USER_TOP 0x0000800000000000ull
/* The most memory one image's segments may ask for in all (file bytes and
 * zero fill, each segment rounded to pages): configure
 * --with-max-image-memory=MiB. A segment may otherwise ask for terabytes of
 * zero fill that no kernel will give. */
#ifndef PROCD_IMAGE_MEMORY_MAX_MIB
#define PROCD_IMAGE_MEMORY_MAX_MIB 256u
#endif
#define PROCD_IMAGE_MEMORY_MAX ((uint64_t)PROCD_IMAGE_MEMORY_MAX_MIB << 20)

struct procd_segment {
	uint64_t offset; /* in the image */
	uint64_t vaddr;
	uint64_t filesz; /* bytes copied from the image */
	uint64_t memsz;  /* filesz, then zero fill up to memsz */
	uint32_t flags;  /* PROCD_PF_R | PROCD_PF_W | PROCD_PF_X (core/elf64.h) */
};

struct procd_elf_plan {
	uint64_t entry;
	uint64_t vaddr_end; /* end of the final segment: the initial stack top */
	uint64_t phdr_offset, phdr_end; /* the program header table, in the image */
	uint32_t nsegments; /* 1..PROCD_ELF_MAX_SEGMENTS */
	struct procd_segment seg[PROCD_ELF_MAX_SEGMENTS]; /* the PT_LOADs, ascending */
};

/*
 * Validates image[0..len) and fills *plan. Returns PROCD_OK, or
 * PROCD_E_INVALID for any refusal (the image is what is wrong; *why says
 * which rule it breaks, as a static one-line string). On refusal *plan is
 * zeroed, so a refused image never leaves a usable-looking plan behind.
 * stack_reserve is the number of zero-filled bytes the final segment must
 * hold at its end for the stack. why may be NULL.
 */
uint32_t procd_elf_check(const void *image, size_t len, uint64_t stack_reserve,
			 struct procd_elf_plan *plan, const char **why);

/*
 * Whether segs[0..n) (the segment metadata loaderd sends with COMMIT) is
 * exactly the plan's PT_LOAD segments, in order, field for field. Returns 1
 * or 0; 0 for a NULL plan or segs, and for a plan with no segments (what a
 * refused image leaves), so an empty list never matches.
 */
int procd_elf_plan_matches(const struct procd_elf_plan *plan, const struct procd_segment *segs, uint32_t n);

#endif
