/* SPDX-License-Identifier: ISC */
/*
 * ELF64 little-endian section headers, decoded byte by byte: the file may be
 * for any host and its headers need not be aligned in our buffer, so no
 * on-disk struct is ever overlaid on the bytes.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tools/elf_sections.h"

#define EHDR_SIZE      64u
#define SHDR_SIZE      64u

#define EI_CLASS       4
#define EI_DATA        5
#define EI_VERSION     6
#define ELFCLASS32     1u
#define ELFCLASS64     2u
#define ELFDATA2LSB    1u
#define ELFDATA2MSB    2u
#define EV_CURRENT     1u

#define SHN_UNDEF      0u
#define SHN_XINDEX     0xffffu

#define SHT_NULL       0u
#define SHT_STRTAB     3u

/* The header fields this reader needs. */
struct ehdr {
	uint32_t version;
	uint64_t shoff;
	uint16_t shentsize;
	uint16_t shnum;
	uint16_t shstrndx;
};

struct shdr {
	uint32_t name;
	uint32_t type;
	uint64_t offset;
	uint64_t size;
	uint32_t link;
};

void elf_error_set(struct elf_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

uint32_t elf_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)elf_le32(p) | (uint64_t)elf_le32(p + 4) << 32;
}

/* Whether [off, off + len) lies inside a file of size bytes, without overflow. */
static int in_file(uint64_t off, uint64_t len, size_t size)
{
	return off <= size && len <= (uint64_t)size - off;
}

static void decode_shdr(const unsigned char *p, struct shdr *sh)
{
	sh->name = elf_le32(p + 0);
	sh->type = elf_le32(p + 4);
	sh->offset = le64(p + 24);
	sh->size = le64(p + 32);
	sh->link = elf_le32(p + 40);
}

static int check_ident(const unsigned char *d, size_t size, struct elf_error *err)
{
	if (size == 0) {
		elf_error_set(err, "empty file");
		return -1;
	}
	if (size < 4 || memcmp(d, "\177ELF", 4) != 0) {
		elf_error_set(err, "not an ELF file (bad magic)");
		return -1;
	}
	if (size < EHDR_SIZE) {
		elf_error_set(err, "truncated ELF header (%zu bytes, an ELF64 header is %u)", size,
			      EHDR_SIZE);
		return -1;
	}
	if (d[EI_CLASS] != ELFCLASS64) {
		elf_error_set(err, "not a 64-bit ELF file (class %u%s)", d[EI_CLASS],
			      d[EI_CLASS] == ELFCLASS32 ? ", ELF32" : "");
		return -1;
	}
	if (d[EI_DATA] != ELFDATA2LSB) {
		elf_error_set(err, "not a little-endian ELF file (data encoding %u%s)", d[EI_DATA],
			      d[EI_DATA] == ELFDATA2MSB ? ", big-endian" : "");
		return -1;
	}
	if (d[EI_VERSION] != EV_CURRENT) {
		elf_error_set(err, "unknown ELF identification version %u", d[EI_VERSION]);
		return -1;
	}
	return 0;
}

static int read_ehdr(const unsigned char *d, size_t size, struct ehdr *eh, struct elf_error *err)
{
	if (check_ident(d, size, err) != 0)
		return -1;
	eh->version = elf_le32(d + 20);
	eh->shoff = le64(d + 40);
	eh->shentsize = le16(d + 58);
	eh->shnum = le16(d + 60);
	eh->shstrndx = le16(d + 62);
	if (eh->version != EV_CURRENT) {
		elf_error_set(err, "unknown ELF version %" PRIu32, eh->version);
		return -1;
	}
	if (eh->shoff == 0) {
		elf_error_set(err, "no section header table (were the section headers stripped?)");
		return -1;
	}
	if (eh->shentsize != SHDR_SIZE) {
		elf_error_set(err, "section header entry size is %u, not %u", eh->shentsize, SHDR_SIZE);
		return -1;
	}
	return 0;
}

/*
 * The real section count and string table index. Past 0xff00 sections ELF
 * moves them into section 0 (e_shnum = 0, e_shstrndx = SHN_XINDEX); linkers
 * do that for huge objects, so it is supported rather than refused.
 */
static int section_counts(const struct ehdr *eh, const unsigned char *d, size_t size,
			  uint64_t *shnum, uint32_t *shstrndx, struct elf_error *err)
{
	struct shdr sh0;

	*shnum = eh->shnum;
	*shstrndx = eh->shstrndx;
	if (eh->shnum != 0 && eh->shstrndx != SHN_XINDEX)
		return 0;
	if (!in_file(eh->shoff, SHDR_SIZE, size)) {
		elf_error_set(err, "section header table lies outside the file (offset %" PRIu64
			      ", size %u, file size %zu)", eh->shoff, SHDR_SIZE, size);
		return -1;
	}
	decode_shdr(d + eh->shoff, &sh0);
	if (eh->shnum == 0)
		*shnum = sh0.size;
	if (eh->shstrndx == SHN_XINDEX)
		*shstrndx = sh0.link;
	if (*shnum == 0) {
		elf_error_set(err, "the section header table is empty");
		return -1;
	}
	return 0;
}

static int check_table(uint64_t shoff, uint64_t shnum, size_t size, struct elf_error *err)
{
	if (shnum > UINT64_MAX / SHDR_SIZE) {
		elf_error_set(err, "section header table size overflows (%" PRIu64
			      " entries of %u bytes)", shnum, SHDR_SIZE);
		return -1;
	}
	if (!in_file(shoff, shnum * SHDR_SIZE, size)) {
		elf_error_set(err, "section header table lies outside the file (offset %" PRIu64
			      ", size %" PRIu64 ", file size %zu)", shoff, shnum * SHDR_SIZE, size);
		return -1;
	}
	return 0;
}

static void shdr_at(const struct elf_file *ef, size_t i, struct shdr *sh)
{
	decode_shdr(ef->data + ef->shoff + (uint64_t)i * SHDR_SIZE, sh);
}

static int check_strtab(struct elf_file *ef, uint32_t shstrndx, struct elf_error *err)
{
	struct shdr sh;

	if (shstrndx == SHN_UNDEF) {
		elf_error_set(err, "no section name string table (e_shstrndx is 0)");
		return -1;
	}
	if (shstrndx >= ef->shnum) {
		elf_error_set(err, "section name string table index %" PRIu32
			      " is out of range (%zu sections)", shstrndx, ef->shnum);
		return -1;
	}
	shdr_at(ef, shstrndx, &sh);
	if (sh.type != SHT_STRTAB) {
		elf_error_set(err, "section name string table (section %" PRIu32
			      ") has type %" PRIu32 ", not SHT_STRTAB", shstrndx, sh.type);
		return -1;
	}
	if (!in_file(sh.offset, sh.size, ef->size)) {
		elf_error_set(err, "section name string table lies outside the file (offset %"
			      PRIu64 ", size %" PRIu64 ", file size %zu)", sh.offset, sh.size, ef->size);
		return -1;
	}
	ef->strtab_off = sh.offset;
	ef->strtab_size = sh.size;
	return 0;
}

static int check_section(const struct elf_file *ef, size_t i, struct elf_error *err)
{
	const unsigned char *names = ef->data + ef->strtab_off;
	struct shdr sh;

	shdr_at(ef, i, &sh);
	if (sh.name >= ef->strtab_size) {
		elf_error_set(err, "section %zu: name offset %" PRIu32
			      " lies outside the section name string table (size %" PRIu64 ")",
			      i, sh.name, ef->strtab_size);
		return -1;
	}
	if (!memchr(names + sh.name, '\0', (size_t)(ef->strtab_size - sh.name))) {
		elf_error_set(err, "section %zu: name at offset %" PRIu32
			      " is not NUL-terminated inside the section name string table", i, sh.name);
		return -1;
	}
	if (sh.type == SHT_NULL || sh.type == ELF_SHT_NOBITS)
		return 0;
	if (!in_file(sh.offset, sh.size, ef->size)) {
		elf_error_set(err, "section %zu ('%s'): data lies outside the file (offset %" PRIu64
			      ", size %" PRIu64 ", file size %zu)", i, (const char *)names + sh.name,
			      sh.offset, sh.size, ef->size);
		return -1;
	}
	return 0;
}

int elf_parse(struct elf_file *ef, const void *data, size_t size, struct elf_error *err)
{
	struct ehdr eh;
	uint64_t shnum;
	uint32_t shstrndx;

	memset(ef, 0, sizeof *ef);
	ef->data = data;
	ef->size = size;
	if (read_ehdr(ef->data, size, &eh, err) != 0 ||
	    section_counts(&eh, ef->data, size, &shnum, &shstrndx, err) != 0 ||
	    check_table(eh.shoff, shnum, size, err) != 0)
		goto fail;
	ef->shoff = eh.shoff;
	ef->shnum = (size_t)shnum; /* fits: the table lies inside the buffer */
	if (check_strtab(ef, shstrndx, err) != 0)
		goto fail;
	for (size_t i = 0; i < ef->shnum; i++)
		if (check_section(ef, i, err) != 0)
			goto fail;
	return 0;
fail:
	memset(ef, 0, sizeof *ef);
	return -1;
}

/* The whole file, up to ELF_FILE_MAX bytes; reading one byte more proves it too large. */
static int read_all(int fd, unsigned char **out, size_t *outlen, struct elf_error *err)
{
	struct stat st;
	size_t cap = 64 * 1024, len = 0;
	unsigned char *buf;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
	    (uintmax_t)st.st_size <= ELF_FILE_MAX)
		cap = (size_t)st.st_size + 1; /* + 1: EOF is seen without a regrow */
	buf = malloc(cap);
	if (!buf) {
		elf_error_set(err, "out of memory");
		return -1;
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			size_t ncap = cap > ELF_FILE_MAX / 2 ? ELF_FILE_MAX + 1 : cap * 2;
			unsigned char *nbuf;

			if (cap > ELF_FILE_MAX) {
				elf_error_set(err, "file is larger than %zu MiB", ELF_FILE_MAX >> 20);
				goto fail;
			}
			nbuf = realloc(buf, ncap);
			if (!nbuf) {
				elf_error_set(err, "out of memory");
				goto fail;
			}
			buf = nbuf;
			cap = ncap;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			elf_error_set(err, "cannot read: %s", strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*out = buf;
	*outlen = len;
	return 0;
fail:
	free(buf);
	return -1;
}

int elf_read_file(const char *path, unsigned char **buf, size_t *len, struct elf_error *err)
{
	int fd, rc;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		elf_error_set(err, "cannot open: %s", strerror(errno));
		return -1;
	}
	rc = read_all(fd, buf, len, err);
	close(fd);
	return rc;
}

int elf_load(struct elf_file *ef, const char *path, struct elf_error *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;

	memset(ef, 0, sizeof *ef);
	if (elf_read_file(path, &buf, &len, err) != 0)
		return -1;
	if (elf_parse(ef, buf, len, err) != 0) {
		free(buf);
		return -1;
	}
	ef->owned = buf;
	return 0;
}

void elf_close(struct elf_file *ef)
{
	free(ef->owned);
	memset(ef, 0, sizeof *ef);
}

static void section_at(const struct elf_file *ef, size_t i, struct elf_section *sec)
{
	struct shdr sh;

	shdr_at(ef, i, &sh);
	sec->name = (const char *)ef->data + ef->strtab_off + sh.name;
	sec->type = sh.type;
	sec->offset = sh.offset;
	sec->size = sh.size;
}

int elf_find_section(const struct elf_file *ef, const char *name, struct elf_section *sec,
		     struct elf_error *err)
{
	struct elf_section cur;
	int found = 0;

	for (size_t i = 0; i < ef->shnum; i++) {
		section_at(ef, i, &cur);
		if (strcmp(cur.name, name) != 0)
			continue;
		if (found) {
			elf_error_set(err, "more than one section is named '%s'", name);
			return -1;
		}
		*sec = cur;
		found = 1;
	}
	return found;
}

int elf_section_bytes(const struct elf_file *ef, const struct elf_section *sec,
		      const unsigned char **bytes, struct elf_error *err)
{
	if (sec->type == ELF_SHT_NOBITS) {
		elf_error_set(err, "section '%s' has no data in the file (SHT_NOBITS)", sec->name);
		return -1;
	}
	/* elf_parse checked this already; checked again so that no caller's
	 * read can ever depend on that having happened. */
	if (!in_file(sec->offset, sec->size, ef->size)) {
		elf_error_set(err, "section '%s': data lies outside the file", sec->name);
		return -1;
	}
	*bytes = ef->data + sec->offset;
	return 0;
}
