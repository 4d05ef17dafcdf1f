/* SPDX-License-Identifier: ISC */
/*
 * What procd serves to loaderd: the image transfer (BEGIN, CHUNK, COMMIT).
 * Accepted only from loaderd and only on the bootstrap endpoint, as the
 * descriptors below declare. The transfer carries bytes and a segment plan,
 * nothing else: a request with any capability attached (a frame, an address
 * space, memory, an install grant, a service or peer endpoint) is denied by
 * the dispatcher before any handler runs, and the capability dropped.
 */
#include "core/dispatch.h"
#include "roles/loader/transfer.h"

static uint32_t op_begin(struct procd *d, struct procd_request *rq)
{
	const struct procd_msg_transfer_begin *m = &rq->body.begin;
	const struct procd_policy *policy = procd_policy_by_role(&d->reg, m->role);
	uint32_t id = 0, status;

	if (!policy)
		return PROCD_E_NOT_FOUND;
	status = procd_may_load(policy, &rq->refusal);
	if (status == PROCD_OK)
		status = procd_transfer_begin(d, rq->ep, policy, m, &id, &rq->refusal);
	if (status != PROCD_OK)
		return status;
	rq->out.transfer.transfer = id;
	rq->out.transfer.chunk_max = PROCD_CHUNK_MAX;
	rq->out_len = sizeof rq->out.transfer;
	return PROCD_OK;
}

static uint32_t op_chunk(struct procd *d, struct procd_request *rq)
{
	uint64_t received = 0;
	uint32_t status = procd_transfer_chunk(d, rq->ep, &rq->body.chunk, rq->trailing, rq->trailing_len,
					       &received, &rq->refusal);

	if (status != PROCD_OK)
		return status;
	rq->out.transfer.transfer = rq->body.chunk.transfer;
	rq->out.transfer.chunk_max = received > UINT32_MAX ? UINT32_MAX : (uint32_t)received;
	rq->out_len = sizeof rq->out.transfer;
	return PROCD_OK;
}

static uint32_t op_commit(struct procd *d, struct procd_request *rq)
{
	uint32_t pid = 0;
	uint32_t status = procd_transfer_commit(d, rq->ep, &rq->body.commit, &pid, &rq->refusal);

	if (status != PROCD_OK)
		return status;
	rq->out.pid.pid = pid;
	rq->out_len = sizeof rq->out.pid;
	return PROCD_OK;
}

PROCD_OP(begin_loader_image_transfer) = {
	.name = "BEGIN_LOADER_IMAGE_TRANSFER",
	.id = PROCD_OP_BEGIN_LOADER_IMAGE_TRANSFER,
	.endpoints = PROCD_EP_BOOTSTRAP,
	.callers = { ROLE_LOADERD },
	.request_size = sizeof(struct procd_msg_transfer_begin),
	.handler = op_begin,
};

PROCD_OP(send_loader_image_chunk) = {
	.name = "SEND_LOADER_IMAGE_CHUNK",
	.id = PROCD_OP_SEND_LOADER_IMAGE_CHUNK,
	.endpoints = PROCD_EP_BOOTSTRAP,
	.flags = PROCD_OP_TRAILING,
	.callers = { ROLE_LOADERD },
	.request_size = sizeof(struct procd_msg_transfer_chunk),
	.handler = op_chunk,
};

PROCD_OP(commit_loader_image_transfer) = {
	.name = "COMMIT_LOADER_IMAGE_TRANSFER",
	.id = PROCD_OP_COMMIT_LOADER_IMAGE_TRANSFER,
	.endpoints = PROCD_EP_BOOTSTRAP,
	.callers = { ROLE_LOADERD },
	.request_size = sizeof(struct procd_msg_transfer_commit),
	.handler = op_commit,
};
