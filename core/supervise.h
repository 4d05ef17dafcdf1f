/* SPDX-License-Identifier: ISC */
/*
 * Restart supervision: after a child ends, whether and when to start it
 * again. Pure decisions over a small state, so the rules can be tested
 * without processes or clocks.
 *
 * The rules, after MINIX RS, s6 and OTP supervisors:
 *  - never / on-failure (a non-zero exit, a fault, or a kill procd did not
 *    ask for) / always;
 *  - intensity: at most max_restarts restarts within window_ms; one more
 *    failure and procd gives up on the child and reports it;
 *  - backoff: the first restart after a healthy run is immediate, each
 *    further one in a row waits twice as long (backoff_min_ms doubling, up
 *    to backoff_max_ms); a run of backoff_max_ms or more counts as healthy.
 * A crash loop therefore costs a bounded number of spawns per window, and
 * never holds up other requests: the delay is a deadline, not a sleep.
 */
#ifndef PROCD_CORE_SUPERVISE_H
#define PROCD_CORE_SUPERVISE_H

#include <stdint.h>

#include "core/abi/procd_msg.h"

#define PROCD_RESTART_HISTORY 32u /* the largest max_restarts */
#define PROCD_RESTART_WINDOW_MAX_MS 3600000u

struct procd_supervision {
	struct procd_msg_restart params; /* pid field unused */
	uint32_t restarts;               /* made so far, in all */
	uint32_t in_a_row;               /* restarts since the last healthy run */
	uint64_t epoch;                  /* recent[] counts milliseconds from here */
	uint32_t recent[PROCD_RESTART_HISTORY]; /* times of the latest restarts */
	uint32_t next;                   /* ring position in recent[] */
};

enum procd_verdict {
	PROCD_VERDICT_END,     /* leave it ended */
	PROCD_VERDICT_RESTART, /* start it again after *delay_ms */
	PROCD_VERDICT_GIVE_UP, /* too many restarts in the window */
};

/* The supervision a role's policy asks for by default. */
void procd_supervision_init(struct procd_supervision *s, uint32_t policy);

/* Whether SET_RESTART_POLICY parameters are acceptable. */
int procd_restart_params_valid(const struct procd_msg_restart *m);

/* Applies new parameters; the restart history is kept. */
void procd_supervision_set(struct procd_supervision *s, const struct procd_msg_restart *m);

/*
 * Decides after an instance that ran for ran_ms ended with (kind, code) at
 * time now. A RESTART verdict is also recorded as a restart made at
 * now + *delay_ms.
 */
enum procd_verdict procd_supervise(struct procd_supervision *s, uint32_t kind, int32_t code,
				   uint64_t now, uint64_t ran_ms, uint64_t *delay_ms);

#endif
