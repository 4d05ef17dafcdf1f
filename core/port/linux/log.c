/* SPDX-License-Identifier: ISC */
/* Hosted log: one line per write(2) to stderr, so lines never interleave. */
#include <string.h>
#include <unistd.h>

#include "core/port.h"

void port_log_line(const char *line, size_t len)
{
	char buf[1024];

	if (len > sizeof buf - 1)
		len = sizeof buf - 1;
	memcpy(buf, line, len);
	buf[len] = '\n';
	/* A log that cannot be written must not stop procd. */
	if (write(STDERR_FILENO, buf, len + 1) < 0)
		return;
}
