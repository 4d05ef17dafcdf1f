/* SPDX-License-Identifier: ISC */
/*
 * Debug boot reports (ERIX_KERNEL:PROCD_DEBUG:<step>), for smoke images only.
 * In any other build the macro is empty, so neither the strings nor the
 * reporting function exist in the binary.
 */
#ifndef PROCD_CORE_SMOKE_H
#define PROCD_CORE_SMOKE_H

#ifdef PROCD_SMOKE_REPORTS
#define PROCD_SMOKE_PREFIX "ERIX_KERNEL:PROCD_DEBUG:"
void procd_smoke_report(const char *line, unsigned long len);
#define PROCD_SMOKE(step)                                                      \
	procd_smoke_report(PROCD_SMOKE_PREFIX step, sizeof(PROCD_SMOKE_PREFIX step) - 1)
#else
#define PROCD_SMOKE(step) ((void)0)
#endif

#endif
