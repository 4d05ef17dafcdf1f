/* SPDX-License-Identifier: ISC */
/*
 * Holding a build to the reviewer rules. Every name a rule uses is looked
 * up before anything is judged, so a typo stops the check instead of
 * turning "no X may ..." into a rule about nobody. Reach is computed once
 * per role and shared by every reach rule.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tools/abi_names.h"
#include "tools/policy_output.h"
#include "tools/policy_reach.h"
#include "tools/policy_rules.h"

struct check {
	FILE *out;
	int json;
	const struct rules *rules;
	const struct policy_model *m;
	struct reach *reach; /* per role of m, or NULL when no rule needs it */
	size_t violations;
	const struct rule *shown; /* the rule whose heading was written last */
};

static int known_name(const struct policy_model *m, const struct rule_who *w)
{
	for (size_t i = 0; i < m->nroles; i++) {
		const char *name = m->roles[i].name;

		if (w->kind == WHO_ROLE ? strcmp(name, w->name) == 0
					: strncmp(name, w->name, strlen(w->name)) == 0)
			return 1;
	}
	if (w->kind == WHO_PREFIX)
		return 0;
	for (uint32_t r = 1; r < 2 * SERVICE_ROLE_EXTENSION_BASE; r++)
		if (abi_role_name(r) && strcmp(abi_role_name(r), w->name) == 0)
			return 1;
	return 0;
}

static int resolve(const struct rules *rs, const struct policy_model *m, char *err, size_t errlen)
{
	for (size_t i = 0; i < rs->n; i++)
		for (size_t k = 0; k < rs->rules[i].nwho; k++) {
			const struct rule_who *w = &rs->rules[i].who[k];

			if ((w->kind == WHO_ROLE || w->kind == WHO_PREFIX) && !known_name(m, w)) {
				snprintf(err, errlen, w->kind == WHO_ROLE
					 ? "%s:%u: no role '%s' in this build or the procd ABI"
					 : "%s:%u: no role of this build has a name starting with '%s'",
					 rs->path, rs->rules[i].line, w->name);
				return -1;
			}
		}
	return 0;
}

static int who_matches(const struct rule *r, const struct model_role *p)
{
	for (size_t k = 0; k < r->nwho; k++) {
		const struct rule_who *w = &r->who[k];

		if ((w->kind == WHO_ANY) ||
		    (w->kind == WHO_CLASS && p->role_class == w->role_class) ||
		    (w->kind == WHO_ROLE && strcmp(p->name, w->name) == 0) ||
		    (w->kind == WHO_PREFIX && strncmp(p->name, w->name, strlen(w->name)) == 0))
			return 1;
	}
	return 0;
}

static void heading(struct check *c, const struct rule *r)
{
	if (c->json || c->shown == r)
		return;
	c->shown = r;
	output_text_escaped(c->out, c->rules->path, SIZE_MAX);
	fprintf(c->out, ":%u: broken: ", r->line);
	output_text_escaped(c->out, r->text, SIZE_MAX);
	fputs("\n  why: ", c->out);
	output_text_escaped(c->out, r->why, SIZE_MAX);
	fputc('\n', c->out);
}

static void violation(struct check *c, const struct rule *r, const struct model_role *p,
		      uint32_t slot, const struct model_role *holder)
{
	const char *slot_name = abi_slot_name(slot);

	heading(c, r);
	if (c->json) {
		fprintf(c->out, "%s{\"line\":%u,\"rule\":", c->violations ? ",\n    " : "\n    ",
			r->line);
		output_json_str(c->out, r->text);
		fputs(",\"why\":", c->out);
		output_json_str(c->out, r->why);
		fputs(",\"role\":", c->out);
		output_json_str(c->out, p->name);
		fprintf(c->out, ",\"id\":%" PRIu32 ",\"source\":", p->id);
		if (p->source[0])
			output_json_str(c->out, p->source);
		else
			fputs("null", c->out);
		fprintf(c->out, ",\"slot\":%" PRIu32 ",\"slot_name\":", slot);
		if (slot_name)
			output_json_str(c->out, slot_name);
		else
			fputs("null", c->out);
		fputs(",\"held_by\":", c->out);
		output_json_str(c->out, holder->name);
		fputc('}', c->out);
	} else {
		fputs("  ", c->out);
		output_text_escaped(c->out, p->name, SIZE_MAX);
		fprintf(c->out, " (0x%03" PRIx32 ", ", p->id);
		output_text_escaped(c->out, p->source[0] ? p->source : "no origin record", SIZE_MAX);
		fprintf(c->out, ") %s %" PRIu32 "%s%s", r->reach ? "reaches" : "holds", slot,
			slot_name ? " " : "", slot_name ? slot_name : "");
		if (holder != p) {
			fputs(": ", c->out);
			output_text_escaped(c->out, holder->name, SIZE_MAX);
			fputs(", which it may start, holds it", c->out);
		}
		fputc('\n', c->out);
	}
	c->violations++;
}

/* Whether p's grant, or (reach) that of a role it may start, has a slot the
 * rule names; each slot once, with the nearest role that holds it. */
static size_t judge_role(struct check *c, const struct rule *r, size_t ri)
{
	const struct model_role *p = &c->m->roles[ri];
	const struct reach *rc = r->reach ? &c->reach[ri] : NULL;
	size_t nodes = rc ? rc->n : 1, found = 0;

	if (who_matches(r, p) == r->only)
		return 0;
	for (uint32_t slot = SLOT_FIRST_CAPABILITY; slot < PROCD_WINDOW_MAX; slot++) {
		if (!slot_query_matches(&r->slot, slot))
			continue;
		for (size_t k = 0; k < nodes; k++) {
			const struct model_role *h = rc ? model_role_by_id(c->m, rc->nodes[k].role) : p;

			if (h && model_has_id(h->slots, h->nslots, slot)) {
				violation(c, r, p, slot, h);
				found++;
				break;
			}
		}
	}
	return found;
}

static int compute_reach(struct check *c)
{
	c->reach = calloc(c->m->nroles ? c->m->nroles : 1, sizeof *c->reach);
	if (!c->reach)
		return -1;
	for (size_t i = 0; i < c->m->nroles; i++)
		if (reach_compute(&c->reach[i], c->m, c->m->roles[i].id) != 0)
			return -1;
	return 0;
}

static void free_reach(struct check *c)
{
	for (size_t i = 0; c->reach && i < c->m->nroles; i++)
		reach_free(&c->reach[i]);
	free(c->reach);
}

int rules_check(FILE *out, const struct rules *rs, const struct policy_model *m, int json,
		char *err, size_t errlen)
{
	struct check c = { out, json, rs, m, NULL, 0, NULL };
	int broken = 0, need_reach = 0;

	if (resolve(rs, m, err, errlen) != 0)
		return -1;
	for (size_t i = 0; i < rs->n; i++)
		need_reach |= rs->rules[i].reach;
	if (need_reach && compute_reach(&c) != 0) {
		free_reach(&c);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (json) {
		fputs("{\n  \"rules_file\": ", out);
		output_json_str(out, rs->path);
		fprintf(out, ",\n  \"rules\": %zu,\n  \"violations\": [", rs->n);
	}
	for (size_t i = 0; i < rs->n; i++) {
		size_t found = 0;

		for (size_t k = 0; k < m->nroles; k++)
			found += judge_role(&c, &rs->rules[i], k);
		broken += found != 0;
	}
	if (json)
		fprintf(out, "%s],\n  \"broken\": %d\n}\n", c.violations ? "\n  " : "", broken);
	free_reach(&c);
	return broken;
}
