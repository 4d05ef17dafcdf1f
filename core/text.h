/* SPDX-License-Identifier: ISC */
/*
 * Freestanding text helpers: bounded string compares and a small message
 * builder. core/ has no libc, and its messages (startup refusals, the
 * lifecycle log) are built here and handed to the port as whole lines.
 */
#ifndef PROCD_CORE_TEXT_H
#define PROCD_CORE_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Length of s, at most max: a field that fills its array has no NUL. */
size_t procd_strnlen(const char *s, size_t max);
/* Whether the fixed field a (of size max) holds exactly the string b. */
int procd_field_eq(const char *a, size_t max, const char *b, size_t blen);
int procd_bytes_eq(const void *a, const void *b, size_t n);
void procd_bytes_copy(void *dst, const void *src, size_t n);
void procd_bytes_zero(void *dst, size_t n);

/* A message under construction; appends past the end are cut, never overrun. */
struct procd_text {
	char *buf;
	size_t cap; /* including the terminating NUL */
	size_t len;
};

void procd_text_init(struct procd_text *t, char *buf, size_t cap);
void procd_text_str(struct procd_text *t, const char *s);
/* Appends a fixed field, stopping at its NUL or at max bytes. */
void procd_text_field(struct procd_text *t, const char *s, size_t max);
void procd_text_u32(struct procd_text *t, uint32_t v);
void procd_text_hex(struct procd_text *t, uint32_t v); /* 0x-prefixed */

#endif
