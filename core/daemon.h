/* SPDX-License-Identifier: ISC */
/*
 * procd's state and the entry points its port calls from the request loop.
 * Each member is one owner's (core/endpoints.c, core/proc.c,
 * core/waiters.c, core/modules.c, core/envelope.c); role modules keep
 * their own state and meet core through core/hooks.h.
 *
 * The port owns the loop (hosted: one epoll over endpoints, grants and
 * child pidfds; EriX: the kernel receive with the bootstrap timeout and the
 * driver re-poll). Each thing that happens is handed to core as one call
 * below; core decides, mutates its tables, and replies through port.h.
 */
#ifndef PROCD_CORE_DAEMON_H
#define PROCD_CORE_DAEMON_H

#include <stddef.h>
#include <stdint.h>

#include "core/abi/procd_envelope.h"
#include "core/proc.h"
#include "core/registry.h"

/* Endpoints procd serves: the two from its envelope, plus the aliases it
 * mints for children (at most three per child: bootstrap, driver and
 * probe-notify), each at a fixed entry of its own. */
#define PROCD_MINTED_KINDS  3u
#define PROCD_MAX_ENDPOINTS (2u + PROCD_MINTED_KINDS * PROCD_MAX_PROCESSES)
#define PROCD_MAX_WAITERS   64u

/* What no requester but rootd may take: the last process entries and WAIT
 * slots, so a requester at its quota, or several of them, cannot leave
 * rootd unable to create or wait. */
#define PROCD_ROOTD_RESERVE_CHILDREN \
	(PROCD_MAX_PROCESSES >= 16 ? PROCD_MAX_PROCESSES / 16 : PROCD_MAX_PROCESSES > 1 ? 1 : 0)
#define PROCD_ROOTD_RESERVE_WAITS 8u

/* One endpoint alias whose server end procd holds. */
struct procd_endpoint {
	procd_cap cap;   /* PROCD_NO_CAP: the entry is free */
	uint8_t kind;    /* PROCD_EP_BOOTSTRAP or PROCD_EP_DRIVER */
	uint32_t role;   /* the badge: the caller role behind this alias */
	uint32_t owner;  /* pid it was minted for; 0 for procd's intake */
};

struct procd_module {
	procd_cap cap;
	uint32_t flags; /* PROCD_MODULE_* */
	char name[PROCD_MODULE_NAME_MAX];
};

/* A capability rootd transferred (in the envelope, or later through
 * UPDATE_FOUNDATION_ENDPOINTS) for procd to install into children. */
struct procd_transferred {
	uint32_t slot; /* where children get it */
	uint32_t kind;
	procd_cap cap; /* procd's own hold on it */
};

/* A WAIT_PROCESS_EVENT that has no event yet. */
struct procd_waiter {
	uint32_t pid;    /* 0: free */
	uint32_t ep;
	uint32_t tag;
	uint32_t after_seq;
	uint64_t deadline_ms;
};

struct procd {
	struct procd_registry reg;
	struct procd_proc_table table;
	struct procd_endpoint eps[PROCD_MAX_ENDPOINTS];
	struct procd_module modules[PROCD_ENVELOPE_MODULES_MAX];
	uint32_t nmodules;
	struct procd_transferred transferred[PROCD_ENVELOPE_SLOTS_MAX];
	uint32_t ntransferred;
	procd_cap control; /* local kernel control (SLOT_KERNEL_PROCESS_ENDPOINT) */
	struct procd_waiter waiters[PROCD_MAX_WAITERS];
	uint32_t nbackoff; /* children in PROCD_STATE_BACKOFF */
	int stopping;      /* set once the bootstrap peer is gone or asked */
};

/* Startup: registry, then the envelope; non-zero (logged) refuses to run. */
int procd_init(struct procd *d, const void *envelope, size_t len);

/* Once the port can start children: the role modules begin (the boot plan). */
void procd_serving(struct procd *d);

/* A request arrived on endpoint `ep`. caps[] are procd's now: core keeps
 * or drops every one. `truncated`: the port could not take all of it. */
void procd_on_endpoint_message(struct procd *d, uint32_t ep, const void *msg, size_t len,
			       const procd_cap *caps, size_t ncaps, int truncated);

/* The peer of endpoint `ep` is gone. */
void procd_on_endpoint_closed(struct procd *d, uint32_t ep);

/* An install arrived on the grant of process table entry `index`. */
void procd_on_grant_message(struct procd *d, uint32_t index, const void *msg, size_t len,
			    const procd_cap *caps, size_t ncaps, int truncated);

/* The caller dropped its end of the grant of entry `index`. */
void procd_on_grant_closed(struct procd *d, uint32_t index);

/* The running instance of entry `index` ended (its handle is readable). */
void procd_on_process_end(struct procd *d, uint32_t index);

/* Time passed: restarts due, waits timed out. Returns the next deadline
 * (port_now_ms() clock), or UINT64_MAX if nothing is scheduled. */
uint64_t procd_on_tick(struct procd *d, uint64_t now);

/* Stop every child, drop every capability; procd then exits. */
void procd_shutdown(struct procd *d);

/* How many processes procd manages (for logs and tests). */
uint32_t procd_process_count(const struct procd *d);

#endif
