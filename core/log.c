/* SPDX-License-Identifier: ISC */
#include "core/log.h"
#include "core/text.h"

void procd_log(const char *line)
{
	port_log_line(line, procd_strnlen(line, 4096));
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
	port_log_line(t.buf, t.len);
}
