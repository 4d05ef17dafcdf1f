/* SPDX-License-Identifier: ISC */
#include <stdio.h>
#include <unistd.h>

#include "tools/say.h"

/* Room for the longest line a tool says: a model's CSpace listing. */
#define SAY_LINE_MAX 4200

void say_vline(const char *fmt, va_list ap)
{
	char line[SAY_LINE_MAX];
	int n = vsnprintf(line, sizeof line - 1, fmt, ap);

	if (n < 0)
		return;
	if ((size_t)n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

void say_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say_vline(fmt, ap);
	va_end(ap);
}
