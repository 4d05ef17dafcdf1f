/* SPDX-License-Identifier: ISC */
/*
 * A bounded reader of ELF64 little-endian section headers, private to
 * tools/. procd-policy finds the registries by section name (through the
 * section header string table), never by symbol, so the same reader serves
 * the hosted PIE and the freestanding static image alike.
 *
 * The file is untrusted: every offset and size is checked against the bytes
 * actually read, with arithmetic that cannot overflow, before it is used.
 */
#ifndef PROCD_TOOLS_ELF_SECTIONS_H
#define PROCD_TOOLS_ELF_SECTIONS_H

#include <stddef.h>
#include <stdint.h>

/* Larger files are refused rather than read: procd is a few hundred KiB. */
#define ELF_FILE_MAX ((size_t)256 << 20)

#define ELF_SHT_NOBITS 8u

/* A one-line reason, without the file name (the caller prefixes it). */
struct elf_error {
	char msg[256];
};

void elf_error_set(struct elf_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A little-endian 32-bit value at any alignment. */
uint32_t elf_le32(const unsigned char *p);

struct elf_file {
	unsigned char *owned;      /* the bytes, when elf_load read them */
	const unsigned char *data;
	size_t size;
	uint64_t shoff;            /* section header table, validated */
	size_t shnum;
	uint64_t strtab_off;       /* section name string table, validated */
	uint64_t strtab_size;
};

struct elf_section {
	const char *name;          /* NUL-terminated inside the string table */
	uint32_t type;             /* SHT_* */
	uint64_t offset;
	uint64_t size;
};

/* The whole file at path (at most ELF_FILE_MAX bytes) in a buffer the
 * caller frees: for readers that look at a file before deciding what it is. */
int elf_read_file(const char *path, unsigned char **buf, size_t *len, struct elf_error *err);
/* Reads and validates the file at path. On failure ef is left empty. */
int elf_load(struct elf_file *ef, const char *path, struct elf_error *err);
/* Validates size bytes at data, which must outlive ef (they are not copied). */
int elf_parse(struct elf_file *ef, const void *data, size_t size, struct elf_error *err);
/* Releases what elf_load/elf_parse hold; safe on an empty or failed ef. */
void elf_close(struct elf_file *ef);

/* 1 and *sec when exactly one section has this name, 0 when none does,
 * -1 (with err) when several do: a reader could not know which one counts. */
int elf_find_section(const struct elf_file *ef, const char *name, struct elf_section *sec,
		     struct elf_error *err);
/* The section's bytes in the file; an error for SHT_NOBITS, which has none. */
int elf_section_bytes(const struct elf_file *ef, const struct elf_section *sec,
		      const unsigned char **bytes, struct elf_error *err);

#endif
