/* SPDX-License-Identifier: ISC */
#include "tests/fuzz/elf-cases.h"

#include <string.h>

/* The default image: PH(0) text, PH(1) rodata, PH(2) data, PH(3) GNU_STACK. */
#define EH t->u.h.eh
#define PH(i) t->u.h.ph[i]
#define TEXT 0
#define RODATA 1
#define DATA 2
#define STACK 3
#define RWX (PROCD_PF_R | PROCD_PF_W | PROCD_PF_X)

/* One line each: the change the case makes. */
#define CASE(fn, body) \
	static void fn(struct test_elf *t) { body; }

/* ---- the ELF header ---- */
CASE(empty, t->len = 0)
CASE(short_header, t->len = PROCD_ELF64_EHDR_SIZE - 1)
CASE(bad_magic, EH.e_ident[1] = 'X')
CASE(class32, EH.e_ident[PROCD_EI_CLASS] = PROCD_ELFCLASS32)
CASE(big_endian, EH.e_ident[PROCD_EI_DATA] = PROCD_ELFDATA2MSB)
CASE(ident_version, EH.e_ident[PROCD_EI_VERSION] = 0)
CASE(e_version, EH.e_version = 2)
CASE(et_dyn, EH.e_type = PROCD_ET_DYN)
CASE(et_rel, EH.e_type = PROCD_ET_REL)
CASE(et_core, EH.e_type = PROCD_ET_CORE)
CASE(machine_386, EH.e_machine = PROCD_EM_386)
CASE(ehsize, EH.e_ehsize = 52)
CASE(phentsize, EH.e_phentsize = 32)
CASE(phnum_zero, EH.e_phnum = 0)
CASE(phnum_17, EH.e_phnum = PROCD_ELF_MAX_PHDRS + 1)
CASE(phnum_xnum, EH.e_phnum = 0xffff)
CASE(phoff_unaligned, EH.e_phoff += 4)
CASE(phoff_zero, EH.e_phoff = 0)
CASE(phoff_in_header, EH.e_phoff = 56)
CASE(phoff_past_end, EH.e_phoff = t->len - PROCD_ELF64_PHDR_SIZE)
CASE(phoff_wraps, EH.e_phoff = UINT64_MAX & ~(uint64_t)7)
CASE(table_truncated, t->len = PROCD_ELF64_EHDR_SIZE + 2 * PROCD_ELF64_PHDR_SIZE)

/* ---- program header types ---- */
CASE(interp, PH(STACK).p_type = PROCD_PT_INTERP)
CASE(dynamic, PH(STACK).p_type = PROCD_PT_DYNAMIC)
CASE(tls, PH(STACK).p_type = PROCD_PT_TLS)
CASE(relro, PH(STACK).p_type = PROCD_PT_GNU_RELRO)
CASE(shlib, PH(STACK).p_type = PROCD_PT_SHLIB)
CASE(os_specific, PH(STACK).p_type = 0x60000001u)
CASE(exec_stack, PH(STACK).p_flags = RWX)
CASE(note_past_end, PH(STACK).p_type = PROCD_PT_NOTE; PH(STACK).p_offset = t->len - 4; PH(STACK).p_filesz = 8)
CASE(note_wraps, PH(STACK).p_type = PROCD_PT_NOTE; PH(STACK).p_offset = UINT64_MAX; PH(STACK).p_filesz = 2)
CASE(interp_past_end, PH(STACK).p_type = PROCD_PT_INTERP; PH(STACK).p_filesz = t->len + 1)

/* ---- PT_LOAD segments ---- */
CASE(no_load, PH(TEXT).p_type = PH(RODATA).p_type = PH(DATA).p_type = PROCD_PT_NOTE)
CASE(nine_loads, test_elf_build(t, PROCD_ELF_MAX_SEGMENTS + 1, 0))
CASE(flags_os_bit, PH(RODATA).p_flags |= 0x00100000u)
CASE(not_readable, PH(TEXT).p_flags = PROCD_PF_X)
CASE(write_only, PH(DATA).p_flags = PROCD_PF_W)
CASE(wx_text, PH(TEXT).p_flags = RWX)
CASE(wx_data, PH(DATA).p_flags = RWX)
CASE(empty_load, PH(RODATA).p_filesz = PH(RODATA).p_memsz = 0)
CASE(filesz_gt_memsz, PH(RODATA).p_filesz = PH(RODATA).p_memsz + 1)
CASE(align_zero, PH(TEXT).p_align = 0)
CASE(align_one, PH(TEXT).p_align = 1)
CASE(align_512, PH(TEXT).p_align = 512)
CASE(align_not_pow2, PH(TEXT).p_align = 0x3000)
CASE(incongruent, PH(RODATA).p_vaddr += 8)
CASE(incongruent_2m, PH(RODATA).p_align = 0x200000)
CASE(zero_page, PH(TEXT).p_vaddr = PH(TEXT).p_offset; EH.e_entry = PH(TEXT).p_vaddr)
CASE(past_user_top, PH(DATA).p_vaddr = PROCD_ELF_USER_TOP - PROCD_ELF_PAGE + PH(DATA).p_offset % PROCD_ELF_PAGE)
CASE(kernel_half, PH(DATA).p_vaddr = 0xffff800000000000u + PH(DATA).p_offset)
CASE(memsz_wraps, PH(DATA).p_memsz = UINT64_MAX)
CASE(filesz_past_end, PH(DATA).p_filesz = t->len)
CASE(offset_wraps, PH(RODATA).p_offset = UINT64_MAX - 15)
CASE(unsorted, struct procd_elf64_phdr p = PH(TEXT); PH(TEXT) = PH(RODATA); PH(RODATA) = p)
CASE(overlap, PH(RODATA).p_offset = PH(TEXT).p_offset + 16; PH(RODATA).p_vaddr = PH(TEXT).p_vaddr + 16)
CASE(same_vaddr, PH(RODATA).p_offset = PH(TEXT).p_offset; PH(RODATA).p_vaddr = PH(TEXT).p_vaddr)
CASE(share_page, PH(RODATA).p_vaddr = TEST_ELF_BASE + PH(RODATA).p_offset)

/* ---- entry and stack ---- */
CASE(entry_zero, EH.e_entry = 0)
CASE(entry_unmapped, EH.e_entry = 0x300000)
CASE(entry_in_rodata, EH.e_entry = PH(RODATA).p_vaddr)
CASE(entry_in_data, EH.e_entry = PH(DATA).p_vaddr)
CASE(entry_in_zero_fill, PH(TEXT).p_memsz = 64; EH.e_entry = PH(TEXT).p_vaddr + 48)
CASE(entry_past_text, EH.e_entry = PH(TEXT).p_vaddr + PH(TEXT).p_filesz)
CASE(final_exec, PH(DATA).p_flags = PROCD_PF_R | PROCD_PF_X)
CASE(final_read_only, PH(DATA).p_flags = PROCD_PF_R)
CASE(final_is_rodata, PH(DATA).p_type = PROCD_PT_NULL)
CASE(reserve_short, PH(DATA).p_memsz -= 16)
CASE(no_reserve, PH(DATA).p_memsz = PH(DATA).p_filesz)
CASE(stack_top_unaligned, PH(DATA).p_memsz += 8)

/* ---- accepted: layouts real linkers produce ---- */
CASE(helper_layout, (void)t)
CASE(minimal, test_elf_build(t, 2, 0))
CASE(eight_loads, test_elf_build(t, PROCD_ELF_MAX_SEGMENTS, 0))
CASE(sixteen_phdrs, test_elf_build(t, 3, PROCD_ELF_MAX_PHDRS - 3))
CASE(note, PH(STACK).p_type = PROCD_PT_NOTE; PH(STACK).p_offset = PH(RODATA).p_offset; PH(STACK).p_filesz = 16)
CASE(phdr, PH(STACK).p_type = PROCD_PT_PHDR; PH(STACK).p_offset = EH.e_phoff; PH(STACK).p_filesz = 4 * 56)
CASE(gnu_property, PH(STACK).p_type = PROCD_PT_GNU_PROPERTY)
CASE(gnu_eh_frame, PH(STACK).p_type = PROCD_PT_GNU_EH_FRAME)
CASE(null_garbage, PH(STACK).p_type = PROCD_PT_NULL; PH(STACK).p_offset = UINT64_MAX; PH(STACK).p_filesz = 9)
CASE(osabi_gnu, EH.e_ident[PROCD_EI_OSABI] = 3)
CASE(section_garbage, EH.e_shoff = UINT64_MAX; EH.e_shnum = 0xffff; EH.e_shentsize = 1)
CASE(align_2m, PH(TEXT).p_align = 0x200000)
CASE(shared_file_bytes, PH(RODATA).p_offset = PH(TEXT).p_offset; PH(RODATA).p_vaddr = TEST_ELF_BASE + 0x1000 + PH(TEXT).p_offset)
CASE(entry_last_byte, EH.e_entry = PH(TEXT).p_vaddr + PH(TEXT).p_filesz - 1)
CASE(no_file_data, PH(DATA).p_filesz = 0; PH(DATA).p_offset = 0; PH(DATA).p_vaddr -= PH(DATA).p_vaddr % PROCD_ELF_PAGE)
CASE(bss_before_reserve, PH(DATA).p_memsz += 4096)
CASE(text_zero_fill, PH(TEXT).p_memsz = 64)
CASE(ends_at_user_top, PH(DATA).p_vaddr = PROCD_ELF_USER_TOP - 0x11000 + PH(DATA).p_offset;
     PH(DATA).p_memsz = PROCD_ELF_USER_TOP - PH(DATA).p_vaddr)
CASE(trailing_bytes, t->len += 100)
CASE(huge_zero_fill, PH(DATA).p_memsz = (uint64_t)1 << 46)
CASE(memory_just_over, PH(DATA).p_memsz = PROCD_IMAGE_MEMORY_MAX)
CASE(memory_at_limit, PH(DATA).p_memsz = PROCD_IMAGE_MEMORY_MAX - 3 * PROCD_ELF_PAGE -
			   (PH(DATA).p_vaddr % PROCD_ELF_PAGE))

#define R(area, fn, why, corpus) { TEST_ELF_##area, #fn, fn, why, corpus }

const struct test_elf_case test_elf_cases[] = {
	R(HEADER, empty, "shorter than an ELF64 header", 0),
	R(HEADER, short_header, "shorter than an ELF64 header", 1),
	R(HEADER, bad_magic, "not an ELF file (bad magic)", 1),
	R(HEADER, class32, "not ELFCLASS64", 1),
	R(HEADER, big_endian, "not little-endian (ELFDATA2LSB)", 0),
	R(HEADER, ident_version, "e_ident version is not EV_CURRENT", 0),
	R(HEADER, e_version, "e_version is not EV_CURRENT", 0),
	R(HEADER, et_dyn, "ET_DYN (PIE or shared object): only static ET_EXEC images are loaded", 1),
	R(HEADER, et_rel, "not an executable (e_type is not ET_EXEC)", 0),
	R(HEADER, et_core, "not an executable (e_type is not ET_EXEC)", 0),
	R(HEADER, machine_386, "not x86_64 (e_machine is not EM_X86_64)", 0),
	R(HEADER, ehsize, "e_ehsize is not 64", 0),
	R(HEADER, phentsize, "e_phentsize is not 56", 0),
	R(HEADER, phnum_zero, "no program headers", 0),
	R(HEADER, phnum_17, "too many program headers", 0),
	R(HEADER, phnum_xnum, "too many program headers", 0),
	R(HEADER, phoff_unaligned, "program header table is not 8-byte aligned", 0),
	R(HEADER, phoff_zero, "program header table overlaps the ELF header", 0),
	R(HEADER, phoff_in_header, "program header table overlaps the ELF header", 0),
	R(HEADER, phoff_past_end, "program header table extends past the end of the image", 0),
	R(HEADER, phoff_wraps, "program header table extends past the end of the image", 0),
	R(HEADER, table_truncated, "program header table extends past the end of the image", 1),

	R(PHDR_TYPES, interp, "PT_INTERP: the image wants a dynamic loader", 1),
	R(PHDR_TYPES, dynamic, "PT_DYNAMIC: the image needs dynamic linking or relocation", 0),
	R(PHDR_TYPES, tls, "PT_TLS: thread-local storage needs a loader-set thread pointer", 0),
	R(PHDR_TYPES, relro, "PT_GNU_RELRO: procd does not re-protect data after relocation", 0),
	R(PHDR_TYPES, shlib, "unknown program header type", 0),
	R(PHDR_TYPES, os_specific, "unknown program header type", 0),
	R(PHDR_TYPES, exec_stack, "PT_GNU_STACK asks for an executable stack", 0),
	R(PHDR_TYPES, note_past_end, "segment file bytes extend past the end of the image", 0),
	R(PHDR_TYPES, note_wraps, "segment file bytes extend past the end of the image", 0),
	R(PHDR_TYPES, interp_past_end, "segment file bytes extend past the end of the image", 0),

	R(LOADS, no_load, "no PT_LOAD segment", 0),
	R(LOADS, nine_loads, "more PT_LOAD segments than procd loads (8)", 0),
	R(LOADS, flags_os_bit, "PT_LOAD flags other than PF_R, PF_W, PF_X", 0),
	R(LOADS, not_readable, "PT_LOAD segment is not readable", 0),
	R(LOADS, write_only, "PT_LOAD segment is not readable", 0),
	R(LOADS, wx_text, "PT_LOAD segment is both writable and executable", 1),
	R(LOADS, wx_data, "PT_LOAD segment is both writable and executable", 0),
	R(LOADS, empty_load, "PT_LOAD segment is empty (p_memsz 0)", 0),
	R(LOADS, filesz_gt_memsz, "PT_LOAD p_filesz exceeds p_memsz", 0),
	R(LOADS, align_zero, "PT_LOAD p_align is not a power of two of at least 4096", 0),
	R(LOADS, align_one, "PT_LOAD p_align is not a power of two of at least 4096", 0),
	R(LOADS, align_512, "PT_LOAD p_align is not a power of two of at least 4096", 0),
	R(LOADS, align_not_pow2, "PT_LOAD p_align is not a power of two of at least 4096", 0),
	R(LOADS, incongruent, "PT_LOAD p_offset and p_vaddr differ modulo p_align", 0),
	R(LOADS, incongruent_2m, "PT_LOAD p_offset and p_vaddr differ modulo p_align", 0),
	R(LOADS, zero_page, "PT_LOAD segment in the zero page", 0),
	R(LOADS, past_user_top, "PT_LOAD segment extends past the user address space", 0),
	R(LOADS, kernel_half, "PT_LOAD segment extends past the user address space", 0),
	R(LOADS, memsz_wraps, "PT_LOAD segment extends past the user address space", 0),
	R(LOADS, filesz_past_end, "segment file bytes extend past the end of the image", 1),
	R(LOADS, offset_wraps, "segment file bytes extend past the end of the image", 0),
	R(LOADS, unsorted, "PT_LOAD segments are not in ascending p_vaddr order", 0),
	R(LOADS, overlap, "PT_LOAD segments overlap", 1),
	R(LOADS, same_vaddr, "PT_LOAD segments overlap", 0),
	R(LOADS, share_page, "PT_LOAD segments share a page", 0),
	R(LOADS, huge_zero_fill, "PT_LOAD segments ask for more memory than PROCD_IMAGE_MEMORY_MAX "
				 "(configure --with-max-image-memory)", 1),
	R(LOADS, memory_just_over, "PT_LOAD segments ask for more memory than PROCD_IMAGE_MEMORY_MAX "
				   "(configure --with-max-image-memory)", 0),

	R(ENTRY_STACK, entry_zero, "entry point is not in an executable segment's file bytes", 0),
	R(ENTRY_STACK, entry_unmapped, "entry point is not in an executable segment's file bytes", 1),
	R(ENTRY_STACK, entry_in_rodata, "entry point is not in an executable segment's file bytes", 0),
	R(ENTRY_STACK, entry_in_data, "entry point is not in an executable segment's file bytes", 0),
	R(ENTRY_STACK, entry_in_zero_fill, "entry point is not in an executable segment's file bytes", 0),
	R(ENTRY_STACK, entry_past_text, "entry point is not in an executable segment's file bytes", 0),
	R(ENTRY_STACK, final_exec, "final PT_LOAD segment is executable", 0),
	R(ENTRY_STACK, final_read_only, "final PT_LOAD segment is not writable", 0),
	R(ENTRY_STACK, final_is_rodata, "final PT_LOAD segment is not writable", 0),
	R(ENTRY_STACK, reserve_short, "final PT_LOAD segment has less zero fill than the stack reserve", 0),
	R(ENTRY_STACK, no_reserve, "final PT_LOAD segment has less zero fill than the stack reserve", 1),
	R(ENTRY_STACK, stack_top_unaligned,
	  "end of the final PT_LOAD segment (stack top) is not 16-byte aligned", 0),

	R(ACCEPTED, helper_layout, "ok", 1),
	R(ACCEPTED, memory_at_limit, "ok", 0),
	R(ACCEPTED, minimal, "ok", 1),
	R(ACCEPTED, eight_loads, "ok", 0),
	R(ACCEPTED, sixteen_phdrs, "ok", 0),
	R(ACCEPTED, note, "ok", 0),
	R(ACCEPTED, phdr, "ok", 0),
	R(ACCEPTED, gnu_property, "ok", 0),
	R(ACCEPTED, gnu_eh_frame, "ok", 0),
	R(ACCEPTED, null_garbage, "ok", 0),
	R(ACCEPTED, osabi_gnu, "ok", 0),
	R(ACCEPTED, section_garbage, "ok", 0),
	R(ACCEPTED, align_2m, "ok", 0),
	R(ACCEPTED, shared_file_bytes, "ok", 0),
	R(ACCEPTED, entry_last_byte, "ok", 0),
	R(ACCEPTED, no_file_data, "ok", 0),
	R(ACCEPTED, bss_before_reserve, "ok", 0),
	R(ACCEPTED, text_zero_fill, "ok", 0),
	R(ACCEPTED, ends_at_user_top, "ok", 0),
	R(ACCEPTED, trailing_bytes, "ok", 0),
};

const size_t test_elf_ncases = sizeof test_elf_cases / sizeof test_elf_cases[0];

void test_elf_case_image(const struct test_elf_case *c, struct test_elf *t)
{
	test_elf_build_default(t);
	c->mutate(t);
}

const struct test_elf_case *test_elf_case_find(const char *name)
{
	for (size_t i = 0; i < test_elf_ncases; i++)
		if (strcmp(test_elf_cases[i].name, name) == 0)
			return &test_elf_cases[i];
	return NULL;
}
