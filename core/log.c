/* SPDX-License-Identifier: ISC */
#include "core/abi/procd_roles.h"
#include "core/log.h"
#include "core/hooks.h"
#include "core/port.h"
#include "core/registry.h"
#include "core/text.h"

/* The budget of one role: a few dozen roles exist, so a small table with
 * the stalest entry given up when it is full is enough. */
#define BUDGETS 32u

struct budget {
	uint32_t role; /* ROLE_NONE: free */
	uint64_t window_ms;
	uint32_t lines;
	uint32_t dropped;
};

static struct budget budgets[BUDGETS];
static struct budget *charged; /* the role whose request procd is serving */
static int charged_is_rootd;
/* Names the charged roles, only in the rare line that reports a count. */
static const struct procd_registry *charged_reg;

static void write_line(const char *line, size_t len)
{
	port_log_line(line, len);
	procd_hooks_log_line(line, len);
}

static void report_dropped(struct budget *b)
{
	char buf[160];
	struct procd_text t;

	procd_text_init(&t, buf, sizeof buf);
	procd_text_str(&t, "procd: ");
	procd_text_u32(&t, b->dropped);
	procd_text_str(&t, " log lines caused by ");
	procd_text_role(&t, charged_reg, b->role);
	procd_text_str(&t, " were not written (at most 10 a second)");
	write_line(t.buf, t.len);
	b->dropped = 0;
}

static struct budget *budget_of(uint32_t role)
{
	struct budget *b = 0, *stalest = &budgets[0];

	for (uint32_t i = 0; i < BUDGETS && !b; i++) {
		if (budgets[i].role == role)
			b = &budgets[i];
		else if (budgets[i].window_ms < stalest->window_ms)
			stalest = &budgets[i];
	}
	if (!b) {
		b = stalest;
		procd_bytes_zero(b, sizeof *b);
		b->role = role;
	}
	return b;
}

/* Whether the charged role may cause one more line now. */
static int within_budget(struct budget *b)
{
	uint64_t now = port_now_ms();

	if (now - b->window_ms >= 1000) {
		if (b->dropped)
			report_dropped(b);
		b->window_ms = now;
		b->lines = 0;
	}
	if (b->lines >= PROCD_LOG_LINES_PER_PEER) {
		b->dropped++;
		return 0;
	}
	b->lines++;
	return 1;
}

static void emit(const char *line, size_t len)
{
	if (charged && !charged_is_rootd && !within_budget(charged))
		return;
	write_line(line, len);
}

void procd_log_charge(const struct procd_registry *reg, uint32_t role)
{
	charged_reg = reg;
	charged = budget_of(role);
	charged_is_rootd = role == ROLE_ROOTD || role == ROLE_PROCD;
}

void procd_log_charge_end(void)
{
	charged = 0;
}

void procd_log_denial(const char *line, size_t len)
{
	if (charged && !within_budget(charged))
		return;
	write_line(line, len);
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
