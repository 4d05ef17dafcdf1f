/* SPDX-License-Identifier: ISC */
/* Hosted log: one line per write(2) to stderr, so lines never interleave. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/port.h"
#include "core/port/linux/linux.h"

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

void linux_log_errno(const char *what, int err)
{
	char buf[512];
	int n = snprintf(buf, sizeof buf, "%s: %s", what, strerror(err));

	if (n > 0)
		port_log_line(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void linux_log_step(const char *what, const char *step, int err)
{
	char buf[512];
	int n = snprintf(buf, sizeof buf, "%s %s: %s", what, step, strerror(err));

	if (n > 0)
		port_log_line(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

uint64_t port_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
