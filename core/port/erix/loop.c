/* SPDX-License-Identifier: ISC */
/*
 * The EriX request loop. The kernel receives on one endpoint at a time, so
 * (as the seed describes) procd blocks on its bootstrap endpoint with a
 * short timeout and, between timeouts, re-polls the driver endpoint and
 * every other watched capability, so that no driver request is stranded
 * behind bootstrap-only receive state.
 */
#include "core/port.h"
#include "core/port/erix/sys.h"

#define BOOTSTRAP_TIMEOUT_MS 10
#define MAX_WATCHES (PROCD_MAX_ENDPOINTS + 2 * PROCD_MAX_PROCESSES) /* + grants, processes */
#define MAX_RECV_CAPS 8

struct watch {
	procd_cap cap; /* PROCD_NO_CAP: free */
	enum port_watch kind;
	uint32_t index;
};

static struct watch watches[MAX_WATCHES];
static uint32_t nwatches; /* high-water mark of used entries */

int port_watch(procd_cap cap, enum port_watch kind, uint32_t index)
{
	for (uint32_t i = 0; i < MAX_WATCHES; i++) {
		if (i < nwatches && watches[i].cap != PROCD_NO_CAP)
			continue;
		watches[i] = (struct watch){ cap, kind, index };
		if (i >= nwatches)
			nwatches = i + 1;
		return 0;
	}
	return -1;
}

void port_unwatch(procd_cap cap)
{
	for (uint32_t i = 0; i < nwatches; i++)
		if (watches[i].cap == cap)
			watches[i].cap = PROCD_NO_CAP;
}

/* One receive on w; returns whether a message (or hang-up) was handled. */
static int serve(struct procd *d, const struct watch *w, uint32_t timeout_ms)
{
	static uint64_t buf[(PROCD_MSG_LARGE_MAX + 8) / 8];
	procd_cap caps[MAX_RECV_CAPS];
	long n;

	if (w->kind == PORT_WATCH_PROCESS) {
		procd_on_process_end(d, w->index); /* collects only if it ended */
		return 0;
	}
	n = erix_syscall(ERIX_SYS_RECV, w->cap, (long)buf, sizeof buf, (long)caps, MAX_RECV_CAPS, timeout_ms);
	/* Only a hang-up (or a slot that no longer holds an endpoint) ends
	 * the watch; anything else is this turn's, not the peer's. */
	if (n != -ERIX_EPIPE && n != -ERIX_EBADF && n < 0)
		return 0;
	if (n < 0) {
		if (w->kind == PORT_WATCH_ENDPOINT)
			procd_on_endpoint_closed(d, w->index);
		else
			procd_on_grant_closed(d, w->index);
		return 1;
	}
	/* The receive result: capabilities offered in the high half. */
	size_t len = (size_t)(n & 0xffffffff), ncaps = (size_t)(n >> 32);
	int truncated = len > PROCD_MSG_LARGE_MAX || ncaps > MAX_RECV_CAPS;

	if (ncaps > MAX_RECV_CAPS)
		ncaps = MAX_RECV_CAPS;
	if (w->kind == PORT_WATCH_ENDPOINT)
		procd_on_endpoint_message(d, w->index, buf, len > PROCD_MSG_LARGE_MAX ? PROCD_MSG_LARGE_MAX : len,
					  caps, ncaps, truncated);
	else
		procd_on_grant_message(d, w->index, buf, len > PROCD_MSG_LARGE_MAX ? PROCD_MSG_LARGE_MAX : len,
				       caps, ncaps, truncated);
	return 1;
}

void erix_serve(struct procd *d)
{
	while (!d->stopping) {
		uint64_t now = port_now_ms();
		uint64_t next = procd_on_tick(d, now);
		uint32_t timeout = BOOTSTRAP_TIMEOUT_MS;

		if (next != UINT64_MAX && next - now < timeout)
			timeout = next > now ? (uint32_t)(next - now) : 0;
		for (uint32_t i = 0; i < nwatches; i++) {
			const struct watch *w = &watches[i];

			if (w->cap == PROCD_NO_CAP)
				continue;
			/* Blocking (briefly) only on the bootstrap endpoint. */
			if (w->kind == PORT_WATCH_ENDPOINT && w->index == 0)
				serve(d, w, timeout);
			else
				serve(d, w, 0);
		}
	}
	procd_shutdown(d);
}
