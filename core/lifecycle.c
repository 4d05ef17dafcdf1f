/* SPDX-License-Identifier: ISC */
#include "core/abi/procd_status.h"
#include "core/answers.h"
#include "core/cspace.h"
#include "core/endpoints.h"
#include "core/hooks.h"
#include "core/lifecycle.h"
#include "core/log.h"
#include "core/modules.h"
#include "core/text.h"

enum lc_event { EV_START, EV_ABORT, EV_STOP, EV_END, EV_DUE, EV_COUNT };

/* What an event brings with it. */
struct lc_args {
	uint32_t module;    /* START: the boot module (PROCD_IMAGE_OF_ROLE: the role's) */
	procd_cap image;    /* START: an image procd materialized, or PROCD_NO_CAP */
	uint64_t now;       /* DUE */
	struct procd_refusal *why;
};

typedef uint32_t (*lc_action)(struct procd *d, struct procd_proc *p, struct lc_args *a);

/* ---- helpers of the actions ---- */

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
	procd_answer_event(d, p);
}

/* Starts one instance from the child's CSpace; the record stays as it was
 * if the platform refuses. */
static uint32_t spawn_instance(struct procd *d, struct procd_proc *p, uint64_t now)
{
	uint32_t slots[PROCD_POLICY_SLOTS];
	procd_cap caps[PROCD_POLICY_SLOTS];
	/* A child without its own image runs the boot module its start was
	 * checked against. */
	struct port_child spec = {
		.image = p->own_image != PROCD_NO_CAP ? p->own_image
						      : procd_module_at(&d->modules, p->image_module)->cap,
		.window = p->policy->window,
		.ncaps = p->ncaps,
		.slots = slots,
		.caps = caps,
	};
	uint32_t index = procd_proc_index(&d->table, p);
	procd_cap handle;
	int64_t os_id;

	for (uint32_t i = 0; i < p->ncaps; i++) {
		slots[i] = p->cspace[i].slot;
		caps[i] = p->cspace[i].cap;
	}
	if (port_process_start(&spec, &handle, &os_id) != 0)
		return PROCD_E_IO;
	if (port_watch(handle, PORT_WATCH_PROCESS, index) != 0) {
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

static void drop_handle(struct procd_proc *p)
{
	if (p->handle == PROCD_NO_CAP)
		return;
	port_unwatch(p->handle);
	port_cap_drop(p->handle);
	p->handle = PROCD_NO_CAP;
}

static void retire(struct procd *d, struct procd_proc *p, uint32_t kind);

/* What a process created through its minted aliases dies with it: its
 * children still staged. Most processes hold no such alias and need no
 * walk of the table. */
static void reclaim_staged_children_of(struct procd *d, const struct procd_proc *creator)
{
	struct procd_proc *q;

	if (!procd_endpoint_minted(d, creator, PROCD_EP_BOOTSTRAP) &&
	    !procd_endpoint_minted(d, creator, PROCD_EP_DRIVER))
		return;
	for (uint32_t i = 0; (q = procd_proc_next_live(&d->table, &i)) != 0;) {
		uint32_t via = q->creator_ep;

		if (q->state != PROCD_STATE_STAGED || via < 2 ||
		    procd_endpoint_at(&d->endpoints, via)->owner != creator->pid)
			continue;
		procd_log_proc(q, "reclaimed while staged", ": its creator is gone");
		retire(d, q, PROCD_EVENT_STOPPED);
	}
}

/* Drops everything the record holds and frees it; the event is recorded
 * last, so whoever waits for it sees procd already clean. */
static void retire(struct procd *d, struct procd_proc *p, uint32_t kind)
{
	procd_close_grant(p);
	drop_handle(p);
	procd_cspace_drop(p);
	port_cap_drop(p->own_image);
	port_cap_drop(p->kept_alias);
	p->own_image = p->kept_alias = PROCD_NO_CAP;
	set_state(d, p, 0);
	procd_hooks_retiring(d, p); /* while p's minted aliases still name it */
	reclaim_staged_children_of(d, p);
	procd_endpoints_drop_minted(d, p);
	record(d, p, kind, 0);
	procd_answer_retired(d, p->pid);
	procd_proc_free(&d->table, p);
}

static const char *end_word(uint32_t kind)
{
	return kind == PROCD_EVENT_EXITED ? "exited with status" :
	       kind == PROCD_EVENT_FAULTED ? "faulted with signal" : "was killed by signal";
}

/* ---- the actions ---- */

static uint32_t refuse_invalid(struct procd *d, struct procd_proc *p, struct lc_args *a)
{
	(void)d;
	(void)p;
	port_cap_drop(a->image);
	return PROCD_E_INVALID;
}

static uint32_t refuse_busy(struct procd *d, struct procd_proc *p, struct lc_args *a)
{
	(void)d;
	(void)p;
	port_cap_drop(a->image);
	return PROCD_E_BUSY;
}

static uint32_t start_first(struct procd *d, struct procd_proc *p, struct lc_args *a)
{
	uint32_t status;

	if (a->image != PROCD_NO_CAP) {
		p->own_image = a->image;
	} else {
		uint32_t module =
			a->module == PROCD_IMAGE_OF_ROLE ? procd_module_of(&d->modules, p->policy) : a->module;

		status = procd_module_check(&d->modules, p->policy, module, a->why);
		if (status != PROCD_OK)
			return status;
		p->image_module = module;
	}
	status = spawn_instance(d, p, port_now_ms());
	if (status != PROCD_OK)
		return status;
	procd_close_grant(p);
	log_event(p, "started as os pid", (uint32_t)p->os_id, "");
	record(d, p, PROCD_EVENT_STARTED, 0);
	return PROCD_OK;
}

static uint32_t abort_staged(struct procd *d, struct procd_proc *p, struct lc_args *a)
{
	(void)a;
	procd_log_proc(p, "aborted while staged", "");
	retire(d, p, PROCD_EVENT_STOPPED);
	return PROCD_OK;
}

static uint32_t stop_retire(struct procd *d, struct procd_proc *p, struct lc_args *a)
{
	(void)a;
	procd_log_proc(p, "stopped", "");
	retire(d, p, PROCD_EVENT_STOPPED);
	return PROCD_OK;
}

/* Synchronous: the instance is gone and collected before the reply, so no
 * event of it can arrive after. */
static uint32_t stop_kill(struct procd *d, struct procd_proc *p, struct lc_args *a)
{
	uint32_t kind;
	int32_t code;

	port_process_kill(p->handle);
	if (port_process_collect(p->handle, 1, &kind, &code) == 0)
		procd_proc_event(p, kind, code);
	return stop_retire(d, p, a);
}

static uint32_t respawn(struct procd *d, struct procd_proc *p, struct lc_args *a)
{
	if (a->now < p->restart_at_ms || d->stopping)
		return PROCD_OK;
	if (spawn_instance(d, p, a->now) != PROCD_OK) {
		set_state(d, p, PROCD_STATE_ENDED);
		procd_log_proc(p, "could not be restarted", "; giving up");
		record(d, p, PROCD_EVENT_GAVE_UP, (int32_t)p->sup.restarts);
		return PROCD_OK;
	}
	log_event(p, "restarted: restart", p->sup.restarts, "");
	record(d, p, PROCD_EVENT_RESTARTED, (int32_t)p->sup.restarts);
	return PROCD_OK;
}

static uint32_t judge_end(struct procd *d, struct procd_proc *p, struct lc_args *a)
{
	uint64_t now = port_now_ms(), delay;
	uint32_t kind;
	int32_t code;

	(void)a;
	if (port_process_collect(p->handle, 0, &kind, &code) != 0)
		return PROCD_OK; /* not ended after all (or not ours to collect yet) */
	drop_handle(p);
	log_event(p, end_word(kind), (uint32_t)code, "");
	/* Its leftovers go before its end is reported, so whoever waits for
	 * the event sees procd already clean. */
	reclaim_staged_children_of(d, p);
	procd_hooks_ended(d, p, kind, code);
	record(d, p, kind, code);
	/* Once procd is stopping, an end is final: a Ctrl-C that reached the
	 * children too must not bring them back while procd takes them down. */
	if (d->stopping) {
		set_state(d, p, PROCD_STATE_ENDED);
		return PROCD_OK;
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
			return respawn(d, p, &(struct lc_args){ .image = PROCD_NO_CAP, .now = now });
		log_event(p, "restarts in", (uint32_t)delay, " ms");
		break;
	}
	return PROCD_OK;
}

/* rows: PROCD_STATE_STAGED .. PROCD_STATE_ENDED (1..4); row 0, a free
 * entry, refuses everything. */
static const lc_action actions[5][EV_COUNT] = {
	/*                      START          ABORT          STOP          END             DUE */
	[0]                   = { refuse_invalid, refuse_invalid, refuse_invalid, refuse_invalid, refuse_invalid },
	[PROCD_STATE_STAGED]  = { start_first,    abort_staged,   stop_retire,    refuse_invalid, refuse_invalid },
	[PROCD_STATE_RUNNING] = { refuse_busy,    refuse_busy,    stop_kill,      judge_end,      refuse_invalid },
	[PROCD_STATE_BACKOFF] = { refuse_busy,    refuse_busy,    stop_retire,    refuse_invalid, respawn },
	[PROCD_STATE_ENDED]   = { refuse_busy,    refuse_busy,    stop_retire,    refuse_invalid, refuse_invalid },
};

static uint32_t feed(struct procd *d, struct procd_proc *p, enum lc_event ev, struct lc_args *a)
{
	uint32_t state = p->state <= PROCD_STATE_ENDED ? p->state : 0;

	return actions[state][ev](d, p, a);
}

/* ---- the events ---- */

uint32_t procd_create(struct procd *d, const struct procd_policy *policy, uint32_t ep,
		      uint32_t creator_role, struct procd_proc **out, procd_cap *alias, procd_cap *grant)
{
	procd_cap self = PROCD_NO_CAP, grant_server = PROCD_NO_CAP;
	struct procd_proc *p;

	*alias = PROCD_NO_CAP;
	if (grant)
		*grant = PROCD_NO_CAP;
	p = procd_proc_alloc(&d->table, policy, creator_role);
	if (!p)
		return PROCD_E_NO_SPACE;
	if (port_endpoint_pair(&self, alias) != 0)
		goto fail;
	if (grant && (port_endpoint_pair(&grant_server, grant) != 0 ||
		      port_watch(grant_server, PORT_WATCH_GRANT, procd_proc_index(&d->table, p)) != 0))
		goto fail;
	set_state(d, p, PROCD_STATE_STAGED);
	p->creator_ep = ep;
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
	*alias = PROCD_NO_CAP;
	if (grant) {
		port_cap_drop(*grant);
		*grant = PROCD_NO_CAP;
	}
	procd_proc_free(&d->table, p);
	return PROCD_E_IO;
}

uint32_t procd_start(struct procd *d, struct procd_proc *p, uint32_t module, struct procd_refusal *why)
{
	return feed(d, p, EV_START, &(struct lc_args){ .module = module, .image = PROCD_NO_CAP, .why = why });
}

uint32_t procd_start_image(struct procd *d, struct procd_proc *p, procd_cap image)
{
	return feed(d, p, EV_START, &(struct lc_args){ .image = image });
}

uint32_t procd_abort(struct procd *d, struct procd_proc *p)
{
	return feed(d, p, EV_ABORT, &(struct lc_args){ .image = PROCD_NO_CAP });
}

uint32_t procd_stop(struct procd *d, struct procd_proc *p)
{
	return feed(d, p, EV_STOP, &(struct lc_args){ .image = PROCD_NO_CAP });
}

void procd_instance_ended(struct procd *d, struct procd_proc *p)
{
	feed(d, p, EV_END, &(struct lc_args){ .image = PROCD_NO_CAP });
}

void procd_restart_due(struct procd *d, struct procd_proc *p, uint64_t now)
{
	feed(d, p, EV_DUE, &(struct lc_args){ .image = PROCD_NO_CAP, .now = now });
}
