/* SPDX-License-Identifier: ISC */
/*
 * `list --markdown`: the roles and ops as two tables ready for a review.
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

/* -------------------------------------------------------------- Markdown */

struct md_list {
	FILE *out;
	int any;
};

static void md_emit(void *ctx, const char *name)
{
	struct md_list *j = ctx;

	if (j->any++)
		fputs(", ", j->out);
	out_md_label(j->out, (struct label){ name, SIZE_MAX });
}

static void md_bits(FILE *out, name_of_fn names, uint32_t v)
{
	struct md_list j = { out, 0 };

	out_each_bit(names, v, md_emit, &j);
	if (!j.any)
		fputc('-', out);
}

static void md_roles(FILE *out, const struct registry_file *rf, const uint32_t *list, size_t max,
		     int any_ok)
{
	uint32_t ids[LIST_MAX];
	size_t n = out_sorted_list(list, max, ids);
	struct hexbuf hb;

	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : "", out);
		out_md_label(out, out_role_label(rf, ids[i], any_ok, &hb));
	}
	if (n == 0)
		fputc('-', out);
}

static void md_slots(FILE *out, const struct procd_policy *p)
{
	uint32_t slots[LIST_MAX];
	size_t n = out_sorted_list(p->slots, PROCD_POLICY_SLOTS, slots);

	for (size_t i = 0; i < n; i++) {
		const char *name = abi_slot_name(slots[i]);

		fprintf(out, "%s%" PRIu32 "%s%s", i ? ", " : "", slots[i], name ? " " : "",
			name ? name : "");
	}
	if (n == 0)
		fputc('-', out);
}

static void md_policy_row(FILE *out, const struct registry_file *rf, const struct procd_policy *p)
{
	struct label src = out_source_label(rf, p);
	struct hexbuf h1, h2, h3, h4;

	fputs("| ", out);
	out_md_label(out, (struct label){ p->name, sizeof p->name });
	fprintf(out, " | 0x%03" PRIx32 " | %s | %s | %s | %s | %" PRIu32 " | ", p->role,
		out_value_name(model_class_name, p->role_class, &h1),
		out_value_name(model_endpoint_name, p->endpoint, &h2),
		out_value_name(model_stage_name, p->boot_stage, &h3),
		out_value_name(model_restart_name, p->restart, &h4), p->window);
	md_roles(out, rf, p->requesters, PROCD_POLICY_REQUESTERS, 0);
	fputs(" | ", out);
	md_slots(out, p);
	fputs(" | ", out);
	md_bits(out, model_policy_flag_name, p->flags);
	fputs(" | ", out);
	if (src.s)
		out_md_label(out, src);
	else
		fputs("(no origin record)", out);
	fputs(" |\n", out);
}

void output_list_markdown(FILE *out, const struct registry_file *rf)
{
	fprintf(out, "#### Role policies (%zu)\n\n", rf->npolicies);
	fputs("| role | id | class | endpoint | boot stage | restart | window | requesters"
	      " | slots | flags | source |\n"
	      "|---|---|---|---|---|---|---:|---|---|---|---|\n", out);
	for (size_t i = 0; i < rf->npolicies; i++)
		md_policy_row(out, rf, &rf->policies[i]);
	fprintf(out, "\n#### Ops (%zu)\n\n", rf->nops);
	fputs("| op | id | endpoints | callers | flags |\n|---|---|---|---|---|\n", out);
	for (size_t i = 0; i < rf->nops; i++) {
		const struct procd_op *op = &rf->ops[i];

		fputs("| ", out);
		out_md_label(out, (struct label){ op->name, sizeof op->name });
		fprintf(out, " | 0x%03" PRIx32 " | ", op->id);
		md_bits(out, model_op_endpoint_name, op->endpoints);
		fputs(" | ", out);
		md_roles(out, rf, op->callers, PROCD_OP_CALLERS, 1);
		fputs(" | ", out);
		md_bits(out, model_op_flag_name, op->flags);
		fputs(" |\n", out);
	}
}
