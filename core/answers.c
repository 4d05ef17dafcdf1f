/* SPDX-License-Identifier: ISC */
#include "core/abi/procd_status.h"
#include "core/answers.h"
#include "core/daemon.h"
#include "core/reply.h"

static void answer(struct procd *d, const struct procd_waiter *w, uint32_t status, const struct procd_msg_event *e)
{
	procd_send_reply(d, w->ep, PROCD_OP_WAIT_PROCESS_EVENT, w->tag, status, e, e ? sizeof *e : 0, 0, 0);
	procd_waiter_free(&d->waiters, w);
}

void procd_answer_event(struct procd *d, const struct procd_proc *p)
{
	const struct procd_waiter *w;

	for (uint32_t i = 0; (w = procd_waiters_next(&d->waiters, &i));) {
		const struct procd_msg_event *e;

		if (w->pid != p->pid)
			continue;
		e = procd_proc_event_after(p, w->after_seq);
		if (e)
			answer(d, w, PROCD_OK, e);
	}
}

void procd_answer_retired(struct procd *d, uint32_t pid)
{
	const struct procd_waiter *w;

	for (uint32_t i = 0; (w = procd_waiters_next(&d->waiters, &i));)
		if (w->pid == pid)
			answer(d, w, PROCD_E_NOT_FOUND, 0);
}

uint64_t procd_answer_timeouts(struct procd *d, uint64_t now, uint64_t next)
{
	const struct procd_waiter *w;

	for (uint32_t i = 0; (w = procd_waiters_next(&d->waiters, &i));) {
		if (now >= w->deadline_ms)
			answer(d, w, PROCD_E_TIMEOUT, 0);
		else if (w->deadline_ms < next)
			next = w->deadline_ms;
	}
	return next;
}
