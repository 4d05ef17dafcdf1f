/* SPDX-License-Identifier: ISC */
/*
 * What procd serves to rootd and named about the foundation: late kernel
 * endpoints (UPDATE_FOUNDATION_ENDPOINTS, rootd only, bootstrap endpoint
 * only), and the late binding of logd and crashd (PUBLISH_FOUNDATION_PEER,
 * named only, bootstrap endpoint only). Each carries exactly one
 * capability; from any other role or endpoint they are denied before
 * anything changes, and the capability dropped.
 */
#include "core/dispatch.h"
#include "core/slots.h"
#include "roles/foundation/bootplan.h"
#include "roles/foundation/peers.h"

static uint32_t op_update_foundation(struct procd *d, struct procd_request *rq)
{
	const struct procd_msg_foundation *m = &rq->body.foundation;

	if (m->reserved != 0 || !procd_slot_is_kernel(m->slot) || port_cap_kind(rq->cap) != PROCD_CAP_ENDPOINT)
		return PROCD_E_INVALID;
	if (procd_transferred_at(&d->transferred, m->slot))
		return PROCD_E_EXISTS;
	if (procd_transferred_add(&d->transferred, m->slot, PROCD_CAP_ENDPOINT, rq->cap) != PROCD_OK)
		return PROCD_E_NO_SPACE;
	rq->cap_kept = 1;
	procd_boot_resume(d, m->slot);
	return PROCD_OK;
}

static uint32_t op_publish_peer(struct procd *d, struct procd_request *rq)
{
	uint32_t status;

	if (rq->body.peer.reserved != 0)
		return PROCD_E_INVALID;
	status = procd_peer_publish(d, rq->body.peer.role, rq->cap, &rq->refusal);
	rq->cap_kept = status == PROCD_OK;
	return status;
}

PROCD_OP(update_foundation_endpoints) = {
	.name = "UPDATE_FOUNDATION_ENDPOINTS",
	.id = PROCD_OP_UPDATE_FOUNDATION_ENDPOINTS,
	.endpoints = PROCD_EP_BOOTSTRAP,
	.flags = PROCD_OP_TAKES_CAP,
	.callers = { ROLE_ROOTD },
	.request_size = sizeof(struct procd_msg_foundation),
	.handler = op_update_foundation,
};

PROCD_OP(publish_foundation_peer) = {
	.name = "PUBLISH_FOUNDATION_PEER",
	.id = PROCD_OP_PUBLISH_FOUNDATION_PEER,
	.endpoints = PROCD_EP_BOOTSTRAP,
	.flags = PROCD_OP_TAKES_CAP,
	.callers = { ROLE_NAMED },
	.request_size = sizeof(struct procd_msg_peer),
	.handler = op_publish_peer,
};
