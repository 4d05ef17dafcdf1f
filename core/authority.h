/* SPDX-License-Identifier: ISC */
/*
 * Every refusal procd makes, decided in one place. Handlers and the
 * mechanism ask here before they change anything and never deny on their
 * own; what is refused, and by which rule, is the list below (procd(8),
 * "WHAT PROCD REFUSES", points here).
 *
 *  procd_may_call        a reserved op (ADOPT_PROCESS, LAUNCH_LOADED_IMAGE);
 *                        an op on an endpoint it is not accepted on; a
 *                        caller role the op does not accept
 *  procd_may_attach      capabilities on an op that takes none; an op that
 *                        takes one, with none or several
 *  procd_may_request     a role asked for on the wrong endpoint (drv-* only
 *                        on the driver endpoint, all others only on the
 *                        bootstrap endpoint), or by a role not among its
 *                        policy's requesters
 *  procd_may_spawn_legacy  the legacy generic SPAWN of a declared role
 *                        (only extension roles, >= SERVICE_ROLE_EXTENSION_BASE)
 *  procd_may_run_module  a boot module that is not the role's own image
 *  procd_may_manage      a process managed on the other endpoint, or one
 *                        created by another role (rootd may manage all)
 *  procd_may_install     a child that is no longer staged; a slot outside
 *                        the window or not among the policy's slots; one
 *                        already filled; a full CSpace; procd's own
 *                        endpoints passed in (procd mints them); a
 *                        capability of the wrong kind for the slot
 *  procd_may_load        a loader transfer for a role whose policy does
 *                        not allow loader launch, or a driver
 *  procd_may_use_transfer  another sender's loader transfer
 *  procd_may_bind_peer   a publication of an endpoint that is not the one
 *                        procd issued to a live process of that role
 *  procd_may_hold        a requester past its quota of children or parked
 *                        WAITs, or into the entries kept for rootd
 *  procd_may_open_transfer a requester past its quota of loader transfers
 *                        or of image bytes in flight
 *
 * Each returns PROCD_OK or the status to answer with, and says in *why
 * (which may be NULL) which rule refused, for the denial log.
 */
#ifndef PROCD_CORE_AUTHORITY_H
#define PROCD_CORE_AUTHORITY_H

#include <stddef.h>
#include <stdint.h>

#include "core/op.h"
#include "core/policy.h"

struct procd;
struct procd_endpoint;
struct procd_proc;

struct procd_refusal {
	const char *rule;     /* the rule that refused, in words */
	uint32_t target_role; /* the role asked for or acted on; ROLE_NONE if none */
};

uint32_t procd_may_call(const struct procd_op *op, const struct procd_endpoint *from,
			struct procd_refusal *why);
uint32_t procd_may_attach(const struct procd_op *op, size_t ncaps, struct procd_refusal *why);
uint32_t procd_may_request(const struct procd_policy *policy, const struct procd_endpoint *from,
			   struct procd_refusal *why);
uint32_t procd_may_spawn_legacy(uint32_t role, struct procd_refusal *why);
/* `module` is the name of the boot module asked for. */
uint32_t procd_may_run_module(const struct procd_policy *policy, const char *module, size_t len,
			      struct procd_refusal *why);
uint32_t procd_may_manage(const struct procd_proc *p, const struct procd_endpoint *from,
			  struct procd_refusal *why);

/* An install at `slot` of p: `ncaps` capabilities offered with it, the
 * first of kind `cap_kind` (PROCD_CAP_*; ignored when ncaps is 0). A slot
 * procd mints is asked for with none. */
uint32_t procd_may_install(const struct procd_proc *p, uint32_t slot, size_t ncaps, uint32_t cap_kind,
			   struct procd_refusal *why);

uint32_t procd_may_load(const struct procd_policy *policy, struct procd_refusal *why);
/* A transfer opened on endpoint `owner_ep`, used from endpoint `ep`. */
uint32_t procd_may_use_transfer(uint32_t owner_ep, uint32_t ep, struct procd_refusal *why);
/* `issued`: the endpoint is the alias procd issued to a live process of `role`. */
uint32_t procd_may_bind_peer(uint32_t role, int issued, struct procd_refusal *why);

/* Whether a request's status is a refusal by one of the rules above that
 * is logged as a denial (authority not granted, or a quota). */
int procd_is_denial(uint32_t status);

/* What a requester asks to hold one more of. */
enum procd_holding {
	PROCD_HOLD_CHILD,    /* a staged or running child it created */
	PROCD_HOLD_WAIT,     /* a parked WAIT_PROCESS_EVENT */
};
/* Whether requester `role` may hold one more `what`. */
uint32_t procd_may_hold(const struct procd *d, uint32_t role, enum procd_holding what, struct procd_refusal *why);
/* Whether `role`, holding `open` loader transfers of `open_bytes` in all
 * (the loader role module counts its own), may open one of `bytes` more. */
uint32_t procd_may_open_transfer(const struct procd *d, uint32_t role, uint32_t open, uint64_t open_bytes,
				 uint64_t bytes, struct procd_refusal *why);

#endif
