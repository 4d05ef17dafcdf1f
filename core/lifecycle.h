/* SPDX-License-Identifier: ISC */
/*
 * The process lifecycle as a state machine (after s6-supervise): states
 * and events are enums, and what each event does in each state is one
 * table of action functions, actions[state][event], in lifecycle.c: the
 * table is the dispatch. Requests and the loop only feed it events.
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
 * endpoint `ep`): a record with its CSpace holding its own endpoint, and,
 * where `grant` is not NULL, an install grant for a requester that installs
 * capabilities itself. On success, *alias and *grant are the caller's ends
 * (procd drops them once sent).
 */
uint32_t procd_create(struct procd *d, const struct procd_policy *policy, uint32_t ep,
		      uint32_t creator_role, struct procd_proc **out, procd_cap *alias, procd_cap *grant);

/* The events. Each returns PROCD_OK or the status a request answers with. */
uint32_t procd_start(struct procd *d, struct procd_proc *p, uint32_t module, struct procd_refusal *why);
/* START from an image procd materialized; the record owns `image` from
 * here on, whatever the outcome (retiring it drops the image). */
uint32_t procd_start_image(struct procd *d, struct procd_proc *p, procd_cap image);
uint32_t procd_abort(struct procd *d, struct procd_proc *p);
uint32_t procd_stop(struct procd *d, struct procd_proc *p);
/* The running instance's handle became readable. */
void procd_instance_ended(struct procd *d, struct procd_proc *p);
/* A restart deadline may have passed. */
void procd_restart_due(struct procd *d, struct procd_proc *p, uint64_t now);

#endif
