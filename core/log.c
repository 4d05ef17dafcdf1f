/* SPDX-License-Identifier: ISC */
#include "core/log.h"
#include "core/peers.h"
#include "core/text.h"

/* Every line goes to procd's own log, and to logd once one is bound. */
static void emit(const char *line, size_t len)
{
	port_log_line(line, len);
	procd_peer_log(line, len);
}

void procd_log(const char *line)
{
	emit(line, procd_strnlen(line, 4096));
}

void procd_log_proc(const struct procd_proc *p, const char *what, const char *tail)
{
	char buf[200];
	struct procd_text t;

	procd_text_init(&t, buf, sizeof buf);
	procd_text_str(&t, "procd: ");
	procd_text_field(&t, p->policy->name, sizeof p->policy->name);
	procd_text_str(&t, " (pid ");
	procd_text_u32(&t, p->pid);
	procd_text_str(&t, ") ");
	procd_text_str(&t, what);
	procd_text_str(&t, tail);
	emit(t.buf, t.len);
}
