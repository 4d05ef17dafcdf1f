/* SPDX-License-Identifier: ISC */
#include "core/endpoints.h"
#include "core/port/erix/sys.h"
#include "core/port/erix/watch.h"

#define MAX_WATCHES (PROCD_MAX_ENDPOINTS + 2 * PROCD_MAX_PROCESSES) /* + grants, processes */

static struct erix_watch watches[MAX_WATCHES];
static struct erix_watch polled[ERIX_MAX_POLLED];
static uint32_t generation;
static procd_cap events = PROCD_NO_CAP;      /* the receive end every bound watch reports to */
static procd_cap events_peer = PROCD_NO_CAP; /* its other end, kept so it never hangs up */

/* Slots below ERIX_SLOT_FIRST are never capabilities: an entry holding
 * one (PROCD_NO_CAP, or the 0 of a never used entry) is free. */
static int in_use(const struct erix_watch *w)
{
	return w->cap >= (procd_cap)ERIX_SLOT_FIRST;
}

/* Badges are never 0 and never repeat for a reused entry. */
static uint64_t badge_of(uint32_t entry)
{
	return (uint64_t)watches[entry].generation << 32 | (entry + 1);
}

static int bind_kop(uint32_t op, procd_cap cap, uint64_t badge)
{
	struct erix_kop req = { .op = op, .arg = (uint32_t)cap, .value = badge };
	struct erix_kop_reply reply;
	struct erix_call_caps caps = erix_caps(&events, 1, 0, 0);

	return erix_kop(&req, sizeof req, &reply, sizeof reply, &caps) == 0 ? 0 : -1;
}

static int watch_polled(procd_cap cap, enum port_watch kind, uint32_t index)
{
	for (uint32_t i = 0; i < ERIX_MAX_POLLED; i++)
		if (!in_use(&polled[i])) {
			polled[i] = (struct erix_watch){ cap, kind, index, 0 };
			return 0;
		}
	return -1;
}

int port_watch(procd_cap cap, enum port_watch kind, uint32_t index)
{
	/* procd's intake (core's endpoints 0 and 1) is received on directly. */
	if (kind == PORT_WATCH_ENDPOINT && index < 2)
		return watch_polled(cap, kind, index);
	if (events == PROCD_NO_CAP && port_endpoint_pair(&events, &events_peer) != 0)
		return -1;
	for (uint32_t i = 0; i < MAX_WATCHES; i++) {
		if (in_use(&watches[i]))
			continue;
		watches[i] = (struct erix_watch){ cap, kind, index, ++generation };
		if (bind_kop(kind == PORT_WATCH_PROCESS ? ERIX_KOP_NOTIFY_END : ERIX_KOP_BIND, cap, badge_of(i)) != 0) {
			watches[i].cap = PROCD_NO_CAP;
			return -1;
		}
		return 0;
	}
	return -1;
}

void port_unwatch(procd_cap cap)
{
	/* An event still queued for it finds its badge stale and is dropped. */
	for (uint32_t i = 0; i < ERIX_MAX_POLLED; i++)
		if (polled[i].cap == cap)
			polled[i].cap = PROCD_NO_CAP;
	for (uint32_t i = 0; i < MAX_WATCHES; i++)
		if (watches[i].cap == cap)
			watches[i].cap = PROCD_NO_CAP;
}

const struct erix_watch *erix_watch_polled(uint32_t i)
{
	return i < ERIX_MAX_POLLED && in_use(&polled[i]) ? &polled[i] : 0;
}

procd_cap erix_watch_events(void)
{
	return events;
}

const struct erix_watch *erix_watch_of_badge(uint64_t badge)
{
	uint32_t entry = (uint32_t)(badge & 0xffffffffu) - 1;
	const struct erix_watch *w = entry < MAX_WATCHES ? &watches[entry] : 0;

	if (!w || !in_use(w) || w->generation != (uint32_t)(badge >> 32))
		return 0;
	return w;
}
