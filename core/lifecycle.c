/* SPDX-License-Identifier: ISC */
#include "core/abi/procd_status.h"
#include "core/dispatch.h"
#include "core/lifecycle.h"
#include "core/peers.h"
#include "core/slots.h"
#include "core/text.h"
#include "core/transfer.h"

enum lc_event { EV_START, EV_ABORT, EV_STOP, EV_END, EV_DUE, EV_COUNT };

enum lc_action {
	ACT_NONE,    /* cannot happen in this state */
	ACT_BUSY,    /* refused: PROCD_E_BUSY, nothing changes */
	ACT_SPAWN,   /* start the first instance */
	ACT_RETIRE,  /* drop everything, free the record */
	ACT_KILL,    /* end the instance at once, then retire */
	ACT_JUDGE,   /* the instance ended: ask the supervisor */
	ACT_RESPAWN, /* the backoff is over: start the next instance */
};

/* rows: PROCD_STATE_STAGED .. PROCD_STATE_ENDED (1..4) */
static const unsigned char actions[5][EV_COUNT] = {
	/*           START      ABORT       STOP        END        DUE */
	[PROCD_STATE_STAGED]  = { ACT_SPAWN, ACT_RETIRE, ACT_RETIRE, ACT_NONE,  ACT_NONE },
	[PROCD_STATE_RUNNING] = { ACT_BUSY,  ACT_BUSY,   ACT_KILL,   ACT_JUDGE, ACT_NONE },
	[PROCD_STATE_BACKOFF] = { ACT_BUSY,  ACT_BUSY,   ACT_RETIRE, ACT_NONE,  ACT_RESPAWN },
	[PROCD_STATE_ENDED]   = { ACT_BUSY,  ACT_BUSY,   ACT_RETIRE, ACT_NONE,  ACT_NONE },
};

static enum lc_action action_for(const struct procd_proc *p, enum lc_event ev)
{
	if (p->state < PROCD_STATE_STAGED || p->state > PROCD_STATE_ENDED)
		return ACT_NONE;
	return (enum lc_action)actions[p->state][ev];
}

/* Every state change goes through here, so the count of children backing
 * off (which gates the tick's walk of the table) cannot drift. */
static void set_state(struct procd *d, struct procd_proc *p, uint32_t state)
{
	if (p->state == PROCD_STATE_BACKOFF)
		d->nbackoff--;
	if (state == PROCD_STATE_BACKOFF)
		d->nbackoff++;
	p->state = state;
}

static uint32_t index_of(struct procd *d, const struct procd_proc *p)
{
	return procd_proc_index(&d->table, p);
}

/* Minted aliases live at fixed endpoint entries: three per process entry. */
static uint32_t minted_ep(struct procd *d, const struct procd_proc *p, uint8_t kind)
{
	uint32_t k = kind == PROCD_EP_DRIVER ? 1u : kind == PROCD_EP_NOTIFY ? 2u : 0u;

	return 2u + PROCD_MINTED_KINDS * index_of(d, p) + k;
}

static const uint8_t minted_kinds[PROCD_MINTED_KINDS] = { PROCD_EP_BOOTSTRAP, PROCD_EP_DRIVER, PROCD_EP_NOTIFY };

/* "procd: <role> (pid N) <what> <num><unit>" */
static void log_event(const struct procd_proc *p, const char *what, uint32_t num, const char *unit)
{
	char tail[48];
	struct procd_text t;

	procd_text_init(&t, tail, sizeof tail);
	procd_text_str(&t, " ");
	procd_text_u32(&t, num);
	procd_text_str(&t, unit);
	procd_log_proc(p, what, tail);
}

static void record(struct procd *d, struct procd_proc *p, uint32_t kind, int32_t code)
{
	procd_proc_event(p, kind, code);
	procd_wake_waiters(d, p);
}

uint32_t procd_create(struct procd *d, const struct procd_policy *policy, uint32_t ep,
		      uint32_t creator_role, struct procd_proc **out, procd_cap *alias, procd_cap *grant)
{
	procd_cap self = PROCD_NO_CAP, grant_server = PROCD_NO_CAP;
	struct procd_proc *p;

	*alias = *grant = PROCD_NO_CAP;
	p = procd_proc_alloc(&d->table, policy);
	if (!p)
		return PROCD_E_NO_SPACE;
	if (port_endpoint_pair(&self, alias) != 0)
		goto fail;
	if (port_endpoint_pair(&grant_server, grant) != 0)
		goto fail;
	if (port_watch(grant_server, PORT_WATCH_GRANT, index_of(d, p)) != 0)
		goto fail;
	set_state(d, p, PROCD_STATE_STAGED);
	p->creator_ep = ep;
	p->creator_role = creator_role;
	p->grant = grant_server;
	p->cspace[0].slot = SLOT_SELF_ENDPOINT;
	p->cspace[0].cap = self;
	p->ncaps = 1;
	*out = p;
	return PROCD_OK;
fail:
	port_cap_drop(self);
	port_cap_drop(*alias);
	port_cap_drop(grant_server);
	port_cap_drop(*grant);
	*alias = *grant = PROCD_NO_CAP;
	procd_proc_free(&d->table, p);
	return PROCD_E_IO;
}

uint32_t procd_install(struct procd *d, struct procd_proc *p, uint32_t slot, procd_cap cap,
		       struct procd_refusal *why)
{
	uint32_t status = procd_may_install(p, slot, 1, port_cap_kind(cap), why);

	(void)d;
	if (status != PROCD_OK)
		return status;
	p->cspace[p->ncaps].slot = slot;
	p->cspace[p->ncaps].cap = cap;
	p->ncaps++;
	return PROCD_OK;
}

uint32_t procd_install_procd_alias(struct procd *d, struct procd_proc *p, uint32_t slot,
				   struct procd_refusal *why)
{
	uint32_t status = procd_may_install(p, slot, 0, PROCD_CAP_NONE, why);
	uint8_t kind = procd_slot_minted_endpoint(slot);
	uint32_t e = minted_ep(d, p, kind);
	procd_cap server, client;

	if (status != PROCD_OK)
		return status;
	if (port_endpoint_pair(&server, &client) != 0)
		return PROCD_E_IO;
	if (port_watch(server, PORT_WATCH_ENDPOINT, e) != 0) {
		port_cap_drop(server);
		port_cap_drop(client);
		return PROCD_E_IO;
	}
	d->eps[e].cap = server;
	d->eps[e].kind = kind;
	d->eps[e].role = p->policy->role;
	d->eps[e].owner = p->pid;
	p->cspace[p->ncaps].slot = slot;
	p->cspace[p->ncaps].cap = client;
	p->ncaps++;
	return PROCD_OK;
}

uint32_t procd_install_transferred(struct procd *d, struct procd_proc *p)
{
	for (uint32_t i = 0; i < d->ntransferred; i++) {
		uint32_t slot = d->transferred[i].slot;
		procd_cap copy;
		uint32_t status;

		/* Only what the policy grants; anything else is simply not given. */
		if (procd_may_install(p, slot, 1, d->transferred[i].kind, 0) != PROCD_OK)
			continue;
		copy = port_cap_dup(d->transferred[i].cap);
		if (copy == PROCD_NO_CAP)
			return PROCD_E_IO;
		status = procd_install(d, p, slot, copy, 0);
		if (status != PROCD_OK) {
			port_cap_drop(copy);
			return status;
		}
	}
	return PROCD_OK;
}

uint32_t procd_module_of(const struct procd *d, const struct procd_policy *policy)
{
	size_t n = procd_strnlen(policy->image, sizeof policy->image);

	for (uint32_t i = 0; i < d->nmodules; i++)
		if (procd_field_eq(d->modules[i].name, PROCD_MODULE_NAME_MAX, policy->image, n))
			return i;
	return PROCD_IMAGE_OF_ROLE; /* no such module */
}

uint32_t procd_module_check(const struct procd *d, const struct procd_policy *policy, uint32_t module,
			    struct procd_refusal *why)
{
	if (module >= d->nmodules)
		return PROCD_E_NOT_FOUND;
	return procd_may_run_module(policy, d->modules[module].name,
				    procd_strnlen(d->modules[module].name, PROCD_MODULE_NAME_MAX), why);
}

void procd_drop_minted(struct procd *d, const struct procd_proc *p)
{
	for (uint32_t k = 0; k < PROCD_MINTED_KINDS; k++) {
		struct procd_endpoint *e = &d->eps[minted_ep(d, p, minted_kinds[k])];

		if (e->cap != PROCD_NO_CAP && e->owner == p->pid)
			procd_endpoint_close(d, (uint32_t)(e - d->eps));
	}
}

/* Starts one instance from the child's CSpace; the record stays as it was
 * if the platform refuses. */
static uint32_t spawn_instance(struct procd *d, struct procd_proc *p, uint64_t now)
{
	uint32_t slots[PROCD_POLICY_SLOTS];
	procd_cap caps[PROCD_POLICY_SLOTS];
	struct port_child spec = {
		.image = p->own_image != PROCD_NO_CAP ? p->own_image : d->modules[p->image_module].cap,
		.window = p->policy->window,
		.ncaps = p->ncaps,
		.slots = slots,
		.caps = caps,
	};
	procd_cap handle;
	int64_t os_id;

	for (uint32_t i = 0; i < p->ncaps; i++) {
		slots[i] = p->cspace[i].slot;
		caps[i] = p->cspace[i].cap;
	}
	if (port_process_start(&spec, &handle, &os_id) != 0)
		return PROCD_E_IO;
	if (port_watch(handle, PORT_WATCH_PROCESS, index_of(d, p)) != 0) {
		uint32_t kind;
		int32_t code;

		port_process_kill(handle);
		port_process_collect(handle, 1, &kind, &code);
		port_cap_drop(handle);
		return PROCD_E_IO;
	}
	p->handle = handle;
	p->os_id = os_id;
	p->started_ms = now;
	set_state(d, p, PROCD_STATE_RUNNING);
	return PROCD_OK;
}

void procd_close_grant(struct procd_proc *p)
{
	if (p->grant == PROCD_NO_CAP)
		return;
	port_unwatch(p->grant);
	port_cap_drop(p->grant);
	p->grant = PROCD_NO_CAP;
}

/* Staged children whose creator was the process being retired or ended. */
static void abort_orphans_of(struct procd *d, const struct procd_proc *creator);

static void retire(struct procd *d, struct procd_proc *p, uint32_t kind)
{
	procd_close_grant(p);
	if (p->handle != PROCD_NO_CAP) {
		port_unwatch(p->handle);
		port_cap_drop(p->handle);
		p->handle = PROCD_NO_CAP;
	}
	for (uint32_t i = 0; i < p->ncaps; i++)
		port_cap_drop(p->cspace[i].cap);
	p->ncaps = 0;
	port_cap_drop(p->own_image);
	port_cap_drop(p->kept_alias);
	p->own_image = p->kept_alias = PROCD_NO_CAP;
	set_state(d, p, 0);
	procd_peer_gone(d, p->pid);
	abort_orphans_of(d, p); /* while p's minted aliases still name it */
	procd_drop_minted(d, p);
	record(d, p, kind, 0);
	/* Waiters still parked on a retired id would wait for nothing. */
	for (uint32_t i = 0; i < PROCD_MAX_WAITERS; i++) {
		struct procd_waiter *w = &d->waiters[i];

		if (w->pid != p->pid)
			continue;
		procd_send_reply(d, w->ep, PROCD_OP_WAIT_PROCESS_EVENT, w->tag, PROCD_E_NOT_FOUND, 0, 0, 0, 0);
		w->pid = 0;
	}
	procd_proc_free(&d->table, p);
}

static void abort_orphans_of(struct procd *d, const struct procd_proc *creator)
{
	/* What a process sent through its minted aliases dies with it too:
	 * its unfinished loader transfers first. */
	for (uint32_t k = 0; k < PROCD_MINTED_KINDS; k++) {
		uint32_t e = minted_ep(d, creator, minted_kinds[k]);

		if (d->eps[e].owner == creator->pid)
			procd_transfers_abandon(d, e);
	}
	/* Only a process holding a minted alias of procd can have created
	 * anything; most cannot, and need no walk of the table. */
	if (d->eps[minted_ep(d, creator, PROCD_EP_BOOTSTRAP)].owner != creator->pid &&
	    d->eps[minted_ep(d, creator, PROCD_EP_DRIVER)].owner != creator->pid)
		return;
	for (uint32_t i = 0; i < PROCD_MAX_PROCESSES; i++) {
		struct procd_proc *q = &d->table.procs[i];
		uint32_t via = q->creator_ep;

		if (q->pid == 0 || q->state != PROCD_STATE_STAGED || via < 2)
			continue;
		if (d->eps[via].owner != creator->pid)
			continue;
		procd_log_proc(q, "reclaimed while staged", ": its creator is gone");
		retire(d, q, PROCD_EVENT_STOPPED);
	}
}

static uint32_t start_check(const struct procd_proc *p)
{
	switch (action_for(p, EV_START)) {
	case ACT_SPAWN:
		return PROCD_OK;
	case ACT_BUSY:
		return PROCD_E_BUSY;
	default:
		return PROCD_E_INVALID;
	}
}

static uint32_t start_first_instance(struct procd *d, struct procd_proc *p);

uint32_t procd_start(struct procd *d, struct procd_proc *p, uint32_t module, struct procd_refusal *why)
{
	uint32_t status = start_check(p);

	if (status != PROCD_OK)
		return status;
	if (module == PROCD_IMAGE_OF_ROLE)
		module = procd_module_of(d, p->policy);
	status = procd_module_check(d, p->policy, module, why);
	if (status != PROCD_OK)
		return status;
	p->image_module = module;
	return start_first_instance(d, p);
}

uint32_t procd_start_image(struct procd *d, struct procd_proc *p, procd_cap image)
{
	uint32_t status = start_check(p);

	if (status != PROCD_OK) {
		port_cap_drop(image);
		return status;
	}
	p->own_image = image;
	return start_first_instance(d, p);
}

static uint32_t start_first_instance(struct procd *d, struct procd_proc *p)
{
	uint32_t status = spawn_instance(d, p, port_now_ms());

	if (status != PROCD_OK)
		return status;
	procd_close_grant(p);
	log_event(p, "started as os pid", (uint32_t)p->os_id, "");
	record(d, p, PROCD_EVENT_STARTED, 0);
	return PROCD_OK;
}

uint32_t procd_abort(struct procd *d, struct procd_proc *p)
{
	switch (action_for(p, EV_ABORT)) {
	case ACT_RETIRE:
		procd_log_proc(p, "aborted while staged", "");
		retire(d, p, PROCD_EVENT_STOPPED);
		return PROCD_OK;
	case ACT_BUSY:
		return PROCD_E_BUSY;
	default:
		return PROCD_E_INVALID;
	}
}

uint32_t procd_stop(struct procd *d, struct procd_proc *p)
{
	uint32_t kind;
	int32_t code;

	switch (action_for(p, EV_STOP)) {
	case ACT_KILL:
		/* Synchronous: the instance is gone and collected before the
		 * reply, so no event of it can arrive after. */
		port_process_kill(p->handle);
		if (port_process_collect(p->handle, 1, &kind, &code) == 0)
			procd_proc_event(p, kind, code);
		/* fall through */
	case ACT_RETIRE:
		procd_log_proc(p, "stopped", "");
		retire(d, p, PROCD_EVENT_STOPPED);
		return PROCD_OK;
	default:
		return PROCD_E_INVALID;
	}
}

static const char *end_word(uint32_t kind)
{
	return kind == PROCD_EVENT_EXITED ? "exited with status" :
	       kind == PROCD_EVENT_FAULTED ? "faulted with signal" : "was killed by signal";
}

void procd_instance_ended(struct procd *d, struct procd_proc *p)
{
	uint64_t now = port_now_ms(), delay;
	uint32_t kind;
	int32_t code;

	if (action_for(p, EV_END) != ACT_JUDGE)
		return;
	if (port_process_collect(p->handle, 0, &kind, &code) != 0)
		return; /* not ended after all (or not ours to collect yet) */
	port_unwatch(p->handle);
	port_cap_drop(p->handle);
	p->handle = PROCD_NO_CAP;
	log_event(p, end_word(kind), (uint32_t)code, "");
	/* Its leftovers go before its end is reported, so whoever waits for
	 * the event sees procd already clean. */
	abort_orphans_of(d, p);
	procd_peer_gone(d, p->pid);
	if (kind != PROCD_EVENT_EXITED)
		procd_peer_crash(d, p, kind, code);
	record(d, p, kind, code);

	/* Once procd is stopping, an end is final: a Ctrl-C that reached the
	 * children too must not bring them back while procd takes them down. */
	if (d->stopping) {
		set_state(d, p, PROCD_STATE_ENDED);
		return;
	}
	switch (procd_supervise(&p->sup, kind, code, now, now - p->started_ms, &delay)) {
	case PROCD_VERDICT_END:
		set_state(d, p, PROCD_STATE_ENDED);
		break;
	case PROCD_VERDICT_GIVE_UP:
		set_state(d, p, PROCD_STATE_ENDED);
		log_event(p, "given up on after", p->sup.restarts, " restarts");
		record(d, p, PROCD_EVENT_GAVE_UP, (int32_t)p->sup.restarts);
		break;
	case PROCD_VERDICT_RESTART:
		set_state(d, p, PROCD_STATE_BACKOFF);
		p->restart_at_ms = now + delay;
		if (delay == 0)
			procd_restart_due(d, p, now);
		else
			log_event(p, "restarts in", (uint32_t)delay, " ms");
		break;
	}
}

void procd_restart_due(struct procd *d, struct procd_proc *p, uint64_t now)
{
	if (action_for(p, EV_DUE) != ACT_RESPAWN || now < p->restart_at_ms || d->stopping)
		return;
	if (spawn_instance(d, p, now) != PROCD_OK) {
		set_state(d, p, PROCD_STATE_ENDED);
		procd_log_proc(p, "could not be restarted", "; giving up");
		record(d, p, PROCD_EVENT_GAVE_UP, (int32_t)p->sup.restarts);
		return;
	}
	log_event(p, "restarted: restart", p->sup.restarts, "");
	record(d, p, PROCD_EVENT_RESTARTED, (int32_t)p->sup.restarts);
}

void procd_wake_waiters(struct procd *d, struct procd_proc *p)
{
	for (uint32_t i = 0; i < PROCD_MAX_WAITERS; i++) {
		struct procd_waiter *w = &d->waiters[i];
		const struct procd_msg_event *e;

		if (w->pid != p->pid)
			continue;
		e = procd_proc_event_after(p, w->after_seq);
		if (!e)
			continue;
		procd_send_reply(d, w->ep, PROCD_OP_WAIT_PROCESS_EVENT, w->tag, PROCD_OK, e, sizeof *e, 0, 0);
		w->pid = 0;
	}
}
