/* SPDX-License-Identifier: ISC */
/* procd's log lines, built in core and written by the port. */
#ifndef PROCD_CORE_LOG_H
#define PROCD_CORE_LOG_H

#include "core/proc.h"

/* Logs one NUL-terminated line. */
void procd_log(const char *line);

/* Logs "procd: <role> (pid N) <what><tail>". */
void procd_log_proc(const struct procd_proc *p, const char *what, const char *tail);

#endif
