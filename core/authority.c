/* SPDX-License-Identifier: ISC */
/*
 * The rules of core/authority.h. Each function states one rule; nothing
 * here changes state, so a handler can ask everything it must before it
 * mutates anything.
 */
#include "core/abi/procd_envelope.h"
#include "core/abi/procd_status.h"
#include "core/authority.h"
#include "core/daemon.h"
#include "core/slots.h"
#include "core/text.h"

static uint32_t refuse(struct procd_refusal *why, uint32_t status, const char *rule, uint32_t target)
{
	if (why) {
		why->rule = rule;
		why->target_role = target;
	}
	return status;
}

static int role_listed(const uint32_t *list, size_t max, uint32_t role, int any_ok)
{
	for (size_t i = 0; i < max && list[i] != 0; i++)
		if (list[i] == role || (any_ok && list[i] == PROCD_CALLER_ANY))
			return 1;
	return 0;
}

uint32_t procd_may_call(const struct procd_op *op, const struct procd_endpoint *from,
			struct procd_refusal *why)
{
	if (op->flags & PROCD_OP_DENY)
		return refuse(why, PROCD_E_DENIED, "the op is reserved and always refused", ROLE_NONE);
	if (!(op->endpoints & from->kind))
		return refuse(why, PROCD_E_DENIED, "the op is not accepted on this endpoint", ROLE_NONE);
	if (!role_listed(op->callers, PROCD_OP_CALLERS, from->role, 1))
		return refuse(why, PROCD_E_DENIED, "the op does not accept this caller role", ROLE_NONE);
	return PROCD_OK;
}

uint32_t procd_may_attach(const struct procd_op *op, size_t ncaps, struct procd_refusal *why)
{
	/* Authority offered where none is asked for is refused like any other
	 * authority the caller may not use. */
	if (!(op->flags & PROCD_OP_TAKES_CAP))
		return ncaps == 0 ? PROCD_OK
				  : refuse(why, PROCD_E_DENIED, "capabilities attached to an op that takes none",
					   ROLE_NONE);
	return ncaps == 1 ? PROCD_OK : refuse(why, PROCD_E_INVALID, "the op takes exactly one capability", ROLE_NONE);
}

uint32_t procd_may_request(const struct procd_policy *policy, const struct procd_endpoint *from,
			   struct procd_refusal *why)
{
	if (policy->endpoint != from->kind)
		return refuse(why, PROCD_E_DENIED, "the role is requested on the other endpoint", policy->role);
	if (!role_listed(policy->requesters, PROCD_POLICY_REQUESTERS, from->role, 0))
		return refuse(why, PROCD_E_DENIED, "the caller is not among the role's requesters", policy->role);
	return PROCD_OK;
}

uint32_t procd_may_spawn_legacy(uint32_t role, struct procd_refusal *why)
{
	/* A declared service must come through its typed path. */
	if (role < SERVICE_ROLE_EXTENSION_BASE)
		return refuse(why, PROCD_E_DENIED, "the legacy SPAWN starts extension roles only", role);
	return PROCD_OK;
}

uint32_t procd_may_run_module(const struct procd_policy *policy, const char *module, size_t len,
			      struct procd_refusal *why)
{
	/* A caller cannot run one role's authority with another's code. */
	if (!procd_field_eq(policy->image, sizeof policy->image, module, len))
		return refuse(why, PROCD_E_DENIED, "the boot module is not the role's own image", policy->role);
	return PROCD_OK;
}

uint32_t procd_may_manage(const struct procd_proc *p, const struct procd_endpoint *from,
			  struct procd_refusal *why)
{
	/* drv-* children are managed only on the driver endpoint, all others
	 * only on the bootstrap endpoint; and only by the role that created
	 * them, or by rootd. */
	if (p->policy->endpoint != from->kind)
		return refuse(why, PROCD_E_DENIED, "the process is managed on the other endpoint", p->policy->role);
	if (from->role != p->creator_role && from->role != ROLE_ROOTD)
		return refuse(why, PROCD_E_DENIED, "the process was created by another role", p->policy->role);
	return PROCD_OK;
}

static int policy_grants(const struct procd_policy *policy, uint32_t slot)
{
	if (slot >= policy->window)
		return 0;
	for (uint32_t i = 0; i < PROCD_POLICY_SLOTS && policy->slots[i] != 0; i++)
		if (policy->slots[i] == slot)
			return 1;
	return 0;
}

/* What a slot holds: the table says for canonical slots; anything else a
 * policy lists is an endpoint too (children hold nothing but endpoints). */
static uint32_t slot_cap_kind(uint32_t slot)
{
	const struct procd_slot_info *s = procd_slot_info(slot);

	return s ? s->cap : PROCD_CAP_ENDPOINT;
}

uint32_t procd_may_install(const struct procd_proc *p, uint32_t slot, size_t ncaps, uint32_t cap_kind,
			   struct procd_refusal *why)
{
	uint32_t role = p->policy->role;

	if (p->state != PROCD_STATE_STAGED)
		return refuse(why, PROCD_E_BUSY, "the child is no longer staged", role);
	if (!policy_grants(p->policy, slot))
		return refuse(why, PROCD_E_DENIED, "the role's policy does not grant this slot", role);
	if (procd_cspace_get(p, slot) != PROCD_NO_CAP)
		return refuse(why, PROCD_E_EXISTS, "the slot is already filled", role);
	if (p->ncaps >= PROCD_POLICY_SLOTS)
		return refuse(why, PROCD_E_NO_SPACE, "the child's CSpace is full", role);
	if (procd_slot_minted_endpoint(slot) != 0)
		/* procd's own endpoints are minted by procd, never passed in. */
		return ncaps == 0 ? PROCD_OK
				  : refuse(why, PROCD_E_DENIED, "procd mints this slot; nothing may be passed in", role);
	if (ncaps != 1)
		return refuse(why, PROCD_E_INVALID, "an install carries exactly one capability", role);
	if (cap_kind != slot_cap_kind(slot))
		return refuse(why, PROCD_E_DENIED, "the capability is of the wrong kind for this slot", role);
	return PROCD_OK;
}

uint32_t procd_may_load(const struct procd_policy *policy, struct procd_refusal *why)
{
	/* Drivers never run from transferred bytes: they are deviced's to ask
	 * for, on the driver endpoint. */
	if (!(policy->flags & PROCD_POLICY_LOADER_LAUNCH) || policy->endpoint != PROCD_EP_BOOTSTRAP)
		return refuse(why, PROCD_E_DENIED, "the role may not be started from loader-transferred bytes",
			      policy->role);
	return PROCD_OK;
}

uint32_t procd_may_use_transfer(uint32_t owner_ep, uint32_t ep, struct procd_refusal *why)
{
	if (owner_ep != ep)
		return refuse(why, PROCD_E_DENIED, "the loader transfer is another sender's", ROLE_NONE);
	return PROCD_OK;
}

uint32_t procd_may_bind_peer(uint32_t role, int issued, struct procd_refusal *why)
{
	/* named cannot pass anything else off as logd or crashd. */
	if (!issued)
		return refuse(why, PROCD_E_DENIED, "the endpoint is not the one procd issued to that role", role);
	return PROCD_OK;
}

int procd_is_denial(uint32_t status)
{
	return status == PROCD_E_DENIED || status == PROCD_E_QUOTA;
}

/* ---- quotas ---- */

static int is_rootd(uint32_t role)
{
	/* procd's own boot plan acts for rootd. */
	return role == ROLE_ROOTD || role == ROLE_PROCD;
}

static uint32_t quota_of(const struct procd *d, uint32_t role, enum procd_holding what)
{
	const struct procd_policy *policy = procd_policy_by_role(&d->reg, role);
	const struct procd_quota *q = policy ? &policy->quota : 0;

	switch (what) {
	case PROCD_HOLD_CHILD:
		return q && q->children ? q->children : PROCD_QUOTA_CHILDREN_DEFAULT;
	case PROCD_HOLD_WAIT:
		return q && q->waits ? q->waits : PROCD_QUOTA_WAITS_DEFAULT;
	}
	return 0;
}

static uint64_t image_quota_of(const struct procd *d, uint32_t role)
{
	const struct procd_policy *policy = procd_policy_by_role(&d->reg, role);
	uint32_t kib = policy && policy->quota.image_kib ? policy->quota.image_kib : PROCD_QUOTA_IMAGE_KIB_DEFAULT;

	return (uint64_t)kib * 1024u;
}

/* What `role` holds now: its children as the process table counts them
 * where entries are taken and freed (a check on every CREATE must not walk
 * the table), its parked WAITs counted where they live. */
static uint32_t held(const struct procd *d, uint32_t role, enum procd_holding what)
{
	const struct procd_waiter *w;
	uint32_t n = 0;

	switch (what) {
	case PROCD_HOLD_CHILD:
		return procd_proc_children_of(&d->table, role);
	case PROCD_HOLD_WAIT:
		for (uint32_t i = 0; (w = procd_waiters_next(&d->waiters, &i));)
			n += procd_endpoint_at(&d->endpoints, w->ep)->role == role;
		break;
	}
	return n;
}

static uint32_t in_use(const struct procd *d, enum procd_holding what)
{
	if (what == PROCD_HOLD_CHILD)
		return d->table.used;
	if (what == PROCD_HOLD_WAIT)
		return procd_waiters_count(&d->waiters);
	return 0;
}

uint32_t procd_may_hold(const struct procd *d, uint32_t role, enum procd_holding what, struct procd_refusal *why)
{
	uint32_t have;

	if (is_rootd(role))
		return PROCD_OK; /* bounded only by the tables themselves */
	if (what == PROCD_HOLD_CHILD && PROCD_ROOTD_RESERVE_CHILDREN != 0 &&
	    in_use(d, what) + PROCD_ROOTD_RESERVE_CHILDREN >= PROCD_MAX_PROCESSES)
		return refuse(why, PROCD_E_QUOTA, "the last process entries are kept for rootd", ROLE_NONE);
	if (what == PROCD_HOLD_WAIT && in_use(d, what) + PROCD_ROOTD_RESERVE_WAITS >= PROCD_MAX_WAITERS)
		return refuse(why, PROCD_E_QUOTA, "the last WAIT slots are kept for rootd", ROLE_NONE);
	have = held(d, role, what);
	if (have >= quota_of(d, role, what))
		return refuse(why, PROCD_E_QUOTA, what == PROCD_HOLD_CHILD ? "the requester holds its quota of children"
									   : "the requester holds its quota of parked WAITs",
			      ROLE_NONE);
	return PROCD_OK;
}

uint32_t procd_may_open_transfer(const struct procd *d, uint32_t role, uint32_t open, uint64_t open_bytes,
				 uint64_t bytes, struct procd_refusal *why)
{
	const struct procd_policy *policy = procd_policy_by_role(&d->reg, role);
	uint32_t quota = policy && policy->quota.transfers ? policy->quota.transfers : PROCD_QUOTA_TRANSFERS_DEFAULT;

	if (is_rootd(role))
		return PROCD_OK;
	if (open >= quota)
		return refuse(why, PROCD_E_QUOTA, "the requester holds its quota of loader transfers", ROLE_NONE);
	if (open_bytes + bytes > image_quota_of(d, role))
		return refuse(why, PROCD_E_QUOTA, "the requester's image bytes in flight would pass its quota", ROLE_NONE);
	return PROCD_OK;
}
