/* SPDX-License-Identifier: ISC */
/*
 * procd's log lines, built in core and written by the port (and to logd
 * once one is bound).
 *
 * A peer must not be able to flood the log: every line procd writes while
 * it serves a peer's request is charged to that peer's role, which may
 * cause at most PROCD_LOG_LINES_PER_PEER lines a second; the rest are
 * counted, and the count is logged when the next second begins. rootd's
 * requests are not charged, except for denials, which every role is.
 */
#ifndef PROCD_CORE_LOG_H
#define PROCD_CORE_LOG_H

#include "core/proc.h"

#define PROCD_LOG_LINES_PER_PEER 10u

/* Logs one NUL-terminated line. */
void procd_log(const char *line);

/* Logs "procd: <role> (pid N) <what><tail>". */
void procd_log_proc(const struct procd_proc *p, const char *what, const char *tail);

struct procd_registry;

/* From here until procd_log_charge_end, lines are caused by a request of
 * `role` (named from `reg` in the count of lines dropped). */
void procd_log_charge(const struct procd_registry *reg, uint32_t role);
void procd_log_charge_end(void);

/* Logs a denial of a request of the charged role, whoever it is. */
void procd_log_denial(const char *line, size_t len);

#endif
