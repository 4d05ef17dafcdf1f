/* SPDX-License-Identifier: ISC */
/*
 * Probe completion: a probing child signals on its notify alias (slot 21,
 * minted by procd); procd forwards the notice to its bootstrap peer,
 * rootd, without waiting for anyone: the child gets no reply, and a rootd
 * that is not reading loses the notice rather than stalling procd.
 */
#include "core/dispatch.h"
#include "core/log.h"

static uint32_t op_probe_complete(struct procd *d, struct procd_request *rq)
{
	struct procd_msg_probe_done notice = { .pid = rq->from->owner, .role = rq->from->role };
	struct procd_proc *p = procd_proc_find(&d->table, rq->from->owner);

	rq->deferred = 1; /* asynchronous: nothing goes back to the child */
	if (procd_send_reply(d, 0, PROCD_NOTIFY_PROBE_COMPLETE, 0, PROCD_OK, &notice, sizeof notice, 0, 0) != 0) {
		procd_log("procd: a probe completion could not be passed to rootd; dropped");
		return PROCD_OK;
	}
	if (p)
		procd_log_proc(p, "finished probing", "; rootd notified");
	return PROCD_OK;
}

PROCD_OP(probe_complete) = {
	.name = "PROBE_COMPLETE",
	.id = PROCD_OP_PROBE_COMPLETE,
	.endpoints = PROCD_EP_NOTIFY,
	.callers = { PROCD_CALLER_ANY },
	.request_size = sizeof(struct procd_msg_probe_done),
	.handler = op_probe_complete,
};
