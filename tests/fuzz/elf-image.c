/* SPDX-License-Identifier: ISC */
#include "tests/fuzz/elf-image.h"

#include <string.h>

#define PAGE 4096u

static uint64_t round16(uint64_t v)
{
	return (v + 15) & ~(uint64_t)15;
}

static void load(struct procd_elf64_phdr *p, uint64_t off, uint64_t page, uint64_t size, uint32_t flags)
{
	p->p_type = PROCD_PT_LOAD;
	p->p_flags = flags;
	p->p_offset = off;
	/* On its own page, at the offset's place in that page: congruent. */
	p->p_vaddr = p->p_paddr = TEST_ELF_BASE + page * PAGE + off % PAGE;
	p->p_filesz = p->p_memsz = size;
	p->p_align = PAGE;
}

static void header(struct test_elf *t, unsigned phnum)
{
	struct procd_elf64_ehdr *eh = &t->u.h.eh;

	memcpy(eh->e_ident, PROCD_ELFMAG, PROCD_SELFMAG);
	eh->e_ident[PROCD_EI_CLASS] = PROCD_ELFCLASS64;
	eh->e_ident[PROCD_EI_DATA] = PROCD_ELFDATA2LSB;
	eh->e_ident[PROCD_EI_VERSION] = PROCD_EV_CURRENT;
	eh->e_type = PROCD_ET_EXEC;
	eh->e_machine = PROCD_EM_X86_64;
	eh->e_version = PROCD_EV_CURRENT;
	eh->e_phoff = sizeof t->u.h.eh;
	eh->e_ehsize = PROCD_ELF64_EHDR_SIZE;
	eh->e_phentsize = PROCD_ELF64_PHDR_SIZE;
	eh->e_phnum = (uint16_t)phnum;
	eh->e_shentsize = 64; /* no section headers: e_shoff and e_shnum 0 */
}

void test_elf_build(struct test_elf *t, unsigned nloads, unsigned nextra)
{
	unsigned phnum = nloads + nextra, i;
	uint64_t off;

	memset(t, 0, sizeof *t);
	if (nloads < 2 || phnum > TEST_ELF_MAX_PHDRS)
		return; /* len 0: refused, and the test asserting on it fails */
	header(t, phnum);
	off = round16(PROCD_ELF64_EHDR_SIZE + (uint64_t)phnum * PROCD_ELF64_PHDR_SIZE);

	load(&t->u.h.ph[0], off, 0, 32, PROCD_PF_R | PROCD_PF_X);
	memset(t->u.b + off, 0xcc, 32); /* int3: a stray jump traps */
	t->u.h.eh.e_entry = t->u.h.ph[0].p_vaddr;
	off += 32;
	for (i = 1; i + 1 < nloads; i++, off += 16) {
		load(&t->u.h.ph[i], off, i, 16, PROCD_PF_R);
		memcpy(t->u.b + off, "read-only data.", 16);
	}
	load(&t->u.h.ph[i], off, i, 16, PROCD_PF_R | PROCD_PF_W);
	t->u.h.ph[i].p_memsz += TEST_ELF_RESERVE;
	memcpy(t->u.b + off, "writable data..", 16);
	off += 16;
	for (i = nloads; i < phnum; i++) {
		t->u.h.ph[i].p_type = PROCD_PT_GNU_STACK;
		t->u.h.ph[i].p_flags = PROCD_PF_R | PROCD_PF_W;
		t->u.h.ph[i].p_align = 16;
	}
	t->len = (size_t)off;
}

void test_elf_build_default(struct test_elf *t)
{
	test_elf_build(t, 3, 1);
}

static int inside(uint64_t off, uint64_t size, uint64_t len)
{
	return size <= len && off <= len - size;
}

/* The PT_LOAD headers of the image, in order, must be the plan. */
static const char *plan_is_the_loads(const uint8_t *image, size_t len, const struct procd_elf_plan *plan)
{
	struct procd_elf64_ehdr eh;
	uint32_t n = 0;

	if (len < sizeof eh)
		return "accepted an image shorter than its header";
	memcpy(&eh, image, sizeof eh);
	if (!inside(eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(struct procd_elf64_phdr), len))
		return "accepted an image whose header table is outside it";
	for (uint32_t i = 0; i < eh.e_phnum; i++) {
		struct procd_elf64_phdr ph;

		memcpy(&ph, image + eh.e_phoff + i * sizeof ph, sizeof ph);
		if (ph.p_type != PROCD_PT_LOAD)
			continue;
		if (n >= plan->nsegments)
			return "the plan lacks a PT_LOAD of the image";
		if (ph.p_offset != plan->seg[n].offset || ph.p_vaddr != plan->seg[n].vaddr ||
		    ph.p_filesz != plan->seg[n].filesz || ph.p_memsz != plan->seg[n].memsz ||
		    ph.p_flags != plan->seg[n].flags)
			return "a plan segment differs from its PT_LOAD";
		n++;
	}
	if (n != plan->nsegments)
		return "the plan has segments the image has not";
	if (eh.e_entry != plan->entry)
		return "the plan's entry is not e_entry";
	return NULL;
}

static const char *segment_broken(const struct procd_segment *s, size_t len)
{
	if (s->flags & ~(uint32_t)(PROCD_PF_R | PROCD_PF_W | PROCD_PF_X))
		return "a segment has unknown flags";
	if (!(s->flags & PROCD_PF_R))
		return "a segment is not readable";
	if ((s->flags & PROCD_PF_W) && (s->flags & PROCD_PF_X))
		return "a segment is writable and executable";
	if (s->memsz == 0 || s->filesz > s->memsz)
		return "a segment has bad sizes";
	if (!inside(s->offset, s->filesz, len))
		return "a segment's bytes are outside the image";
	if (s->vaddr < PAGE || !inside(s->vaddr, s->memsz, PROCD_ELF_USER_TOP))
		return "a segment is outside the user address space";
	return NULL;
}

const char *test_elf_plan_broken(const uint8_t *image, size_t len, uint64_t stack_reserve,
				 const struct procd_elf_plan *plan)
{
	const struct procd_segment *last;
	const char *why;
	int entry_ok = 0;

	if (plan->nsegments < 1 || plan->nsegments > PROCD_ELF_MAX_SEGMENTS)
		return "the plan has no segments, or too many";
	for (uint32_t i = 0; i < plan->nsegments; i++) {
		const struct procd_segment *s = &plan->seg[i];

		if ((why = segment_broken(s, len)))
			return why;
		/* Strictly later pages: (end - 1) / PAGE < vaddr / PAGE. */
		if (i > 0 && (plan->seg[i - 1].vaddr + plan->seg[i - 1].memsz - 1) / PAGE >= s->vaddr / PAGE)
			return "two segments share a page, or are out of order";
		if ((s->flags & PROCD_PF_X) && plan->entry >= s->vaddr && plan->entry < s->vaddr + s->filesz)
			entry_ok = 1;
	}
	if (!entry_ok)
		return "the entry is not in an executable segment's file bytes";
	last = &plan->seg[plan->nsegments - 1];
	if (!(last->flags & PROCD_PF_W) || (last->flags & PROCD_PF_X))
		return "the final segment is not plain writable data";
	if (last->memsz - last->filesz < stack_reserve)
		return "the final segment lacks the stack reserve";
	if (plan->vaddr_end != last->vaddr + last->memsz || plan->vaddr_end % 16 != 0)
		return "vaddr_end is not the 16-byte aligned end of the final segment";
	return plan_is_the_loads(image, len, plan);
}
