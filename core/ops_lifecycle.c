/* SPDX-License-Identifier: ISC */
/*
 * The lifecycle ops. Each handler checks everything about its request
 * (role, policy, requester, state) before it changes anything; the
 * descriptors below declare where each op is accepted, and the dispatcher
 * enforces that first.
 */
#include "core/dispatch.h"
#include "core/cspace.h"
#include "core/lifecycle.h"
#include "core/modules.h"
#include "core/waiters.h"
#include "core/text.h"

/* The policy of the role a caller asks for, if this caller may ask for it
 * here and may hold one more child. */
static const struct procd_policy *requested_role(struct procd *d, struct procd_request *rq,
						 uint32_t role, uint32_t *status)
{
	const struct procd_policy *policy = procd_policy_by_role(&d->reg, role);

	if (!policy) {
		*status = PROCD_E_NOT_FOUND;
		return 0;
	}
	*status = procd_may_request(policy, rq->from, &rq->refusal);
	if (*status == PROCD_OK)
		*status = procd_may_hold(d, rq->from->role, PROCD_HOLD_CHILD, &rq->refusal);
	return *status == PROCD_OK ? policy : 0;
}

/* procd keeps its own hold on a foundation role's alias, so that when named
 * later publishes logd's or crashd's endpoint procd can tell it is really
 * that role's (core/peers.c). */
static void remember_foundation_alias(struct procd_proc *p, procd_cap alias)
{
	if (p->policy->role_class == PROCD_CLASS_FOUNDATION)
		p->kept_alias = port_cap_dup(alias);
}

static uint32_t op_create(struct procd *d, struct procd_request *rq)
{
	const struct procd_policy *policy;
	struct procd_proc *p;
	uint32_t status;

	if (rq->body.create.reserved != 0)
		return PROCD_E_INVALID;
	policy = requested_role(d, rq, rq->body.create.role, &status);
	if (!policy)
		return status;
	status = procd_create(d, policy, rq->ep, rq->from->role, &p, &rq->out_caps[0], &rq->out_caps[1]);
	if (status != PROCD_OK)
		return status;
	remember_foundation_alias(p, rq->out_caps[0]);
	rq->nout_caps = 2;
	rq->out.created.pid = p->pid;
	rq->out.created.window = policy->window;
	rq->out_len = sizeof rq->out.created;
	rq->created_pid = p->pid;
	procd_log_proc(p, "staged", "");
	return PROCD_OK;
}

/* SPAWN and SPAWN_SERVICE: the staged path in one request, with what procd
 * holds from rootd's transfer installed as the policy allows. */
static uint32_t spawn(struct procd *d, struct procd_request *rq)
{
	const struct procd_policy *policy;
	struct procd_proc *p;
	uint32_t status;

	policy = requested_role(d, rq, rq->body.spawn.role, &status);
	if (!policy)
		return status;
	/* Denied before anything is built, as procd_start would deny it. */
	status = procd_module_check(&d->modules, policy, rq->body.spawn.image_module, &rq->refusal);
	if (status != PROCD_OK)
		return status;
	/* No install grant: what it is given, it is given here. */
	status = procd_create(d, policy, rq->ep, rq->from->role, &p, &rq->out_caps[0], NULL);
	if (status != PROCD_OK)
		return status;
	remember_foundation_alias(p, rq->out_caps[0]);
	rq->nout_caps = 1;
	status = procd_install_transferred(d, p);
	if (status == PROCD_OK)
		status = procd_start(d, p, rq->body.spawn.image_module, &rq->refusal);
	if (status != PROCD_OK) {
		procd_abort(d, p);
		return status;
	}
	rq->out.pid.pid = p->pid;
	rq->out_len = sizeof rq->out.pid;
	rq->created_pid = p->pid;
	return PROCD_OK;
}

static uint32_t op_spawn_service(struct procd *d, struct procd_request *rq)
{
	return spawn(d, rq);
}

/* The legacy generic Phase0SpawnRequestV1 starts extension/test roles only:
 * a declared service must come through its typed path. */
static uint32_t op_spawn_legacy(struct procd *d, struct procd_request *rq)
{
	uint32_t status = procd_may_spawn_legacy(rq->body.spawn.role, &rq->refusal);

	return status == PROCD_OK ? spawn(d, rq) : status;
}

static uint32_t reply_pid(struct procd_request *rq, uint32_t pid)
{
	rq->out.pid.pid = pid;
	rq->out_len = sizeof rq->out.pid;
	return PROCD_OK;
}

static uint32_t op_start(struct procd *d, struct procd_request *rq)
{
	uint32_t status;
	struct procd_proc *p = procd_target(d, rq, rq->body.start.pid, &status);

	if (!p)
		return status;
	status = procd_start(d, p, rq->body.start.image_module, &rq->refusal);
	return status == PROCD_OK ? reply_pid(rq, rq->body.start.pid) : status;
}

/* The process a procd_msg_pid request names, if the caller may act on it. */
static struct procd_proc *pid_target(struct procd *d, struct procd_request *rq, uint32_t *status)
{
	if (rq->body.pid.reserved != 0) {
		*status = PROCD_E_INVALID;
		return 0;
	}
	return procd_target(d, rq, rq->body.pid.pid, status);
}

/* ABORT and STOP: one lifecycle event for the named process. */
static uint32_t pid_event(struct procd *d, struct procd_request *rq,
			  uint32_t (*event)(struct procd *, struct procd_proc *))
{
	uint32_t status;
	struct procd_proc *p = pid_target(d, rq, &status);

	if (!p)
		return status;
	status = event(d, p);
	return status == PROCD_OK ? reply_pid(rq, rq->body.pid.pid) : status;
}

static uint32_t op_abort(struct procd *d, struct procd_request *rq)
{
	return pid_event(d, rq, procd_abort);
}

static uint32_t op_stop(struct procd *d, struct procd_request *rq)
{
	return pid_event(d, rq, procd_stop);
}

static uint32_t op_wait(struct procd *d, struct procd_request *rq)
{
	const struct procd_msg_wait *w = &rq->body.wait;
	const struct procd_msg_event *e;
	uint32_t status;
	struct procd_proc *p;

	if (w->reserved != 0)
		return PROCD_E_INVALID;
	p = procd_target(d, rq, w->pid, &status);
	if (!p)
		return status;
	e = procd_proc_event_after(p, w->after_seq);
	if (e) {
		rq->out.event = *e;
		rq->out_len = sizeof rq->out.event;
		return PROCD_OK;
	}
	if (w->timeout_ms == 0)
		return PROCD_E_TIMEOUT;
	status = procd_may_hold(d, rq->from->role, PROCD_HOLD_WAIT, &rq->refusal);
	if (status == PROCD_OK)
		status = procd_waiter_park(&d->waiters, p->pid, rq->ep, rq->hdr.tag, w->after_seq,
					   port_now_ms() + w->timeout_ms);
	rq->deferred = status == PROCD_OK;
	return status;
}

static uint32_t op_query(struct procd *d, struct procd_request *rq)
{
	struct procd_msg_info *info = &rq->out.info;
	const struct procd_msg_event *last;
	uint32_t status;
	struct procd_proc *p = pid_target(d, rq, &status);

	if (!p)
		return status;
	info->pid = p->pid;
	info->role = p->policy->role;
	info->state = p->state;
	info->restarts = p->sup.restarts;
	last = p->last_seq ? procd_proc_event_after(p, p->last_seq - 1) : 0;
	if (last) {
		info->last_seq = last->seq;
		info->last_kind = last->kind;
		info->last_code = last->code;
	}
	rq->out_len = sizeof *info;
	return PROCD_OK;
}

static uint32_t op_set_restart(struct procd *d, struct procd_request *rq)
{
	uint32_t status;
	struct procd_proc *p;

	if (!procd_restart_params_valid(&rq->body.restart))
		return PROCD_E_INVALID;
	p = procd_target(d, rq, rq->body.restart.pid, &status);
	if (!p)
		return status;
	procd_supervision_set(&p->sup, &rq->body.restart);
	return reply_pid(rq, p->pid);
}

static uint32_t op_get_restart(struct procd *d, struct procd_request *rq)
{
	uint32_t status;
	struct procd_proc *p = pid_target(d, rq, &status);

	if (!p)
		return status;
	rq->out.restart = p->sup.params;
	rq->out.restart.pid = p->pid;
	rq->out_len = sizeof rq->out.restart;
	return PROCD_OK;
}

/*
 * Where each op is accepted. Lifecycle ops take any caller role on either
 * endpoint: the target role's policy (requesters, endpoint) and the
 * process's creator then decide, so a drv-* child is reachable only on the
 * driver endpoint and every other child only on the bootstrap endpoint.
 */
#define LIFECYCLE_OP(ident_, id_, body_, handler_)                             \
	PROCD_OP(ident_) = {                                                   \
		.name = #id_,                                                  \
		.id = PROCD_OP_##id_,                                          \
		.endpoints = PROCD_EP_ALL,                                     \
		.callers = { PROCD_CALLER_ANY },                               \
		.request_size = sizeof(struct body_),                          \
		.handler = handler_,                                           \
	}

LIFECYCLE_OP(spawn,               SPAWN,                  procd_msg_spawn,   op_spawn_legacy);
LIFECYCLE_OP(spawn_service,       SPAWN_SERVICE,          procd_msg_spawn,   op_spawn_service);
LIFECYCLE_OP(stop_process,        STOP_PROCESS,           procd_msg_pid,     op_stop);
LIFECYCLE_OP(create_staged,       CREATE_STAGED_PROCESS,  procd_msg_create,  op_create);
LIFECYCLE_OP(start_staged,        START_STAGED_PROCESS,   procd_msg_start,   op_start);
LIFECYCLE_OP(abort_staged,        ABORT_STAGED_PROCESS,   procd_msg_pid,     op_abort);
LIFECYCLE_OP(wait_process_event,  WAIT_PROCESS_EVENT,     procd_msg_wait,    op_wait);
LIFECYCLE_OP(query_process,       QUERY_PROCESS,          procd_msg_pid,     op_query);
LIFECYCLE_OP(set_restart_policy,  SET_RESTART_POLICY,     procd_msg_restart, op_set_restart);
LIFECYCLE_OP(get_restart_policy,  GET_RESTART_POLICY,     procd_msg_pid,     op_get_restart);
