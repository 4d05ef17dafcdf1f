/* SPDX-License-Identifier: ISC */
#include "core/abi/procd_status.h"
#include "core/cspace.h"
#include "core/daemon.h"
#include "core/endpoints.h"
#include "core/slots.h"
#include "core/text.h"

static void place(struct procd_proc *p, uint32_t slot, procd_cap cap)
{
	p->cspace[p->ncaps].slot = slot;
	p->cspace[p->ncaps].cap = cap;
	p->ncaps++;
}

uint32_t procd_install(struct procd *d, struct procd_proc *p, uint32_t slot, procd_cap cap,
		       struct procd_refusal *why)
{
	uint32_t status = procd_may_install(p, slot, 1, port_cap_kind(cap), why);

	(void)d;
	if (status == PROCD_OK)
		place(p, slot, cap);
	return status;
}

uint32_t procd_install_procd_alias(struct procd *d, struct procd_proc *p, uint32_t slot,
				   struct procd_refusal *why)
{
	uint32_t status = procd_may_install(p, slot, 0, PROCD_CAP_NONE, why);
	procd_cap client;

	if (status == PROCD_OK)
		status = procd_endpoint_mint(d, p, procd_slot_minted_endpoint(slot), &client);
	if (status == PROCD_OK)
		place(p, slot, client);
	return status;
}

uint32_t procd_install_transferred(struct procd *d, struct procd_proc *p)
{
	const struct procd_transferred *t;

	for (uint32_t i = 0; (t = procd_transferred_nth(&d->transferred, i)); i++) {
		procd_cap copy;
		uint32_t status;

		/* Only what the policy grants; anything else is simply not given. */
		if (procd_may_install(p, t->slot, 1, t->kind, 0) != PROCD_OK)
			continue;
		copy = port_cap_dup(t->cap);
		if (copy == PROCD_NO_CAP)
			return PROCD_E_IO;
		status = procd_install(d, p, t->slot, copy, 0);
		if (status != PROCD_OK) {
			port_cap_drop(copy);
			return status;
		}
	}
	return PROCD_OK;
}

static uint32_t grant_install(struct procd *d, struct procd_proc *p, const struct procd_msg_install *m,
			      const procd_cap *caps, size_t ncaps, int *kept)
{
	uint32_t status;

	if (m->reserved != 0)
		return PROCD_E_INVALID;
	status = procd_may_install(p, m->slot, ncaps, ncaps ? port_cap_kind(caps[0]) : PROCD_CAP_NONE, 0);
	if (status != PROCD_OK)
		return status;
	if (procd_slot_minted_endpoint(m->slot) != 0)
		return procd_install_procd_alias(d, p, m->slot, 0);
	status = procd_install(d, p, m->slot, caps[0], 0);
	*kept = status == PROCD_OK;
	return status;
}

void procd_grant_message(struct procd *d, struct procd_proc *p, const void *msg, size_t len,
			 const procd_cap *caps, size_t ncaps, int truncated)
{
	struct procd_msg_header h = { 0 };
	struct procd_msg_install m;
	uint64_t reply[2];
	uint32_t status = PROCD_E_INVALID;
	int kept = 0;

	if (len >= sizeof h)
		procd_bytes_copy(&h, msg, sizeof h);
	if (!truncated && len == sizeof h + sizeof m && h.length == len && h.op == PROCD_GRANT_INSTALL &&
	    h.status == 0) {
		procd_bytes_copy(&m, (const unsigned char *)msg + sizeof h, sizeof m);
		status = grant_install(d, p, &m, caps, ncaps, &kept);
	}
	for (size_t i = kept ? 1 : 0; i < ncaps; i++)
		port_cap_drop(caps[i]);
	h.length = sizeof h;
	h.status = status;
	procd_bytes_copy(reply, &h, sizeof h);
	if (p->grant != PROCD_NO_CAP)
		port_send(p->grant, reply, sizeof h, 0, 0);
}

void procd_close_grant(struct procd_proc *p)
{
	if (p->grant == PROCD_NO_CAP)
		return;
	port_unwatch(p->grant);
	port_cap_drop(p->grant);
	p->grant = PROCD_NO_CAP;
}

void procd_cspace_drop(struct procd_proc *p)
{
	for (uint32_t i = 0; i < p->ncaps; i++)
		port_cap_drop(p->cspace[i].cap);
	p->ncaps = 0;
}
