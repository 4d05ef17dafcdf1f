/* SPDX-License-Identifier: ISC */
/*
 * Parked WAIT_PROCESS_EVENTs: the fixed table of WAITs whose event has not
 * happened yet, each until core/answers.c answers it. Who may park how many
 * is core/authority.c's.
 */
#ifndef PROCD_CORE_WAITERS_H
#define PROCD_CORE_WAITERS_H

#include <stdint.h>

#define PROCD_MAX_WAITERS 64u

/* A WAIT_PROCESS_EVENT that has no event yet. */
struct procd_waiter {
	uint32_t pid;    /* 0: free */
	uint32_t ep;
	uint32_t tag;
	uint32_t after_seq;
	uint64_t deadline_ms;
};

struct procd_waiters {
	struct procd_waiter slot[PROCD_MAX_WAITERS];
};

/* Parks a WAIT for an event of pid after after_seq, from endpoint ep;
 * PROCD_E_NO_SPACE when the table is full. */
uint32_t procd_waiter_park(struct procd_waiters *ws, uint32_t pid, uint32_t ep, uint32_t tag, uint32_t after_seq,
			   uint64_t deadline_ms);

/* The next parked WAIT at or after *cursor (start at 0), which it moves
 * past that one; 0 once there is none. */
const struct procd_waiter *procd_waiters_next(const struct procd_waiters *ws, uint32_t *cursor);

/* How many WAITs are parked. */
uint32_t procd_waiters_count(const struct procd_waiters *ws);

/* Frees w's slot, once it is answered. */
void procd_waiter_free(struct procd_waiters *ws, const struct procd_waiter *w);

/* Endpoint entry ep is closing: its WAITs go with it, unanswered, so the
 * entry's next occupant is never sent an answer meant for another. */
void procd_waiters_drop_endpoint(struct procd_waiters *ws, uint32_t ep);

#endif
