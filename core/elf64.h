/* SPDX-License-Identifier: ISC */
/*
 * ELF64 types and constants, our own. core/ is freestanding, so it cannot
 * rely on the host's <elf.h> (and must not: the validator's idea of an ELF
 * file may not change with whatever libc a build machine has). Only what
 * procd's loader reads is here; values are those of the System V gABI and
 * the x86_64 psABI.
 *
 * The structs describe the on-disk layout (little-endian, naturally aligned,
 * no padding). The validator never casts image bytes to them: transferred
 * bytes have no alignment guarantee, so it decodes fields byte by byte into
 * these structs (core/elf_check.c). Tests build images with them.
 */
#ifndef PROCD_CORE_ELF64_H
#define PROCD_CORE_ELF64_H

#include <stddef.h>
#include <stdint.h>

/* e_ident[] */
#define PROCD_EI_NIDENT      16
#define PROCD_EI_MAG0         0
#define PROCD_EI_CLASS        4
#define PROCD_EI_DATA         5
#define PROCD_EI_VERSION      6
#define PROCD_EI_OSABI        7
#define PROCD_ELFMAG         "\177ELF"
#define PROCD_SELFMAG         4
#define PROCD_ELFCLASS32      1
#define PROCD_ELFCLASS64      2
#define PROCD_ELFDATA2LSB     1
#define PROCD_ELFDATA2MSB     2
#define PROCD_EV_CURRENT      1

/* e_type */
#define PROCD_ET_NONE         0
#define PROCD_ET_REL          1
#define PROCD_ET_EXEC         2
#define PROCD_ET_DYN          3
#define PROCD_ET_CORE         4

/* e_machine */
#define PROCD_EM_386          3
#define PROCD_EM_X86_64      62

/* p_type */
#define PROCD_PT_NULL         0u
#define PROCD_PT_LOAD         1u
#define PROCD_PT_DYNAMIC      2u
#define PROCD_PT_INTERP       3u
#define PROCD_PT_NOTE         4u
#define PROCD_PT_SHLIB        5u
#define PROCD_PT_PHDR         6u
#define PROCD_PT_TLS          7u
#define PROCD_PT_GNU_EH_FRAME 0x6474e550u
#define PROCD_PT_GNU_STACK    0x6474e551u
#define PROCD_PT_GNU_RELRO    0x6474e552u
#define PROCD_PT_GNU_PROPERTY 0x6474e553u

/* p_flags */
#define PROCD_PF_X            0x1u
#define PROCD_PF_W            0x2u
#define PROCD_PF_R            0x4u

struct procd_elf64_ehdr {
	uint8_t e_ident[PROCD_EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct procd_elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

/* The sizes the gABI fixes; e_ehsize and e_phentsize must say exactly these. */
#define PROCD_ELF64_EHDR_SIZE 64u
#define PROCD_ELF64_PHDR_SIZE 56u

_Static_assert(sizeof(struct procd_elf64_ehdr) == PROCD_ELF64_EHDR_SIZE, "Elf64_Ehdr is 64 bytes");
_Static_assert(sizeof(struct procd_elf64_phdr) == PROCD_ELF64_PHDR_SIZE, "Elf64_Phdr is 56 bytes");
_Static_assert(offsetof(struct procd_elf64_ehdr, e_phnum) == 56, "e_phnum at byte 56");
_Static_assert(offsetof(struct procd_elf64_phdr, p_align) == 48, "p_align at byte 48");

#endif
