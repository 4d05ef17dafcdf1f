/* SPDX-License-Identifier: ISC */
/*
 * Parked WAIT_PROCESS_EVENTs: a WAIT whose event has not happened yet is
 * answered later, when the event is recorded, when its deadline passes, or
 * (not found) when the process is retired. A fixed table; who may park how
 * many is core/authority.c's.
 */
#ifndef PROCD_CORE_WAITERS_H
#define PROCD_CORE_WAITERS_H

#include <stdint.h>

struct procd;
struct procd_proc;

/* Parks a WAIT for an event of pid after after_seq, from endpoint ep;
 * PROCD_E_NO_SPACE when the table is full. */
uint32_t procd_waiter_park(struct procd *d, uint32_t pid, uint32_t ep, uint32_t tag, uint32_t after_seq,
			   uint64_t deadline_ms);

/* Answers the WAITs of p that its newest event satisfies. */
void procd_waiters_wake(struct procd *d, const struct procd_proc *p);

/* p is being retired: its WAITs are answered PROCD_E_NOT_FOUND. */
void procd_waiters_retire(struct procd *d, uint32_t pid);

/* Endpoint entry ep is closing: its WAITs go with it, unanswered, so the
 * entry's next occupant is never sent an answer meant for another. */
void procd_waiters_drop_endpoint(struct procd *d, uint32_t ep);

/* Times out WAITs whose deadline passed; returns the next deadline (or
 * `next` if none is sooner). */
uint64_t procd_waiters_tick(struct procd *d, uint64_t now, uint64_t next);

#endif
