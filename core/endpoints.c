/* SPDX-License-Identifier: ISC */
#include "core/abi/procd_status.h"
#include "core/daemon.h"
#include "core/endpoints.h"
#include "core/waiters.h"

static const uint8_t minted_kinds[PROCD_MINTED_KINDS] = { PROCD_EP_BOOTSTRAP, PROCD_EP_DRIVER, PROCD_EP_NOTIFY };

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
	d->eps[e] = (struct procd_endpoint){ .cap = server, .kind = kind, .role = p->policy->role, .owner = p->pid };
	return PROCD_OK;
}

int procd_endpoint_minted(const struct procd *d, const struct procd_proc *p, uint8_t kind)
{
	const struct procd_endpoint *e = &d->eps[procd_minted_entry(d, p, kind)];

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
	struct procd_endpoint *e = &d->eps[ep];

	procd_waiters_drop_endpoint(d, ep);
	port_unwatch(e->cap);
	port_cap_drop(e->cap);
	e->cap = PROCD_NO_CAP;
	e->owner = 0;
}

void procd_endpoints_drop_minted(struct procd *d, const struct procd_proc *p)
{
	procd_endpoints_of(d, p, procd_endpoint_close);
}
