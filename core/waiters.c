/* SPDX-License-Identifier: ISC */
#include "core/abi/procd_status.h"
#include "core/waiters.h"

uint32_t procd_waiter_park(struct procd_waiters *ws, uint32_t pid, uint32_t ep, uint32_t tag, uint32_t after_seq,
			   uint64_t deadline_ms)
{
	for (uint32_t i = 0; i < PROCD_MAX_WAITERS; i++) {
		struct procd_waiter *w = &ws->slot[i];

		if (w->pid != 0)
			continue;
		*w = (struct procd_waiter){ .pid = pid, .ep = ep, .tag = tag, .after_seq = after_seq,
					    .deadline_ms = deadline_ms };
		return PROCD_OK;
	}
	return PROCD_E_NO_SPACE;
}

const struct procd_waiter *procd_waiters_next(const struct procd_waiters *ws, uint32_t *cursor)
{
	while (*cursor < PROCD_MAX_WAITERS) {
		const struct procd_waiter *w = &ws->slot[(*cursor)++];

		if (w->pid != 0)
			return w;
	}
	return 0;
}

uint32_t procd_waiters_count(const struct procd_waiters *ws)
{
	uint32_t n = 0;

	for (uint32_t i = 0; procd_waiters_next(ws, &i);)
		n++;
	return n;
}

void procd_waiter_free(struct procd_waiters *ws, const struct procd_waiter *w)
{
	ws->slot[w - ws->slot].pid = 0;
}

void procd_waiters_drop_endpoint(struct procd_waiters *ws, uint32_t ep)
{
	for (uint32_t i = 0; i < PROCD_MAX_WAITERS; i++)
		if (ws->slot[i].pid != 0 && ws->slot[i].ep == ep)
			ws->slot[i].pid = 0;
}
