/* SPDX-License-Identifier: ISC */
/*
 * `reach` and `who-holds` for people and for tools. Names come from an
 * untrusted file: text goes through output_text_escaped, JSON through
 * output_json_str.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tools/abi_names.h"
#include "tools/policy_output.h"
#include "tools/policy_reach.h"

static void role_text(FILE *out, const struct policy_model *m, uint32_t id)
{
	const char *name = model_role_name(m, id);

	output_text_escaped(out, name ? name : "unknown role", SIZE_MAX);
	fprintf(out, " (0x%03" PRIx32 ")", id);
}

static void role_json(FILE *out, const struct policy_model *m, uint32_t id)
{
	const char *name = model_role_name(m, id);

	if (name)
		output_json_str(out, name);
	else
		fputs("null", out);
}

static void slot_text(FILE *out, uint32_t slot)
{
	const char *name = abi_slot_name(slot);

	fprintf(out, "%" PRIu32 "%s%s", slot, name ? " " : "", name ? name : "");
}

static void ways_text(FILE *out, unsigned ways)
{
	if (ways & REACH_BY_REQUEST)
		fputs("on request", out);
	if ((ways & REACH_BY_REQUEST) && (ways & REACH_BY_TRANSFER))
		fputs(" or ", out);
	if (ways & REACH_BY_TRANSFER)
		fputs("by loader transfer", out);
}

static void ways_json(FILE *out, unsigned ways)
{
	fprintf(out, "[%s%s%s]", ways & REACH_BY_REQUEST ? "\"request\"" : "",
		(ways & REACH_BY_REQUEST) && (ways & REACH_BY_TRANSFER) ? "," : "",
		ways & REACH_BY_TRANSFER ? "\"transfer\"" : "");
}

/* Calls each(slot) for every slot a reached role holds, in slot order. */
static void each_reached_slot(const struct policy_model *m, const struct reach *r,
			      void (*each)(FILE *, const struct policy_model *, const struct reach *,
					   uint32_t, int),
			      FILE *out)
{
	int first = 1;

	for (uint32_t slot = SLOT_FIRST_CAPABILITY; slot < PROCD_WINDOW_MAX; slot++)
		if (reach_holds(m, r, slot)) {
			each(out, m, r, slot, first);
			first = 0;
		}
}

static void slot_holders_text(FILE *out, const struct policy_model *m, const struct reach *r,
			      uint32_t slot, int first)
{
	int any = 0;

	(void)first;
	fputs("  ", out);
	slot_text(out, slot);
	fputs(":", out);
	for (size_t i = 0; i < r->n; i++) {
		const struct model_role *p = model_role_by_id(m, r->nodes[i].role);

		if (p && model_has_id(p->slots, p->nslots, slot)) {
			fputs(any++ ? ", " : " ", out);
			output_text_escaped(out, p->name, SIZE_MAX);
		}
	}
	fputc('\n', out);
}

void reach_write_text(FILE *out, const struct policy_model *m, const struct reach *r)
{
	fputs("what ", out);
	role_text(out, m, r->nodes[0].role);
	fprintf(out, " can cause to be granted: itself and the %zu role%s it may start, directly or"
		" through them\n", r->n - 1, r->n == 2 ? "" : "s");
	for (size_t i = 0; i < r->n; i++) {
		const struct reach_node *nd = &r->nodes[i];
		const struct model_role *p = model_role_by_id(m, nd->role);

		fprintf(out, "%*s", (int)(2 * nd->depth), "");
		role_text(out, m, nd->role);
		if (nd->depth) {
			fputs(", started by ", out);
			output_text_escaped(out, model_role_name(m, nd->via) ? model_role_name(m, nd->via)
					    : "unknown role", SIZE_MAX);
			fputc(' ', out);
			ways_text(out, nd->ways);
			if (p && p->endpoint == PROCD_EP_DRIVER)
				fputs(" (driver endpoint)", out);
		}
		fprintf(out, "\n%*s  holds ", (int)(2 * nd->depth), "");
		if (!p)
			fputs("- (no policy: nothing procd installs)", out);
		for (size_t k = 0; p && k < p->nslots; k++) {
			fputs(k ? ", " : "", out);
			slot_text(out, p->slots[k]);
		}
		if (p && p->nslots == 0)
			fputc('-', out);
		fputc('\n', out);
	}
	fputs("every slot it can cause to be granted, and who would hold it:\n", out);
	each_reached_slot(m, r, slot_holders_text, out);
}

static void slot_holders_json(FILE *out, const struct policy_model *m, const struct reach *r,
			      uint32_t slot, int first)
{
	const char *name = abi_slot_name(slot);
	int any = 0;

	fprintf(out, "%s{\"slot\":%" PRIu32 ",\"name\":", first ? "\n    " : ",\n    ", slot);
	if (name)
		output_json_str(out, name);
	else
		fputs("null", out);
	fputs(",\"held_by\":[", out);
	for (size_t i = 0; i < r->n; i++) {
		const struct model_role *p = model_role_by_id(m, r->nodes[i].role);

		if (p && model_has_id(p->slots, p->nslots, slot)) {
			fputs(any++ ? "," : "", out);
			output_json_str(out, p->name);
		}
	}
	fputs("]}", out);
}

void reach_write_json(FILE *out, const struct policy_model *m, const struct reach *r)
{
	fputs("{\n  \"role\": ", out);
	role_json(out, m, r->nodes[0].role);
	fprintf(out, ",\n  \"id\": %" PRIu32 ",\n  \"reached\": [", r->nodes[0].role);
	for (size_t i = 0; i < r->n; i++) {
		const struct reach_node *nd = &r->nodes[i];
		const struct model_role *p = model_role_by_id(m, nd->role);

		fputs(i ? ",\n    {\"name\":" : "\n    {\"name\":", out);
		role_json(out, m, nd->role);
		fprintf(out, ",\"id\":%" PRIu32 ",\"depth\":%u,\"started_by\":", nd->role, nd->depth);
		if (nd->depth)
			role_json(out, m, nd->via);
		else
			fputs("null", out);
		fputs(",\"by\":", out);
		ways_json(out, nd->ways);
		fputs(",\"slots\":[", out);
		for (size_t k = 0; p && k < p->nslots; k++)
			fprintf(out, "%s%" PRIu32, k ? "," : "", p->slots[k]);
		fputs("]}", out);
	}
	fputs("\n  ],\n  \"slots\": [", out);
	each_reached_slot(m, r, slot_holders_json, out);
	fputs("\n  ]\n}\n", out);
}

/* ----------------------------------------------------------------- show */

void reach_write_starts_text(FILE *out, const struct policy_model *m, uint32_t role, int indent)
{
	uint32_t ids[MODEL_MAX_ENTRIES];
	unsigned ways[MODEL_MAX_ENTRIES];
	size_t n = reach_starts(m, role, ids, ways, MODEL_MAX_ENTRIES);

	if (n == 0)
		fputs("- (no role names it as a requester)\n", out);
	for (size_t i = 0; i < n; i++) {
		const struct model_role *t = model_role_by_id(m, ids[i]);

		if (i)
			fprintf(out, "%*s", indent, "");
		fprintf(out, "0x%03" PRIx32 "  ", ids[i]);
		output_text_escaped(out, t->name, SIZE_MAX);
		fputs("  ", out);
		ways_text(out, ways[i]);
		if (t->endpoint == PROCD_EP_DRIVER)
			fputs(" (driver endpoint)", out);
		fputc('\n', out);
	}
}

void reach_write_transferers_text(FILE *out, const struct policy_model *m, uint32_t role, const char *key,
				  int indent)
{
	uint32_t ids[MODEL_MAX_ENTRIES];
	size_t n = reach_transferers(m, role, ids, MODEL_MAX_ENTRIES);

	for (size_t i = 0; i < n; i++) {
		const char *name = model_role_name(m, ids[i]);

		fprintf(out, "%-*s", indent, i ? "" : key);
		if (ids[i] == PROCD_CALLER_ANY)
			fputs("any role", out);
		else {
			fprintf(out, "0x%03" PRIx32 "  ", ids[i]);
			output_text_escaped(out, name ? name : "(unknown role)", SIZE_MAX);
		}
		fputs("  (loader transfer)\n", out);
	}
}

void reach_write_starts_json(FILE *out, const struct policy_model *m, uint32_t role)
{
	uint32_t ids[MODEL_MAX_ENTRIES];
	unsigned ways[MODEL_MAX_ENTRIES];
	const struct model_op *ops[MODEL_MAX_ENTRIES];
	size_t n = reach_calls(m, role, ops, MODEL_MAX_ENTRIES);

	fputs(",\"may_call\":[", out);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? "," : "", out);
		output_json_str(out, ops[i]->name);
	}
	fputs("],\"may_start\":[", out);
	n = reach_starts(m, role, ids, ways, MODEL_MAX_ENTRIES);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",{\"name\":" : "{\"name\":", out);
		output_json_str(out, model_role_by_id(m, ids[i])->name);
		fprintf(out, ",\"role\":%" PRIu32 ",\"by\":", ids[i]);
		ways_json(out, ways[i]);
		fputc('}', out);
	}
	fputs("],\"transferred_by\":[", out);
	n = reach_transferers(m, role, ids, MODEL_MAX_ENTRIES);
	for (size_t i = 0; i < n; i++) {
		const char *name = model_role_name(m, ids[i]);

		fputs(i ? "," : "", out);
		output_json_str(out, name ? name : "unknown");
	}
	fputc(']', out);
}

/* ------------------------------------------------------------ who-holds */

/* The slots a query names that matter here: a number as given; a name or
 * prefix, each canonical slot it matches or any slot a role holds that does. */
static int query_slot(const struct policy_model *m, const struct slot_query *q, uint32_t slot)
{
	if (!slot_query_matches(q, slot))
		return 0;
	if (!q->is_prefix || abi_slot_name(slot))
		return 1;
	for (size_t i = 0; i < m->nroles; i++)
		if (model_has_id(m->roles[i].slots, m->roles[i].nslots, slot))
			return 1;
	return 0;
}

/* Who may cause the slot to be granted without holding it. */
static void granters_text(FILE *out, const struct policy_model *m, uint32_t slot)
{
	uint32_t ids[MODEL_MAX_ENTRIES + 2];
	size_t n = reach_granters(m, slot, ids, MODEL_MAX_ENTRIES + 2);

	if (n == (size_t)-1) {
		fputs("  reached by: (out of memory)\n", out);
		return;
	}
	fputs("  reached by: ", out);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : "", out);
		role_text(out, m, ids[i]);
	}
	fputs(n ? "\n" : "- (no other role may start a holder)\n", out);
}

static void granters_json(FILE *out, const struct policy_model *m, uint32_t slot)
{
	uint32_t ids[MODEL_MAX_ENTRIES + 2];
	size_t n = reach_granters(m, slot, ids, MODEL_MAX_ENTRIES + 2);

	fputs(",\"reached_by\":[", out);
	for (size_t i = 0; n != (size_t)-1 && i < n; i++) {
		fputs(i ? "," : "", out);
		role_json(out, m, ids[i]);
	}
	fputc(']', out);
}

void who_holds_write_text(FILE *out, const struct policy_model *m, const struct slot_query *q)
{
	for (uint32_t slot = SLOT_FIRST_CAPABILITY; slot < PROCD_WINDOW_MAX; slot++) {
		size_t n = 0;

		if (!query_slot(m, q, slot))
			continue;
		fputs("slot ", out);
		slot_text(out, slot);
		fputc('\n', out);
		for (size_t i = 0; i < m->nroles; i++) {
			const struct model_role *p = &m->roles[i];
			const char *cls = model_class_name(p->role_class);

			if (!model_has_id(p->slots, p->nslots, slot))
				continue;
			fputs("  ", out);
			role_text(out, m, p->id);
			fprintf(out, "  %s  ", cls ? cls : "unknown class");
			output_text_escaped(out, p->source[0] ? p->source : "no origin record", SIZE_MAX);
			fputc('\n', out);
			n++;
		}
		if (n == 0)
			fputs("  - (no role may hold it)\n", out);
		else
			granters_text(out, m, slot);
	}
}

void who_holds_write_json(FILE *out, const struct policy_model *m, const struct slot_query *q)
{
	int first = 1;

	fputs("{\n  \"query\": ", out);
	output_json_str(out, q->text);
	fputs(",\n  \"slots\": [", out);
	for (uint32_t slot = SLOT_FIRST_CAPABILITY; slot < PROCD_WINDOW_MAX; slot++) {
		const char *name = abi_slot_name(slot);
		int any = 0;

		if (!query_slot(m, q, slot))
			continue;
		fprintf(out, "%s{\"slot\":%" PRIu32 ",\"name\":", first ? "\n    " : ",\n    ", slot);
		first = 0;
		if (name)
			output_json_str(out, name);
		else
			fputs("null", out);
		fputs(",\"holders\":[", out);
		for (size_t i = 0; i < m->nroles; i++) {
			const struct model_role *p = &m->roles[i];

			if (!model_has_id(p->slots, p->nslots, slot))
				continue;
			fputs(any++ ? "," : "", out);
			fputs("{\"name\":", out);
			output_json_str(out, p->name);
			fprintf(out, ",\"role\":%" PRIu32 ",\"source\":", p->id);
			if (p->source[0])
				output_json_str(out, p->source);
			else
				fputs("null", out);
			fputc('}', out);
		}
		fputc(']', out);
		granters_json(out, m, slot);
		fputc('}', out);
	}
	fputs(first ? "]\n}\n" : "\n  ]\n}\n", out);
}
