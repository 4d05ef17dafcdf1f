/* SPDX-License-Identifier: ISC */
#include "core/text.h"

size_t procd_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

int procd_field_eq(const char *a, size_t max, const char *b, size_t blen)
{
	return procd_strnlen(a, max) == blen && procd_bytes_eq(a, b, blen);
}

int procd_bytes_eq(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

void procd_bytes_copy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	for (size_t i = 0; i < n; i++)
		d[i] = s[i];
}

void procd_bytes_zero(void *dst, size_t n)
{
	unsigned char *d = dst;

	for (size_t i = 0; i < n; i++)
		d[i] = 0;
}

void procd_text_init(struct procd_text *t, char *buf, size_t cap)
{
	t->buf = buf;
	t->cap = cap;
	t->len = 0;
	if (cap > 0)
		buf[0] = '\0';
}

static void text_put(struct procd_text *t, char c)
{
	if (t->cap == 0 || t->len + 1 >= t->cap)
		return;
	t->buf[t->len++] = c;
	t->buf[t->len] = '\0';
}

void procd_text_str(struct procd_text *t, const char *s)
{
	while (*s != '\0')
		text_put(t, *s++);
}

void procd_text_field(struct procd_text *t, const char *s, size_t max)
{
	size_t n = procd_strnlen(s, max);

	for (size_t i = 0; i < n; i++)
		text_put(t, s[i]);
}

void procd_text_u32(struct procd_text *t, uint32_t v)
{
	char digits[10];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10u);
		v /= 10u;
	} while (v != 0);
	while (n > 0)
		text_put(t, digits[--n]);
}

void procd_text_hex(struct procd_text *t, uint32_t v)
{
	static const char hex[] = "0123456789abcdef";
	int shift = 28;

	procd_text_str(t, "0x");
	while (shift > 0 && ((v >> shift) & 0xfu) == 0)
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		text_put(t, hex[(v >> shift) & 0xfu]);
}
