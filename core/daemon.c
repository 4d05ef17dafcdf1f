/* SPDX-License-Identifier: ISC */
/* procd's state: startup, and the events the request loop hands over. */
#include "core/answers.h"
#include "core/cspace.h"
#include "core/daemon.h"
#include "core/dispatch.h"
#include "core/endpoints.h"
#include "core/envelope.h"
#include "core/hooks.h"
#include "core/lifecycle.h"
#include "core/log.h"
#include "core/smoke.h"
#include "core/startup.h"
#include "core/text.h"

int procd_init(struct procd *d, const void *envelope, size_t len)
{
	char buf[200];
	struct procd_text why;

	procd_bytes_zero(d, sizeof *d);
	procd_endpoints_init(&d->endpoints);
	d->control = PROCD_NO_CAP;
	procd_proc_table_init(&d->table);
	procd_hooks_init(d);
	if (procd_startup_registry(&d->reg) != 0)
		return -1;
	procd_text_init(&why, buf, sizeof buf);
	procd_text_str(&why, "procd: refusing to start: startup envelope: ");
	if (procd_envelope_load(d, envelope, len, &why) != 0) {
		port_log_line(why.buf, why.len);
		return -1;
	}
	PROCD_SMOKE("ENVELOPE_VALID");
	/* Only now, with every intake slot checked, does procd listen. */
	if (procd_endpoints_watch_intake(&d->endpoints) != 0) {
		procd_log("procd: refusing to start: cannot watch the intake endpoints");
		return -1;
	}
	PROCD_SMOKE("SERVING");
	procd_text_init(&why, buf, sizeof buf);
	procd_text_str(&why, "procd: serving: ");
	procd_text_u32(&why, procd_modules_count(&d->modules));
	procd_text_str(&why, " boot modules, ");
	procd_text_u32(&why, procd_transferred_count(&d->transferred));
	procd_text_str(&why, " transferred slots, ");
	procd_text_u32(&why, PROCD_MAX_PROCESSES);
	procd_text_str(&why, " process entries");
	port_log_line(why.buf, why.len);
	return 0;
}

void procd_serving(struct procd *d)
{
	procd_hooks_serving(d);
}

void procd_on_endpoint_message(struct procd *d, uint32_t ep, const void *msg, size_t len,
			       const procd_cap *caps, size_t ncaps, int truncated)
{
	procd_dispatch(d, ep, msg, len, caps, ncaps, truncated);
}

void procd_on_endpoint_closed(struct procd *d, uint32_t ep)
{
	struct procd_proc *p;

	if (!procd_endpoint_open(&d->endpoints, ep))
		return;
	procd_hooks_endpoint_closed(d, ep);
	/* Children staged through this endpoint lost their creator. */
	for (uint32_t i = 0; (p = procd_proc_next_live(&d->table, &i)) != 0;) {
		if (p->state == PROCD_STATE_STAGED && p->creator_ep == ep) {
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

void procd_on_grant_message(struct procd *d, uint32_t index, const void *msg, size_t len,
			    const procd_cap *caps, size_t ncaps, int truncated)
{
	struct procd_proc *p = procd_proc_at(&d->table, index);

	if (p)
		procd_grant_message(d, p, msg, len, caps, ncaps, truncated);
}

void procd_on_grant_closed(struct procd *d, uint32_t index)
{
	/* The caller is done installing; the child stays staged until START
	 * or ABORT (or its creator hangs up). */
	struct procd_proc *p = procd_proc_at(&d->table, index);

	if (p)
		procd_close_grant(p);
}

void procd_on_process_end(struct procd *d, uint32_t index)
{
	struct procd_proc *p = procd_proc_at(&d->table, index);

	if (p && p->pid != 0)
		procd_instance_ended(d, p);
}

uint64_t procd_on_tick(struct procd *d, uint64_t now)
{
	uint64_t next = procd_answer_timeouts(d, now, procd_hooks_tick(d, now));
	struct procd_proc *p;

	/* The walk of the table is bounded, and happens only while some child
	 * is backing off. */
	for (uint32_t i = 0; d->nbackoff != 0 && (p = procd_proc_next_live(&d->table, &i)) != 0;) {
		if (p->state != PROCD_STATE_BACKOFF)
			continue;
		procd_restart_due(d, p, now);
		if (p->state == PROCD_STATE_BACKOFF && p->restart_at_ms < next)
			next = p->restart_at_ms;
	}
	return next;
}

void procd_shutdown(struct procd *d)
{
	struct procd_proc *p;

	procd_hooks_shutdown(d);
	for (uint32_t i = 0; (p = procd_proc_next_live(&d->table, &i)) != 0;)
		procd_stop(d, p);
	procd_endpoints_close_all(d);
	procd_modules_drop(&d->modules);
	procd_transferred_drop(&d->transferred);
	/* The last line before the control endpoint goes: on EriX logging is
	 * a call on it. */
	procd_log("procd: stopped every child; exiting");
	port_cap_drop(d->control);
	d->control = PROCD_NO_CAP;
}

uint32_t procd_process_count(const struct procd *d)
{
	return d->table.used;
}
