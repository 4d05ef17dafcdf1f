/* SPDX-License-Identifier: ISC */
/*
 * One request, end to end: bounds-check the message, find its op, check the
 * endpoint and the caller role against the op's descriptor, decode the body
 * by the op's declared size, run the handler, reply. Everything that can
 * refuse a request does so before the handler mutates anything. A
 * capability attached to a request is kept only by an op that takes one
 * (PROCD_OP_TAKES_CAP: exactly one), when its handler says so and the
 * request succeeds; any other is denied and every capability dropped.
 */
#include "core/dispatch.h"
#include "core/lifecycle.h"
#include "core/reply.h"
#include "core/log.h"
#include "core/port.h"
#include "core/text.h"

struct procd_proc *procd_target(struct procd *d, struct procd_request *rq, uint32_t pid,
				uint32_t *status)
{
	struct procd_proc *p = procd_proc_find(&d->table, pid);

	if (!p) {
		*status = PROCD_E_NOT_FOUND;
		return 0;
	}
	*status = procd_may_manage(p, rq->from, &rq->refusal);
	return *status == PROCD_OK ? p : 0;
}

/* Denials (and quota refusals) are the security-relevant refusals: each
 * says who asked, for what, and which rule refused; core/log.c keeps a
 * flood of them from becoming a flood of lines. */
static void log_denial(const struct procd *d, const struct procd_request *rq, const struct procd_op *op)
{
	char buf[240];
	struct procd_text t;

	procd_text_init(&t, buf, sizeof buf);
	procd_text_str(&t, "procd: denied ");
	if (op)
		procd_text_field(&t, op->name, sizeof op->name);
	else
		procd_text_hex(&t, rq->hdr.op);
	procd_text_str(&t, " from ");
	procd_text_role(&t, &d->reg, rq->from->role);
	procd_text_str(&t, rq->from->kind == PROCD_EP_DRIVER ? " on the driver endpoint"
			   : rq->from->kind == PROCD_EP_NOTIFY ? " on a notify alias"
							       : " on the bootstrap endpoint");
	if (rq->refusal.target_role != ROLE_NONE) {
		procd_text_str(&t, " for ");
		procd_text_role(&t, &d->reg, rq->refusal.target_role);
	}
	if (rq->refusal.rule) {
		procd_text_str(&t, ": ");
		procd_text_str(&t, rq->refusal.rule);
	}
	procd_log_denial(t.buf, t.len);
}

/* The op's descriptor checks and the body decode; the handler's own checks
 * follow. Returns PROCD_OK to run the handler. */
static uint32_t admit(struct procd *d, struct procd_request *rq, const void *msg, size_t len,
		      size_t ncaps, const struct procd_op **opp)
{
	const struct procd_op *op;
	uint32_t status;
	size_t body;

	*opp = 0;
	procd_bytes_copy(&rq->hdr, msg, sizeof rq->hdr);
	if (rq->hdr.length != len || rq->hdr.status != 0)
		return PROCD_E_INVALID;
	op = procd_op_by_id(&d->reg, rq->hdr.op);
	*opp = op;
	if (!op)
		return PROCD_E_UNSUPPORTED;
	status = procd_may_call(op, rq->from, &rq->refusal);
	if (status == PROCD_OK)
		status = procd_may_attach(op, ncaps, &rq->refusal);
	if (status != PROCD_OK)
		return status;
	body = len - sizeof rq->hdr;
	if (op->flags & PROCD_OP_TRAILING) {
		if (body < op->request_size || body - op->request_size > PROCD_CHUNK_MAX)
			return PROCD_E_INVALID;
		rq->trailing = (const unsigned char *)msg + sizeof rq->hdr + op->request_size;
		rq->trailing_len = (uint32_t)(body - op->request_size);
	} else if (body != op->request_size) {
		return PROCD_E_INVALID;
	}
	procd_bytes_copy(rq->body.raw, (const unsigned char *)msg + sizeof rq->hdr, op->request_size);
	return PROCD_OK;
}

void procd_dispatch(struct procd *d, uint32_t ep, const void *msg, size_t len, const procd_cap *caps,
		    size_t ncaps, int truncated)
{
	static struct procd_request rq;
	const struct procd_op *op = 0;
	uint32_t status;

	procd_bytes_zero(&rq, sizeof rq);
	rq.ep = ep;
	rq.from = procd_endpoint_at(&d->endpoints, ep);
	/* Lines this request causes are charged to its caller's role. */
	procd_log_charge(&d->reg, rq.from->role);
	rq.cap = ncaps == 1 ? caps[0] : PROCD_NO_CAP;
	if (truncated || len < sizeof rq.hdr || len > PROCD_MSG_LARGE_MAX) {
		/* Not even a header to answer to: refuse with an empty one. */
		status = PROCD_E_INVALID;
		if (len >= sizeof rq.hdr)
			procd_bytes_copy(&rq.hdr, msg, sizeof rq.hdr);
	} else {
		status = admit(d, &rq, msg, len, ncaps, &op);
		if (status == PROCD_OK)
			status = op->handler(d, &rq);
	}
	for (size_t i = 0; i < ncaps; i++)
		if (!(i == 0 && rq.cap_kept && status == PROCD_OK))
			port_cap_drop(caps[i]);
	if (procd_is_denial(status))
		log_denial(d, &rq, op);
	if (rq.deferred && status == PROCD_OK) {
		procd_log_charge_end();
		return;
	}
	if (status != PROCD_OK) {
		for (uint32_t i = 0; i < rq.nout_caps; i++)
			port_cap_drop(rq.out_caps[i]);
		rq.out_len = rq.nout_caps = 0;
	}
	if (procd_send_reply(d, ep, rq.hdr.op, rq.hdr.tag, status, &rq.out, rq.out_len, rq.out_caps,
			     rq.nout_caps) != 0 && rq.created_pid != 0) {
		/* The caller never learns of the child: take it back. */
		struct procd_proc *p = procd_proc_find(&d->table, rq.created_pid);

		if (p)
			procd_stop(d, p);
	}
	for (uint32_t i = 0; i < rq.nout_caps; i++)
		port_cap_drop(rq.out_caps[i]);
	procd_log_charge_end();
}
