/* SPDX-License-Identifier: ISC */
/*
 * A tool's diagnostic line on stderr, written whole in one write: procd and
 * the children it starts share the stream, and a line split across two
 * writes could be cut by one of theirs.
 */
#ifndef PROCD_TOOLS_SAY_H
#define PROCD_TOOLS_SAY_H

#include <stdarg.h>

/* The line as printf formats it, a newline added; cut to fit if long. */
void say_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void say_vline(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
