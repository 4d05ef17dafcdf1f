/* SPDX-License-Identifier: ISC */
/*
 * Memory and formatting helpers.
 *
 * memcpy and memset carry their standard names because the compiler emits
 * calls to them by itself (struct copies, zero initializers) even in
 * freestanding code. They are single string instructions: a C loop here
 * could be recognised by the optimizer as "a memset" and compiled into a
 * call to memset, that is, to itself. `used` keeps them through LTO, where
 * the calls that need them only appear after optimisation.
 */
#include <stdarg.h>

#include "helpers/rt/rt.h"

__attribute__((used)) void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

__attribute__((used)) void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

/* A bounded output: characters past cap are dropped. */
struct line {
	char *buf;
	size_t cap;
	size_t len;
};

static void put_char(struct line *l, char c)
{
	if (l->len < l->cap)
		l->buf[l->len++] = c;
}

static void put_str(struct line *l, const char *s)
{
	if (s == NULL)
		s = "(null)";
	while (*s != '\0')
		put_char(l, *s++);
}

static void put_unsigned(struct line *l, unsigned long v, unsigned base)
{
	char digits[24];
	size_t n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	while (n > 0)
		put_char(l, digits[--n]);
}

static void format(struct line *l, const char *fmt, va_list ap)
{
	for (const char *f = fmt; *f != '\0'; f++) {
		if (*f != '%' || f[1] == '\0') {
			put_char(l, *f);
			continue;
		}
		switch (*++f) {
		case 's':
			put_str(l, va_arg(ap, const char *));
			break;
		case 'd': {
			int v = va_arg(ap, int);

			if (v < 0)
				put_char(l, '-');
			put_unsigned(l, v < 0 ? 0u - (unsigned)v : (unsigned)v, 10);
			break;
		}
		case 'u':
			put_unsigned(l, va_arg(ap, unsigned), 10);
			break;
		case 'x':
			put_unsigned(l, va_arg(ap, unsigned), 16);
			break;
		default: /* "%%", and anything unknown printed as written */
			if (*f != '%')
				put_char(l, '%');
			put_char(l, *f);
			break;
		}
	}
}

void rt_say(const char *fmt, ...)
{
	char buf[256];
	struct line l = { .buf = buf, .cap = sizeof buf, .len = 0 };
	va_list ap;

	va_start(ap, fmt);
	format(&l, fmt, ap);
	va_end(ap);
	/* A cut line still ends the line. */
	if (l.len == l.cap)
		l.buf[l.len - 1] = '\n';
	rt_write(2, l.buf, l.len);
}

size_t rt_format(char *buf, size_t cap, const char *fmt, ...)
{
	/* One byte kept back for the NUL. */
	struct line l = { .buf = buf, .cap = cap - 1, .len = 0 };
	va_list ap;

	va_start(ap, fmt);
	format(&l, fmt, ap);
	va_end(ap);
	buf[l.len] = '\0';
	return l.len;
}
