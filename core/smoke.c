/* SPDX-License-Identifier: ISC */
/* Compiled only with --enable-smoke-reports. */
#include "core/port.h"
#include "core/smoke.h"

void procd_smoke_report(const char *line, unsigned long len)
{
	port_log_line(line, len);
}
