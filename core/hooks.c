/* SPDX-License-Identifier: ISC */
#include "core/hooks.h"

#define EACH(h) for (const struct procd_hooks *h = __start_procd_hooks; h && h < __stop_procd_hooks; h++)

void procd_hooks_init(struct procd *d)
{
	EACH(h)
		if (h->init)
			h->init(d);
}

void procd_hooks_serving(struct procd *d)
{
	EACH(h)
		if (h->serving)
			h->serving(d);
}

uint64_t procd_hooks_tick(struct procd *d, uint64_t now)
{
	uint64_t next = UINT64_MAX;

	EACH(h)
		if (h->tick) {
			uint64_t due = h->tick(d, now);

			if (due < next)
				next = due;
		}
	return next;
}

void procd_hooks_ended(struct procd *d, const struct procd_proc *p, uint32_t kind, int32_t code)
{
	EACH(h)
		if (h->ended)
			h->ended(d, p, kind, code);
}

void procd_hooks_retiring(struct procd *d, const struct procd_proc *p)
{
	EACH(h)
		if (h->retiring)
			h->retiring(d, p);
}

void procd_hooks_endpoint_closed(struct procd *d, uint32_t ep)
{
	EACH(h)
		if (h->endpoint_closed)
			h->endpoint_closed(d, ep);
}

void procd_hooks_shutdown(struct procd *d)
{
	EACH(h)
		if (h->shutdown)
			h->shutdown(d);
}

void procd_hooks_log_line(const char *line, size_t len)
{
	EACH(h)
		if (h->log_line)
			h->log_line(line, len);
}
