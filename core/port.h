/* SPDX-License-Identifier: ISC */
/*
 * The port interface: everything core/ needs from the platform below it.
 * core/, roles/ and policies/ reach the OS only through these functions;
 * core/port/<platform>/ implements them (hosted Linux, or bare EriX).
 */
#ifndef PROCD_CORE_PORT_H
#define PROCD_CORE_PORT_H

#include <stddef.h>

/* Writes one line to procd's log; `line` has no trailing newline. */
void port_log_line(const char *line, size_t len);

#endif
