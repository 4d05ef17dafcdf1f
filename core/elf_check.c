/* SPDX-License-Identifier: ISC */
/*
 * The ELF image validator: an image is checked whole before anything is
 * built from it.
 *
 * The rules, in the order they are checked; each refusal has its own reason.
 *
 * Header: at least 64 bytes; ELF magic; ELFCLASS64; little-endian; EV_CURRENT
 * in e_ident and in e_version; ET_EXEC (an ET_DYN image, PIE or shared
 * object, needs relocating at a load base, which procd does not do);
 * EM_X86_64; e_ehsize 64; e_phentsize 56; 1..PROCD_ELF_MAX_PHDRS program
 * headers; the table 8-byte aligned, after the ELF header and inside the
 * image. Section headers are not read: loading needs none of them.
 *
 * Program headers: every segment's file bytes lie inside the image. Types:
 *   PT_LOAD                      the plan (rules below)
 *   PT_INTERP, PT_DYNAMIC        refused: they ask for a dynamic loader and
 *                                relocations; procd loads static images only
 *   PT_TLS                       refused: a TLS template needs a thread
 *                                pointer set up by a loader or runtime before
 *                                the entry runs; procd sets none, and the
 *                                freestanding helpers have no TLS
 *   PT_GNU_RELRO                 refused: it asks for data to be made
 *                                read-only after relocation; procd neither
 *                                relocates nor re-protects, so honouring the
 *                                image's expectation is impossible
 *   PT_GNU_STACK                 accepted unless it asks for an executable
 *                                stack (the stack is the image's own reserve,
 *                                in a segment that must not be executable)
 *   PT_NULL, PT_NOTE, PT_PHDR,   accepted and ignored: they only describe
 *   PT_GNU_PROPERTY,             the image (lld puts PT_PHDR in static
 *   PT_GNU_EH_FRAME              executables; unwind tables add EH_FRAME)
 *   anything else                refused: a type we do not know may carry
 *                                semantics a loader must act on, and silently
 *                                ignoring it would run a different program
 *                                than the one linked (PT_SHLIB included)
 *
 * PT_LOAD, each: flags only PF_R/PF_W/PF_X; readable; not both writable and
 * executable; not empty; filesz <= memsz; p_align a power of two >= 4096 and
 * offset = vaddr (mod p_align); vaddr not in the zero page and vaddr + memsz
 * at most PROCD_ELF_USER_TOP; at most PROCD_ELF_MAX_SEGMENTS of them.
 *
 * PT_LOAD, together: ascending vaddr, not overlapping, and no two sharing a
 * page. A page has one protection, so two segments on one page would map it
 * with the union of their flags: W+X for text next to data. GNU ld and lld
 * both already lay segments out this way, with and without -z separate-code
 * (lld without it lets segments share *file* pages, offsets 0x1f0, 0x204, but
 * moves each one's vaddr to a fresh page: 0x2011f0, 0x202204), so the rule
 * is on virtual pages only; file ranges may share pages and even overlap.
 *
 * PT_LOAD, in all: their memory (each memsz, from its page start to its
 * page end) is at most PROCD_IMAGE_MEMORY_MAX.
 *
 * Entry and stack: the entry lies in the file bytes [vaddr, vaddr + filesz)
 * of an executable segment; the zero-filled tail is not code. The final
 * PT_LOAD is not executable, is writable, has at least stack_reserve bytes
 * of zero fill (memsz - filesz) for the stack, and ends (vaddr_end, the
 * initial stack top) on a 16-byte boundary, the SysV stack alignment.
 */
#include "core/elf_check.h"

#include "core/abi/procd_status.h"
#include "core/elf64.h"
#include "core/text.h"

/* Transferred bytes have no alignment and procd may run on any host: read
 * every multi-byte field as little-endian bytes, never through a cast. */
static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void decode_ehdr(const uint8_t *p, struct procd_elf64_ehdr *h)
{
	procd_bytes_copy(h->e_ident, p, PROCD_EI_NIDENT);
	h->e_type = le16(p + 16);
	h->e_machine = le16(p + 18);
	h->e_version = le32(p + 20);
	h->e_entry = le64(p + 24);
	h->e_phoff = le64(p + 32);
	h->e_shoff = le64(p + 40);
	h->e_flags = le32(p + 48);
	h->e_ehsize = le16(p + 52);
	h->e_phentsize = le16(p + 54);
	h->e_phnum = le16(p + 56);
	h->e_shentsize = le16(p + 58);
	h->e_shnum = le16(p + 60);
	h->e_shstrndx = le16(p + 62);
}

static void decode_phdr(const uint8_t *p, struct procd_elf64_phdr *h)
{
	h->p_type = le32(p);
	h->p_flags = le32(p + 4);
	h->p_offset = le64(p + 8);
	h->p_vaddr = le64(p + 16);
	h->p_paddr = le64(p + 24);
	h->p_filesz = le64(p + 32);
	h->p_memsz = le64(p + 40);
	h->p_align = le64(p + 48);
}

/* Whether [off, off + size) lies inside [0, len), without computing a sum
 * that could wrap. */
static int inside(uint64_t off, uint64_t size, uint64_t len)
{
	return size <= len && off <= len - size;
}

static uint64_t page_down(uint64_t a)
{
	return a & ~(uint64_t)(PROCD_ELF_PAGE - 1);
}

/* Only for addresses below PROCD_ELF_USER_TOP, where it cannot wrap. */
static uint64_t page_up(uint64_t a)
{
	return page_down(a + PROCD_ELF_PAGE - 1);
}

/* The identification bytes; a refusal here means "not an image of ours". */
static const char *check_ident(const uint8_t *id)
{
	if (!procd_bytes_eq(id, PROCD_ELFMAG, PROCD_SELFMAG))
		return "not an ELF file (bad magic)";
	if (id[PROCD_EI_CLASS] != PROCD_ELFCLASS64)
		return "not ELFCLASS64";
	if (id[PROCD_EI_DATA] != PROCD_ELFDATA2LSB)
		return "not little-endian (ELFDATA2LSB)";
	if (id[PROCD_EI_VERSION] != PROCD_EV_CURRENT)
		return "e_ident version is not EV_CURRENT";
	return 0;
}

static const char *check_header(const struct procd_elf64_ehdr *h, uint64_t len)
{
	if (h->e_version != PROCD_EV_CURRENT)
		return "e_version is not EV_CURRENT";
	if (h->e_type == PROCD_ET_DYN)
		return "ET_DYN (PIE or shared object): only static ET_EXEC images are loaded";
	if (h->e_type != PROCD_ET_EXEC)
		return "not an executable (e_type is not ET_EXEC)";
	if (h->e_machine != PROCD_EM_X86_64)
		return "not x86_64 (e_machine is not EM_X86_64)";
	if (h->e_ehsize != PROCD_ELF64_EHDR_SIZE)
		return "e_ehsize is not 64";
	if (h->e_phentsize != PROCD_ELF64_PHDR_SIZE)
		return "e_phentsize is not 56";
	if (h->e_phnum == 0)
		return "no program headers";
	if (h->e_phnum > PROCD_ELF_MAX_PHDRS)
		return "too many program headers";
	if (h->e_phoff % 8 != 0)
		return "program header table is not 8-byte aligned";
	if (h->e_phoff < PROCD_ELF64_EHDR_SIZE)
		return "program header table overlaps the ELF header";
	if (!inside(h->e_phoff, (uint64_t)h->e_phnum * PROCD_ELF64_PHDR_SIZE, len))
		return "program header table extends past the end of the image";
	return 0;
}

/* A segment that is not PT_LOAD: refused, or accepted and ignored. */
static const char *check_other_segment(const struct procd_elf64_phdr *p)
{
	switch (p->p_type) {
	case PROCD_PT_INTERP:
		return "PT_INTERP: the image wants a dynamic loader";
	case PROCD_PT_DYNAMIC:
		return "PT_DYNAMIC: the image needs dynamic linking or relocation";
	case PROCD_PT_TLS:
		return "PT_TLS: thread-local storage needs a loader-set thread pointer";
	case PROCD_PT_GNU_RELRO:
		return "PT_GNU_RELRO: procd does not re-protect data after relocation";
	case PROCD_PT_GNU_STACK:
		return (p->p_flags & PROCD_PF_X) ? "PT_GNU_STACK asks for an executable stack" : 0;
	case PROCD_PT_NULL:
	case PROCD_PT_NOTE:
	case PROCD_PT_PHDR:
	case PROCD_PT_GNU_PROPERTY:
	case PROCD_PT_GNU_EH_FRAME:
		return 0;
	default:
		return "unknown program header type";
	}
}

/* One PT_LOAD on its own; its place among the others is check_order's. */
static const char *check_load(const struct procd_elf64_phdr *p)
{
	const uint32_t rwx = PROCD_PF_R | PROCD_PF_W | PROCD_PF_X;

	if (p->p_flags & ~rwx)
		return "PT_LOAD flags other than PF_R, PF_W, PF_X";
	if (!(p->p_flags & PROCD_PF_R))
		return "PT_LOAD segment is not readable";
	if ((p->p_flags & PROCD_PF_W) && (p->p_flags & PROCD_PF_X))
		return "PT_LOAD segment is both writable and executable";
	if (p->p_memsz == 0)
		return "PT_LOAD segment is empty (p_memsz 0)";
	if (p->p_filesz > p->p_memsz)
		return "PT_LOAD p_filesz exceeds p_memsz";
	/* p_align 0 or 1 means "no constraint" to the gABI; to us it means a
	 * linker that did not lay the segment out for page mapping. */
	if (p->p_align < PROCD_ELF_PAGE || (p->p_align & (p->p_align - 1)) != 0)
		return "PT_LOAD p_align is not a power of two of at least 4096";
	if (((p->p_offset ^ p->p_vaddr) & (p->p_align - 1)) != 0)
		return "PT_LOAD p_offset and p_vaddr differ modulo p_align";
	if (p->p_vaddr < PROCD_ELF_PAGE)
		return "PT_LOAD segment in the zero page";
	if (p->p_vaddr >= PROCD_ELF_USER_TOP || p->p_memsz > PROCD_ELF_USER_TOP - p->p_vaddr)
		return "PT_LOAD segment extends past the user address space";
	return 0;
}

/* cur follows prev in the table: it must start on a later page. */
static const char *check_order(const struct procd_segment *prev, const struct procd_elf64_phdr *cur)
{
	uint64_t prev_end = prev->vaddr + prev->memsz; /* below USER_TOP: checked */

	if (cur->p_vaddr < prev->vaddr)
		return "PT_LOAD segments are not in ascending p_vaddr order";
	if (cur->p_vaddr < prev_end)
		return "PT_LOAD segments overlap";
	if (page_down(cur->p_vaddr) < page_up(prev_end))
		return "PT_LOAD segments share a page";
	return 0;
}

static const char *add_load(struct procd_elf_plan *plan, const struct procd_elf64_phdr *p)
{
	const char *why = check_load(p);
	struct procd_segment *s;

	if (why)
		return why;
	if (plan->nsegments == PROCD_ELF_MAX_SEGMENTS)
		return "more PT_LOAD segments than procd loads (8)";
	if (plan->nsegments > 0 && (why = check_order(&plan->seg[plan->nsegments - 1], p)))
		return why;
	s = &plan->seg[plan->nsegments++];
	s->offset = p->p_offset;
	s->vaddr = p->p_vaddr;
	s->filesz = p->p_filesz;
	s->memsz = p->p_memsz;
	s->flags = p->p_flags;
	return 0;
}

static const char *check_segments(const uint8_t *image, uint64_t len, const struct procd_elf64_ehdr *h,
				  struct procd_elf_plan *plan)
{
	for (uint32_t i = 0; i < h->e_phnum; i++) {
		struct procd_elf64_phdr p;
		const char *why;

		/* The table is inside the image (check_header), so is each entry. */
		decode_phdr(image + h->e_phoff + (uint64_t)i * PROCD_ELF64_PHDR_SIZE, &p);
		if (p.p_type != PROCD_PT_NULL && !inside(p.p_offset, p.p_filesz, len))
			return "segment file bytes extend past the end of the image";
		why = p.p_type == PROCD_PT_LOAD ? add_load(plan, &p) : check_other_segment(&p);
		if (why)
			return why;
	}
	if (plan->nsegments == 0)
		return "no PT_LOAD segment";
	return 0;
}

static const char *check_entry(const struct procd_elf_plan *plan, uint64_t entry)
{
	for (uint32_t i = 0; i < plan->nsegments; i++) {
		const struct procd_segment *s = &plan->seg[i];

		if ((s->flags & PROCD_PF_X) && entry >= s->vaddr && entry - s->vaddr < s->filesz)
			return 0;
	}
	return "entry point is not in an executable segment's file bytes";
}

/* The final segment holds the stack: data, never code, with room for it. */
static const char *check_final(const struct procd_segment *s, uint64_t stack_reserve)
{
	if (s->flags & PROCD_PF_X)
		return "final PT_LOAD segment is executable";
	if (!(s->flags & PROCD_PF_W))
		return "final PT_LOAD segment is not writable";
	if (s->memsz - s->filesz < stack_reserve)
		return "final PT_LOAD segment has less zero fill than the stack reserve";
	if ((s->vaddr + s->memsz) % 16 != 0)
		return "end of the final PT_LOAD segment (stack top) is not 16-byte aligned";
	return 0;
}

/* Each segment is below PROCD_ELF_USER_TOP (checked), so eight of them,
 * page-rounded, add up without overflow. */
static const char *check_memory(const struct procd_elf_plan *plan)
{
	uint64_t total = 0;

	for (uint32_t i = 0; i < plan->nsegments; i++) {
		const struct procd_segment *s = &plan->seg[i];
		uint64_t start = s->vaddr - s->vaddr % PROCD_ELF_PAGE;
		uint64_t end = s->vaddr + s->memsz + PROCD_ELF_PAGE - 1;

		total += end - end % PROCD_ELF_PAGE - start;
	}
	if (total > PROCD_IMAGE_MEMORY_MAX)
		return "PT_LOAD segments ask for more memory than PROCD_IMAGE_MEMORY_MAX "
		       "(configure --with-max-image-memory)";
	return 0;
}

static const char *check_image(const uint8_t *image, uint64_t len, uint64_t stack_reserve,
			       struct procd_elf_plan *plan)
{
	struct procd_elf64_ehdr h;
	const struct procd_segment *last;
	const char *why;

	if (len < PROCD_ELF64_EHDR_SIZE)
		return "shorter than an ELF64 header";
	if ((why = check_ident(image)))
		return why;
	decode_ehdr(image, &h);
	if ((why = check_header(&h, len)) || (why = check_segments(image, len, &h, plan)) ||
	    (why = check_entry(plan, h.e_entry)))
		return why;
	last = &plan->seg[plan->nsegments - 1];
	if ((why = check_final(last, stack_reserve)) || (why = check_memory(plan)))
		return why;
	plan->entry = h.e_entry;
	plan->vaddr_end = last->vaddr + last->memsz;
	plan->phdr_offset = h.e_phoff;
	plan->phdr_end = h.e_phoff + (uint64_t)h.e_phnum * PROCD_ELF64_PHDR_SIZE;
	return 0;
}

uint32_t procd_elf_check(const void *image, size_t len, uint64_t stack_reserve,
			 struct procd_elf_plan *plan, const char **why)
{
	const char *reason;

	if (!plan) {
		reason = "no plan to fill";
	} else {
		procd_bytes_zero(plan, sizeof *plan);
		reason = image ? check_image(image, len, stack_reserve, plan) : "no image";
		if (reason)
			procd_bytes_zero(plan, sizeof *plan);
	}
	if (why)
		*why = reason ? reason : "ok";
	return reason ? PROCD_E_INVALID : PROCD_OK;
}

static int segment_eq(const struct procd_segment *a, const struct procd_segment *b)
{
	/* Field by field: struct padding is not part of the comparison. */
	return a->offset == b->offset && a->vaddr == b->vaddr && a->filesz == b->filesz &&
	       a->memsz == b->memsz && a->flags == b->flags;
}

int procd_elf_plan_matches(const struct procd_elf_plan *plan, const struct procd_segment *segs, uint32_t n)
{
	/* A plan without segments is a refused image's: nothing matches it. */
	if (!plan || plan->nsegments == 0 || n != plan->nsegments || n > PROCD_ELF_MAX_SEGMENTS || !segs)
		return 0;
	for (uint32_t i = 0; i < n; i++)
		if (!segment_eq(&plan->seg[i], &segs[i]))
			return 0;
	return 1;
}
