/* SPDX-License-Identifier: ISC */
#include "core/abi/procd_status.h"
#include "core/daemon.h"
#include "core/reply.h"
#include "core/waiters.h"

uint32_t procd_waiter_park(struct procd *d, uint32_t pid, uint32_t ep, uint32_t tag, uint32_t after_seq,
			   uint64_t deadline_ms)
{
	for (uint32_t i = 0; i < PROCD_MAX_WAITERS; i++) {
		struct procd_waiter *w = &d->waiters[i];

		if (w->pid != 0)
			continue;
		*w = (struct procd_waiter){ .pid = pid, .ep = ep, .tag = tag, .after_seq = after_seq,
					    .deadline_ms = deadline_ms };
		return PROCD_OK;
	}
	return PROCD_E_NO_SPACE;
}

static void answer(struct procd *d, struct procd_waiter *w, uint32_t status, const struct procd_msg_event *e)
{
	procd_send_reply(d, w->ep, PROCD_OP_WAIT_PROCESS_EVENT, w->tag, status, e, e ? sizeof *e : 0, 0, 0);
	w->pid = 0;
}

void procd_waiters_wake(struct procd *d, const struct procd_proc *p)
{
	for (uint32_t i = 0; i < PROCD_MAX_WAITERS; i++) {
		struct procd_waiter *w = &d->waiters[i];
		const struct procd_msg_event *e;

		if (w->pid != p->pid)
			continue;
		e = procd_proc_event_after(p, w->after_seq);
		if (e)
			answer(d, w, PROCD_OK, e);
	}
}

void procd_waiters_retire(struct procd *d, uint32_t pid)
{
	for (uint32_t i = 0; i < PROCD_MAX_WAITERS; i++)
		if (d->waiters[i].pid == pid)
			answer(d, &d->waiters[i], PROCD_E_NOT_FOUND, 0);
}

void procd_waiters_drop_endpoint(struct procd *d, uint32_t ep)
{
	for (uint32_t i = 0; i < PROCD_MAX_WAITERS; i++)
		if (d->waiters[i].pid != 0 && d->waiters[i].ep == ep)
			d->waiters[i].pid = 0;
}

uint64_t procd_waiters_tick(struct procd *d, uint64_t now, uint64_t next)
{
	for (uint32_t i = 0; i < PROCD_MAX_WAITERS; i++) {
		struct procd_waiter *w = &d->waiters[i];

		if (w->pid == 0)
			continue;
		if (now >= w->deadline_ms)
			answer(d, w, PROCD_E_TIMEOUT, 0);
		else if (w->deadline_ms < next)
			next = w->deadline_ms;
	}
	return next;
}
