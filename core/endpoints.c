/* SPDX-License-Identifier: ISC */
#include "core/abi/procd_roles.h"
#include "core/abi/procd_status.h"
#include "core/daemon.h"
#include "core/endpoints.h"
#include "core/waiters.h"

static const uint8_t minted_kinds[PROCD_MINTED_KINDS] = { PROCD_EP_BOOTSTRAP, PROCD_EP_DRIVER, PROCD_EP_NOTIFY };

void procd_endpoints_init(struct procd_endpoints *eps)
{
	for (uint32_t i = 0; i < PROCD_MAX_ENDPOINTS; i++)
		eps->entry[i] = (struct procd_endpoint){ .cap = PROCD_NO_CAP };
}

void procd_endpoints_set_intake(struct procd_endpoints *eps, procd_cap bootstrap, procd_cap driver)
{
	eps->entry[0] = (struct procd_endpoint){ .cap = bootstrap, .kind = PROCD_EP_BOOTSTRAP, .role = ROLE_ROOTD };
	eps->entry[1] = (struct procd_endpoint){ .cap = driver, .kind = PROCD_EP_DRIVER, .role = ROLE_ROOTD };
}

int procd_endpoints_watch_intake(const struct procd_endpoints *eps)
{
	if (port_watch(eps->entry[0].cap, PORT_WATCH_ENDPOINT, 0) != 0 ||
	    port_watch(eps->entry[1].cap, PORT_WATCH_ENDPOINT, 1) != 0)
		return -1;
	return 0;
}

const struct procd_endpoint *procd_endpoint_at(const struct procd_endpoints *eps, uint32_t ep)
{
	return &eps->entry[ep];
}

const struct procd_endpoint *procd_endpoint_open(const struct procd_endpoints *eps, uint32_t ep)
{
	return ep < PROCD_MAX_ENDPOINTS && eps->entry[ep].cap != PROCD_NO_CAP ? &eps->entry[ep] : 0;
}

uint32_t procd_minted_entry(const struct procd *d, const struct procd_proc *p, uint8_t kind)
{
	uint32_t k = kind == PROCD_EP_DRIVER ? 1u : kind == PROCD_EP_NOTIFY ? 2u : 0u;

	return 2u + PROCD_MINTED_KINDS * procd_proc_index(&d->table, p) + k;
}

uint32_t procd_endpoint_mint(struct procd *d, const struct procd_proc *p, uint8_t kind, procd_cap *client)
{
	uint32_t e = procd_minted_entry(d, p, kind);
	procd_cap server;

	if (port_endpoint_pair(&server, client) != 0)
		return PROCD_E_IO;
	if (port_watch(server, PORT_WATCH_ENDPOINT, e) != 0) {
		port_cap_drop(server);
		port_cap_drop(*client);
		*client = PROCD_NO_CAP;
		return PROCD_E_IO;
	}
	d->endpoints.entry[e] =
		(struct procd_endpoint){ .cap = server, .kind = kind, .role = p->policy->role, .owner = p->pid };
	return PROCD_OK;
}

int procd_endpoint_minted(const struct procd *d, const struct procd_proc *p, uint8_t kind)
{
	const struct procd_endpoint *e = &d->endpoints.entry[procd_minted_entry(d, p, kind)];

	return e->cap != PROCD_NO_CAP && e->owner == p->pid;
}

void procd_endpoints_of(struct procd *d, const struct procd_proc *p, void (*fn)(struct procd *, uint32_t ep))
{
	for (uint32_t k = 0; k < PROCD_MINTED_KINDS; k++)
		if (procd_endpoint_minted(d, p, minted_kinds[k]))
			fn(d, procd_minted_entry(d, p, minted_kinds[k]));
}

void procd_endpoint_close(struct procd *d, uint32_t ep)
{
	struct procd_endpoint *e = &d->endpoints.entry[ep];

	procd_waiters_drop_endpoint(&d->waiters, ep);
	port_unwatch(e->cap);
	port_cap_drop(e->cap);
	e->cap = PROCD_NO_CAP;
	e->owner = 0;
}

void procd_endpoints_drop_minted(struct procd *d, const struct procd_proc *p)
{
	procd_endpoints_of(d, p, procd_endpoint_close);
}

void procd_endpoints_close_all(struct procd *d)
{
	for (uint32_t i = 0; i < PROCD_MAX_ENDPOINTS; i++)
		if (d->endpoints.entry[i].cap != PROCD_NO_CAP)
			procd_endpoint_close(d, i);
}
