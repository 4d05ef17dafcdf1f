/* SPDX-License-Identifier: ISC */
/*
 * The record reader's values: a line split into tokens, names unescaped,
 * numbers, enumerations and flag bits read strictly, each refused with
 * its line (tools/lock_parser.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lock_parser.h"
#include "tools/policy_lock.h"

int lock_fail(struct parser *ps, const char *fmt, ...)
{
	char msg[sizeof ps->err->msg];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	elf_error_set(ps->err, "line %zu: %s", ps->line, msg);
	return -1;
}

/* Grows *v (of *cap elements of size esize) to hold one more than n. The
 * file size bounds n; the cap only keeps the arithmetic far from overflow. */
int lock_grow(struct parser *ps, void **v, size_t *cap, size_t n, size_t esize)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return 0;
	if (n >= LOCK_FILE_MAX)
		return lock_fail(ps, "too many entries");
	ncap = *cap ? *cap * 2 : 32;
	nv = realloc(*v, ncap * esize);
	if (!nv)
		return lock_fail(ps, "out of memory");
	*v = nv;
	*cap = ncap;
	return 0;
}

/*
 * A token's string: \xNN escapes decoded, "" as the empty string. Refuses
 * anything the writer would have escaped, so one string has one spelling.
 */
int lock_unescape(struct parser *ps, const char *tok, char *out, size_t max, const char *what)
{
	size_t n = 0;

	if (strcmp(tok, "\"\"") == 0) {
		out[0] = '\0';
		return 0;
	}
	for (const char *p = tok; *p; p++) {
		unsigned v = (unsigned char)*p;

		if (*p == '"')
			return lock_fail(ps, "%s '%s': '\"' is written as \\x22", what, tok);
		if (*p == '\\') {
			static const char hex[] = "0123456789abcdef";
			const char *hi = p[1] == 'x' && p[2] ? strchr(hex, p[2]) : NULL;
			const char *lo = hi && p[3] ? strchr(hex, p[3]) : NULL;

			if (!lo)
				return lock_fail(ps, "%s '%s': a '\\' starts an escape \\xNN"
						 " (two lower-case hex digits)", what, tok);
			v = (unsigned)((hi - hex) << 4 | (lo - hex));
			if (v == 0)
				return lock_fail(ps, "%s '%s': \\x00 cannot be part of a name", what, tok);
			if (v > 0x20 && v < 0x7f && v != '\\' && v != '"')
				return lock_fail(ps, "%s '%s': '%c' is written as itself, not escaped",
						 what, tok, (char)v);
			p += 3;
		}
		if (n == max)
			return lock_fail(ps, "%s '%s' is longer than %zu bytes", what, tok, max);
		out[n++] = (char)v;
	}
	out[n] = '\0';
	return 0;
}

/* Decimal, or hexadecimal with 0x: no sign, no blanks, at most 32 bits. */
static int parse_u32(const char *s, uint32_t *v)
{
	int hex = s[0] == '0' && s[1] == 'x';
	const char *digits = hex ? s + 2 : s;
	uint64_t acc = 0;

	if (*digits == '\0')
		return -1;
	for (const char *p = digits; *p; p++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (hex && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (hex && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			return -1;
		acc = acc * (hex ? 16 : 10) + d;
		if (acc > UINT32_MAX)
			return -1;
	}
	*v = (uint32_t)acc;
	return 0;
}

int lock_number(struct parser *ps, const char *tok, const char *what, uint32_t *v)
{
	if (parse_u32(tok, v) != 0)
		return lock_fail(ps, "%s '%s' is not a number (decimal, or hexadecimal with 0x)", what, tok);
	return 0;
}

/* A list entry: an id procd reads up to the first 0 cannot be 0. */
int lock_list_id(struct parser *ps, const char *tok, const char *what, uint32_t *v)
{
	if (lock_number(ps, tok, what, v) != 0)
		return -1;
	if (*v == 0)
		return lock_fail(ps, "%s 0 cannot be listed (a 0 ends the descriptor's list)", what);
	return 0;
}

/* An enumeration: its name, or a number for a value without one (0-255:
 * the descriptor field is a byte). */
int lock_enumeration(struct parser *ps, const char *tok, const char *what,
		       const char *(*namer)(uint32_t), uint32_t *v)
{
	if (tok[0] >= '0' && tok[0] <= '9') {
		if (parse_u32(tok, v) != 0 || *v > 255)
			return lock_fail(ps, "%s '%s' is not a name or a number from 0 to 255", what, tok);
		return 0;
	}
	if (model_value_of(namer, 256, tok, v) == 0)
		return 0;
	return lock_fail(ps, "unknown %s '%s'", what, tok);
}

/* One flag or endpoint bit: its name, or a single bit in hex. */
int lock_bit(struct parser *ps, const char *tok, const char *what,
	       const char *(*namer)(uint32_t), uint32_t *set)
{
	uint32_t v = 0;

	for (unsigned b = 0; b < 32 && v == 0; b++) {
		const char *n = namer((uint32_t)1 << b);

		if (n && strcmp(n, tok) == 0)
			v = (uint32_t)1 << b;
	}
	if (v == 0 && (strncmp(tok, "0x", 2) != 0 || parse_u32(tok, &v) != 0 || v == 0 ||
		       (v & (v - 1)) != 0))
		return lock_fail(ps, "unknown %s '%s' (a name, or one bit in hexadecimal)", what, tok);
	if (*set & v)
		return lock_fail(ps, "%s '%s' is listed twice", what, tok);
	*set |= v;
	return 0;
}

/* Splits a line in place at blanks. */
int lock_tokenize(struct parser *ps, char *s, struct tokens *tk)
{
	tk->n = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			return 0;
		if (tk->n == MAX_TOKENS)
			return lock_fail(ps, "too many fields");
		tk->t[tk->n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = '\0';
	}
}
