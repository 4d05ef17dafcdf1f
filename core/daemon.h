/* SPDX-License-Identifier: ISC */
/*
 * procd's state and the entry points its port calls from the request loop.
 * Each member but the last three is one owner's, declared in its header
 * and changed only through its functions (core/registry.h, core/proc.h,
 * core/endpoints.h, core/modules.h, core/transferred.h, core/waiters.h);
 * role modules keep their own state and meet core through core/hooks.h.
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

#include "core/endpoints.h"
#include "core/modules.h"
#include "core/proc.h"
#include "core/registry.h"
#include "core/transferred.h"
#include "core/waiters.h"

/* What no requester but rootd may take: the last process entries and WAIT
 * slots, so a requester at its quota, or several of them, cannot leave
 * rootd unable to create or wait. */
#define PROCD_ROOTD_RESERVE_CHILDREN \
	(PROCD_MAX_PROCESSES >= 16 ? PROCD_MAX_PROCESSES / 16 : PROCD_MAX_PROCESSES > 1 ? 1 : 0)
#define PROCD_ROOTD_RESERVE_WAITS 8u

struct procd {
	struct procd_registry reg;
	struct procd_proc_table table;
	struct procd_endpoints endpoints;
	struct procd_modules modules;
	struct procd_transferred_caps transferred;
	struct procd_waiters waiters;
	procd_cap control; /* local kernel control (SLOT_KERNEL_PROCESS_ENDPOINT) */
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
