/* SPDX-License-Identifier: ISC */
/*
 * `list` and `show` for people. Rows are built in bounded cells
 * (core/text.h cuts, never overruns) so column widths can be measured
 * before printing.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "tools/abi_names.h"
#include "tools/output_common.h"
#include "tools/policy_model.h"
#include "tools/policy_output.h"
#include "tools/policy_reach.h"

struct joined {
	struct procd_text *t;
	const char *sep;
	int any;
};

static void join_emit(void *ctx, const char *name)
{
	struct joined *j = ctx;

	if (j->any)
		procd_text_str(j->t, j->sep);
	procd_text_str(j->t, name);
	j->any = 1;
}

static void cell_bits(struct procd_text *t, name_of_fn names, uint32_t v)
{
	struct joined j = { t, ",", 0 };

	out_each_bit(names, v, join_emit, &j);
	if (!j.any)
		procd_text_str(t, "-");
}

static void cell_roles(struct procd_text *t, const struct registry_file *rf, const uint32_t *list,
		       size_t max, int any_ok)
{
	uint32_t ids[LIST_MAX];
	size_t n = out_sorted_list(list, max, ids);
	struct hexbuf hb;

	if (n == 0)
		procd_text_str(t, "-");
	for (size_t i = 0; i < n; i++) {
		if (i)
			procd_text_str(t, ",");
		out_cell_escaped(t, out_role_label(rf, ids[i], any_ok, &hb));
	}
}

static void cell_slots(struct procd_text *t, const struct procd_policy *p)
{
	uint32_t slots[LIST_MAX];
	size_t n = out_sorted_list(p->slots, PROCD_POLICY_SLOTS, slots);

	if (n == 0)
		procd_text_str(t, "-");
	for (size_t i = 0; i < n; i++) {
		if (i)
			procd_text_str(t, ",");
		procd_text_u32(t, slots[i]);
	}
}

static int max_int(int a, size_t b)
{
	return b > (size_t)a ? (int)b : a;
}

static void policy_row(FILE *out, const struct registry_file *rf, const struct procd_policy *p,
		       int wname, int wreq)
{
	char name[CELL_MAX], flags[CELL_MAX], req[CELL_MAX], slots[CELL_MAX];
	struct procd_text t;
	struct hexbuf h1, h2, h3, h4;

	procd_text_init(&t, name, sizeof name);
	out_cell_escaped(&t, (struct label){ p->name, sizeof p->name });
	procd_text_init(&t, flags, sizeof flags);
	cell_bits(&t, model_policy_flag_name, p->flags);
	procd_text_init(&t, req, sizeof req);
	cell_roles(&t, rf, p->requesters, PROCD_POLICY_REQUESTERS, 0);
	procd_text_init(&t, slots, sizeof slots);
	cell_slots(&t, p);
	fprintf(out, "%-*s  0x%03" PRIx32 "  %-10s  %-9s  %-10s  %-10s  %6" PRIu32 "  %-13s  %-*s  %s\n",
		wname, name, p->role, out_value_name(model_class_name, p->role_class, &h1),
		out_value_name(model_endpoint_name, p->endpoint, &h2),
		out_value_name(model_stage_name, p->boot_stage, &h3),
		out_value_name(model_restart_name, p->restart, &h4), p->window, flags, wreq, req, slots);
}

static void list_policies_text(FILE *out, const struct registry_file *rf)
{
	char buf[CELL_MAX];
	struct procd_text t;
	int wname = 4, wreq = 10;

	for (size_t i = 0; i < rf->npolicies; i++) {
		const struct procd_policy *p = &rf->policies[i];

		procd_text_init(&t, buf, sizeof buf);
		out_cell_escaped(&t, (struct label){ p->name, sizeof p->name });
		wname = max_int(wname, t.len);
		procd_text_init(&t, buf, sizeof buf);
		cell_roles(&t, rf, p->requesters, PROCD_POLICY_REQUESTERS, 0);
		wreq = max_int(wreq, t.len);
	}
	fprintf(out, "policies (%zu)\n", rf->npolicies);
	fprintf(out, "%-*s  %-5s  %-10s  %-9s  %-10s  %-10s  %6s  %-13s  %-*s  %s\n", wname, "ROLE",
		"ID", "CLASS", "ENDPOINT", "STAGE", "RESTART", "WINDOW", "FLAGS", wreq, "REQUESTERS",
		"SLOTS");
	for (size_t i = 0; i < rf->npolicies; i++)
		policy_row(out, rf, &rf->policies[i], wname, wreq);
}

static void list_ops_text(FILE *out, const struct registry_file *rf)
{
	char name[CELL_MAX], eps[CELL_MAX], flags[CELL_MAX], callers[CELL_MAX];
	struct procd_text t;
	int wname = 2, wflags = 5;

	for (size_t i = 0; i < rf->nops; i++) {
		procd_text_init(&t, name, sizeof name);
		out_cell_escaped(&t, (struct label){ rf->ops[i].name, sizeof rf->ops[i].name });
		wname = max_int(wname, t.len);
		procd_text_init(&t, flags, sizeof flags);
		cell_bits(&t, model_op_flag_name, rf->ops[i].flags);
		wflags = max_int(wflags, t.len);
	}
	fprintf(out, "ops (%zu)\n", rf->nops);
	fprintf(out, "%-*s  %-5s  %-16s  %-*s  %s\n", wname, "OP", "ID", "ENDPOINTS", wflags, "FLAGS",
		"CALLERS");
	for (size_t i = 0; i < rf->nops; i++) {
		const struct procd_op *op = &rf->ops[i];

		procd_text_init(&t, name, sizeof name);
		out_cell_escaped(&t, (struct label){ op->name, sizeof op->name });
		procd_text_init(&t, eps, sizeof eps);
		cell_bits(&t, model_op_endpoint_name, op->endpoints);
		procd_text_init(&t, flags, sizeof flags);
		cell_bits(&t, model_op_flag_name, op->flags);
		procd_text_init(&t, callers, sizeof callers);
		cell_roles(&t, rf, op->callers, PROCD_OP_CALLERS, 1);
		fprintf(out, "%-*s  0x%03" PRIx32 "  %-16s  %-*s  %s\n", wname, name, op->id, eps,
			wflags, flags, callers);
	}
}

void output_list_text(FILE *out, const struct registry_file *rf)
{
	fprintf(out, "max_processes %" PRIu32 "\n", rf->layout.max_processes);
	/* Said only where it applies, so a full build's list reads as before. */
	if (rf->roles_left_out[0]) {
		fputs("role modules left out ", out);
		output_text_escaped(out, rf->roles_left_out, SIZE_MAX);
		fputc('\n', out);
	}
	fputc('\n', out);
	list_policies_text(out, rf);
	fputc('\n', out);
	list_ops_text(out, rf);
}

#define SHOW_KEY "%-12s"
#define SHOW_KEY_WIDTH 12

static void show_requesters(FILE *out, const struct registry_file *rf, const struct procd_policy *p)
{
	uint32_t ids[LIST_MAX];
	size_t n = out_sorted_list(p->requesters, PROCD_POLICY_REQUESTERS, ids);
	struct hexbuf hb;

	fprintf(out, SHOW_KEY, "requesters");
	if (n == 0)
		fputs("- (no role may request it)\n", out);
	for (size_t i = 0; i < n; i++) {
		uint32_t role = ids[i];

		if (i)
			fprintf(out, SHOW_KEY, "");
		fprintf(out, "0x%03" PRIx32 "  ", role);
		out_put_label(out, out_role_label(rf, role, 0, &hb));
		if (!registry_policy_by_role(rf, role))
			fputs(abi_role_name(role) ? "  (no policy in this binary)" : "  (unknown role)",
			      out);
		fputc('\n', out);
	}
}

static void show_slots(FILE *out, const struct procd_policy *p)
{
	uint32_t slots[LIST_MAX];
	size_t n = out_sorted_list(p->slots, PROCD_POLICY_SLOTS, slots);

	fprintf(out, SHOW_KEY, "slots");
	if (n == 0)
		fputs("- (nothing may be installed)\n", out);
	for (size_t i = 0; i < n; i++) {
		const char *name = abi_slot_name(slots[i]);

		if (i)
			fprintf(out, SHOW_KEY, "");
		fprintf(out, "%-5" PRIu32 " %s\n", slots[i], name ? name : "(no canonical name)");
	}
}

/* The ops that name this role as a caller; ops open to any caller are not repeated. */
static void show_ops(FILE *out, const struct registry_file *rf, const struct procd_policy *p)
{
	int shown = 0;

	fprintf(out, SHOW_KEY, "may call");
	for (size_t i = 0; i < rf->nops; i++) {
		const struct procd_op *op = &rf->ops[i];
		uint32_t callers[LIST_MAX];
		size_t n = out_sorted_list(op->callers, PROCD_OP_CALLERS, callers);

		for (size_t k = 0; k < n; k++)
			if (callers[k] == p->role) {
				if (shown++)
					fprintf(out, SHOW_KEY, "");
				fprintf(out, "0x%03" PRIx32 "  ", op->id);
				out_put_label(out, (struct label){ op->name, sizeof op->name });
				fputc('\n', out);
				break;
			}
	}
	if (!shown)
		fputs("- (only ops open to any caller)\n", out);
}

/* What the role may hold at once as a requester, as procd applies it. */
static void show_quota(FILE *out, const struct procd_policy *p)
{
	uint32_t quota[MODEL_QUOTAS], declared;

	model_quota_of(p, quota, &declared);
	for (unsigned q = 0; q < MODEL_QUOTAS; q++)
		fprintf(out, SHOW_KEY "%-10s %" PRIu32 " (%s)\n", q ? "" : "quota", model_quota_name(q),
			quota[q], declared & (1u << q) ? "declared" : "default");
}

void output_show_text(FILE *out, const struct registry_file *rf, const struct policy_model *m,
		      const struct procd_policy *p)
{
	char flags[CELL_MAX];
	struct procd_text t;
	struct label src = out_source_label(rf, p);
	struct hexbuf hb;

	fprintf(out, SHOW_KEY, "role");
	out_put_label(out, (struct label){ p->name, sizeof p->name });
	fprintf(out, "\n" SHOW_KEY "0x%03" PRIx32 " (%" PRIu32 ")\n", "id", p->role, p->role);
	fprintf(out, SHOW_KEY "%s\n", "class", out_value_name(model_class_name, p->role_class, &hb));
	fprintf(out, SHOW_KEY "%s\n", "endpoint", out_value_name(model_endpoint_name, p->endpoint, &hb));
	fprintf(out, SHOW_KEY "%s\n", "boot stage", out_value_name(model_stage_name, p->boot_stage, &hb));
	fprintf(out, SHOW_KEY "%s\n", "restart", out_value_name(model_restart_name, p->restart, &hb));
	if (p->window == 0)
		fprintf(out, SHOW_KEY "0 (no slot visible)\n", "window");
	else
		fprintf(out, SHOW_KEY "%" PRIu32 " (slots 0-%" PRIu32 " visible)\n", "window",
			p->window, p->window - 1);
	procd_text_init(&t, flags, sizeof flags);
	cell_bits(&t, model_policy_flag_name, p->flags);
	fprintf(out, SHOW_KEY "%s\n", "flags", flags);
	show_requesters(out, rf, p);
	reach_write_transferers_text(out, m, p->role, "loaded by", SHOW_KEY_WIDTH);
	show_slots(out, p);
	show_ops(out, rf, p);
	fprintf(out, SHOW_KEY, "may start");
	reach_write_starts_text(out, m, p->role, SHOW_KEY_WIDTH);
	show_quota(out, p);
	fprintf(out, SHOW_KEY, "image");
	out_put_label(out, (struct label){ p->image, sizeof p->image });
	fprintf(out, "\n" SHOW_KEY, "source");
	if (src.s)
		out_put_label(out, src);
	else
		fputs("(no origin record)", out);
	fputc('\n', out);
}
