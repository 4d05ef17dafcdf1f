/* SPDX-License-Identifier: ISC */
/* procd's state: startup, and the events the request loop hands over. */
#include "core/daemon.h"
#include "core/dispatch.h"
#include "core/envelope.h"
#include "core/lifecycle.h"
#include "core/log.h"
#include "core/peers.h"
#include "core/smoke.h"
#include "core/startup.h"
#include "core/text.h"
#include "core/transfer.h"

int procd_init(struct procd *d, const void *envelope, size_t len)
{
	char buf[200];
	struct procd_text why;

	procd_bytes_zero(d, sizeof *d);
	for (uint32_t i = 0; i < PROCD_MAX_ENDPOINTS; i++)
		d->eps[i].cap = PROCD_NO_CAP;
	d->control = PROCD_NO_CAP;
	d->logd.cap = d->crashd.cap = PROCD_NO_CAP;
	for (uint32_t i = 0; i < PROCD_MAX_TRANSFERS; i++)
		d->transfers[i].staging = PROCD_NO_CAP;
	procd_proc_table_init(&d->table);
	if (procd_startup_registry(&d->reg) != 0)
		return -1;
	procd_text_init(&why, buf, sizeof buf);
	procd_text_str(&why, "procd: refusing to start: startup envelope: ");
	if (procd_envelope_load(d, envelope, len, &why) != 0) {
		port_log_line(why.buf, why.len);
		return -1;
	}
	PROCD_SMOKE("ENVELOPE_VALID");
	procd_peer_attach(d);
	/* Only now, with every intake slot checked, does procd listen. */
	if (port_watch(d->eps[0].cap, PORT_WATCH_ENDPOINT, 0) != 0 ||
	    port_watch(d->eps[1].cap, PORT_WATCH_ENDPOINT, 1) != 0) {
		procd_log("procd: refusing to start: cannot watch the intake endpoints");
		return -1;
	}
	PROCD_SMOKE("SERVING");
	procd_text_init(&why, buf, sizeof buf);
	procd_text_str(&why, "procd: serving: ");
	procd_text_u32(&why, d->nmodules);
	procd_text_str(&why, " boot modules, ");
	procd_text_u32(&why, d->ntransferred);
	procd_text_str(&why, " transferred slots, ");
	procd_text_u32(&why, PROCD_MAX_PROCESSES);
	procd_text_str(&why, " process entries");
	port_log_line(why.buf, why.len);
	return 0;
}

void procd_endpoint_close(struct procd *d, uint32_t ep)
{
	struct procd_endpoint *e = &d->eps[ep];

	/* A WAIT parked on it goes with it: the entry's next occupant must
	 * not be sent the answer. */
	for (uint32_t i = 0; i < PROCD_MAX_WAITERS; i++)
		if (d->waiters[i].pid != 0 && d->waiters[i].ep == ep)
			d->waiters[i].pid = 0;
	port_unwatch(e->cap);
	port_cap_drop(e->cap);
	e->cap = PROCD_NO_CAP;
	e->owner = 0;
}

void procd_on_endpoint_closed(struct procd *d, uint32_t ep)
{
	struct procd_endpoint *e = &d->eps[ep];

	if (e->cap == PROCD_NO_CAP)
		return;
	procd_transfers_abandon(d, ep);
	/* Children staged through this endpoint lost their creator. */
	for (uint32_t i = 0; i < PROCD_MAX_PROCESSES; i++) {
		struct procd_proc *p = &d->table.procs[i];

		if (p->pid != 0 && p->state == PROCD_STATE_STAGED && p->creator_ep == ep) {
			procd_log_proc(p, "reclaimed while staged", ": its creator hung up");
			procd_abort(d, p);
		}
	}
	procd_endpoint_close(d, ep);
	if (ep == 0) {
		procd_log("procd: the bootstrap peer hung up; stopping");
		d->stopping = 1;
	}
}

static uint32_t grant_install(struct procd *d, struct procd_proc *p, const struct procd_msg_install *m,
			      const procd_cap *caps, size_t ncaps, int *kept)
{
	uint32_t status;

	if (m->reserved != 0)
		return PROCD_E_INVALID;
	if (procd_minted_kind(m->slot) != 0) {
		/* procd's own endpoints are minted by procd, never passed in. */
		if (ncaps != 0)
			return PROCD_E_DENIED;
		return procd_install_procd_alias(d, p, m->slot, procd_minted_kind(m->slot));
	}
	if (ncaps != 1)
		return PROCD_E_INVALID;
	status = procd_install(d, p, m->slot, caps[0]);
	*kept = status == PROCD_OK;
	return status;
}

void procd_on_grant_message(struct procd *d, uint32_t index, const void *msg, size_t len,
			    const procd_cap *caps, size_t ncaps, int truncated)
{
	struct procd_proc *p = &d->table.procs[index];
	struct procd_msg_header h = { 0 };
	struct procd_msg_install m;
	uint64_t reply[2];
	uint32_t status = PROCD_E_INVALID;
	int kept = 0;

	if (len >= sizeof h)
		procd_bytes_copy(&h, msg, sizeof h);
	if (!truncated && len == sizeof h + sizeof m && h.length == len && h.op == PROCD_GRANT_INSTALL &&
	    h.status == 0) {
		procd_bytes_copy(&m, (const unsigned char *)msg + sizeof h, sizeof m);
		status = grant_install(d, p, &m, caps, ncaps, &kept);
	}
	for (size_t i = kept ? 1 : 0; i < ncaps; i++)
		port_cap_drop(caps[i]);
	h.length = sizeof h;
	h.status = status;
	procd_bytes_copy(reply, &h, sizeof h);
	if (p->grant != PROCD_NO_CAP)
		port_send(p->grant, reply, sizeof h, 0, 0);
}

void procd_on_grant_closed(struct procd *d, uint32_t index)
{
	/* The caller is done installing; the child stays staged until START
	 * or ABORT (or its creator hangs up). */
	procd_close_grant(&d->table.procs[index]);
}

void procd_on_process_end(struct procd *d, uint32_t index)
{
	struct procd_proc *p = &d->table.procs[index];

	if (p->pid != 0)
		procd_instance_ended(d, p);
}

uint64_t procd_on_tick(struct procd *d, uint64_t now)
{
	uint64_t next = procd_transfers_tick(d, now);

	/* Both walks are bounded: waiters by PROCD_MAX_WAITERS, and the table
	 * only while some child is backing off. */
	for (uint32_t i = 0; i < PROCD_MAX_WAITERS; i++) {
		struct procd_waiter *w = &d->waiters[i];

		if (w->pid == 0)
			continue;
		if (now >= w->deadline_ms) {
			procd_send_reply(d, w->ep, PROCD_OP_WAIT_PROCESS_EVENT, w->tag, PROCD_E_TIMEOUT, 0, 0, 0, 0);
			w->pid = 0;
		} else if (w->deadline_ms < next) {
			next = w->deadline_ms;
		}
	}
	for (uint32_t i = 0; d->nbackoff != 0 && i < PROCD_MAX_PROCESSES; i++) {
		struct procd_proc *p = &d->table.procs[i];

		if (p->pid == 0 || p->state != PROCD_STATE_BACKOFF)
			continue;
		procd_restart_due(d, p, now);
		if (p->state == PROCD_STATE_BACKOFF && p->restart_at_ms < next)
			next = p->restart_at_ms;
	}
	return next;
}

void procd_shutdown(struct procd *d)
{
	procd_peer_drop_all(d);
	for (uint32_t i = 0; i < PROCD_MAX_TRANSFERS; i++)
		if (d->transfers[i].id != 0)
			procd_transfers_abandon(d, d->transfers[i].ep);
	for (uint32_t i = 0; i < PROCD_MAX_PROCESSES; i++) {
		struct procd_proc *p = &d->table.procs[i];

		if (p->pid != 0)
			procd_stop(d, p);
	}
	for (uint32_t i = 0; i < PROCD_MAX_ENDPOINTS; i++)
		if (d->eps[i].cap != PROCD_NO_CAP)
			procd_endpoint_close(d, i);
	for (uint32_t i = 0; i < d->nmodules; i++)
		port_cap_drop(d->modules[i].cap);
	for (uint32_t i = 0; i < d->ntransferred; i++)
		port_cap_drop(d->transferred[i].cap);
	/* On EriX a log line is a kernel operation on the control endpoint:
	 * the last one goes out while procd still holds it. */
	procd_log("procd: stopped every child; exiting");
	port_cap_drop(d->control);
	d->nmodules = d->ntransferred = 0;
	d->control = PROCD_NO_CAP;
}

uint32_t procd_process_count(const struct procd *d)
{
	return d->table.used;
}
