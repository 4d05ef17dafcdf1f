/* SPDX-License-Identifier: ISC */
/*
 * Answers to parked WAIT_PROCESS_EVENTs (core/waiters.h): when the event
 * is recorded, when the WAIT's deadline passes, or (not found) when the
 * process is retired. Each answer frees the WAIT's slot.
 */
#ifndef PROCD_CORE_ANSWERS_H
#define PROCD_CORE_ANSWERS_H

#include <stdint.h>

struct procd;
struct procd_proc;

/* Answers the WAITs of p that its newest event satisfies. */
void procd_answer_event(struct procd *d, const struct procd_proc *p);

/* p is being retired: its WAITs are answered PROCD_E_NOT_FOUND. */
void procd_answer_retired(struct procd *d, uint32_t pid);

/* Times out WAITs whose deadline passed; returns the next deadline (or
 * `next` if none is sooner). */
uint64_t procd_answer_timeouts(struct procd *d, uint64_t now, uint64_t next);

#endif
