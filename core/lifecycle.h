/* SPDX-License-Identifier: ISC */
/*
 * The process lifecycle as a state machine (after s6-supervise): states and
 * events are enums, and what each event does in each state is one table,
 * actions[state][event], in lifecycle.c. Handlers and the loop only feed it
 * events.
 *
 *   STAGED --start--> RUNNING --end--> (supervise) --> BACKOFF --due--> RUNNING
 *                                                  \-> ENDED
 *   any state --stop--> retired;  STAGED --abort--> retired
 */
#ifndef PROCD_CORE_LIFECYCLE_H
#define PROCD_CORE_LIFECYCLE_H

#include "core/authority.h"
#include "core/daemon.h"

/*
 * Stages a child of `policy` for `creator_role` (request arrived on
 * endpoint `ep`): a record with its CSpace holding its own endpoint, plus
 * an install grant. On success, *alias and *grant are the caller's ends
 * (procd drops them once sent).
 */
uint32_t procd_create(struct procd *d, const struct procd_policy *policy, uint32_t ep,
		      uint32_t creator_role, struct procd_proc **out, procd_cap *alias, procd_cap *grant);

/* Installs each capability procd holds from rootd's transfer that the
 * policy allows, for the compatibility spawns that install nothing. */
uint32_t procd_install_transferred(struct procd *d, struct procd_proc *p);

/* Places cap at slot in a staged child's CSpace, after procd_may_install
 * allows it; on refusal the caller still owns cap. */
uint32_t procd_install(struct procd *d, struct procd_proc *p, uint32_t slot, procd_cap cap,
		       struct procd_refusal *why);

/* The boot module holding policy's image, or PROCD_IMAGE_OF_ROLE if none. */
uint32_t procd_module_of(const struct procd *d, const struct procd_policy *policy);
/* PROCD_OK if boot module `module` may run policy's role: it exists, and
 * it is the role's own image; checked before anything is built. */
uint32_t procd_module_check(const struct procd *d, const struct procd_policy *policy, uint32_t module,
			    struct procd_refusal *why);

/* Mints, at a slot procd mints (core/slots.h), an alias of procd's own
 * endpoint of that kind for p. */
uint32_t procd_install_procd_alias(struct procd *d, struct procd_proc *p, uint32_t slot,
				   struct procd_refusal *why);

/* Lifecycle events a request or the loop can feed in. */
uint32_t procd_start(struct procd *d, struct procd_proc *p, uint32_t module, struct procd_refusal *why);
/* START from an image procd materialized; the record owns `image` from
 * here on, whatever the outcome (retiring it drops the image). */
uint32_t procd_start_image(struct procd *d, struct procd_proc *p, procd_cap image);
uint32_t procd_abort(struct procd *d, struct procd_proc *p);
uint32_t procd_stop(struct procd *d, struct procd_proc *p);
void procd_instance_ended(struct procd *d, struct procd_proc *p);
void procd_restart_due(struct procd *d, struct procd_proc *p, uint64_t now);

/* Answers parked WAITs of p that its newest event satisfies. */
void procd_wake_waiters(struct procd *d, struct procd_proc *p);

/* Frees every endpoint minted for p. */
void procd_drop_minted(struct procd *d, const struct procd_proc *p);
/* Closes endpoint entry ep (procd's server end), and drops the WAITs
 * parked on it. */
void procd_endpoint_close(struct procd *d, uint32_t ep);
/* Ends p's install grant, if it still has one. */
void procd_close_grant(struct procd_proc *p);

#endif
