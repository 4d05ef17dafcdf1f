/* SPDX-License-Identifier: ISC */
/*
 * The comparison walks both models in id order at once (both are sorted),
 * so every role and op is visited once and the changes come out in the
 * order a record lists them; tools/diff_rules.c compares what both sides
 * have.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/diff_rules.h"
#include "tools/role_modules.h"

const char *diff_effect_name(enum diff_effect e)
{
	switch (e) {
	case EFFECT_WIDENING:
		return "widening";
	case EFFECT_NARROWING:
		return "narrowing";
	case EFFECT_IMAGE:
		return "image";
	case EFFECT_NEUTRAL:
		break;
	}
	return "neutral";
}

int diff_add(struct policy_diff *d, const struct diff_subject *s, const char *field,
	     const char *change, enum diff_effect effect, const char *old_value,
	     const char *new_value)
{
	struct diff_change *c;

	if (d->n == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 16;
		struct diff_change *nc = realloc(d->changes, ncap * sizeof *nc);

		if (!nc)
			return -1;
		d->changes = nc;
		d->cap = ncap;
	}
	c = &d->changes[d->n++];
	memset(c, 0, sizeof *c);
	c->is_op = s->is_op;
	c->id = s->id;
	snprintf(c->name, sizeof c->name, "%s", s->name);
	snprintf(c->source, sizeof c->source, "%s", s->source ? s->source : "");
	snprintf(c->old_source, sizeof c->old_source, "%s", s->old_source ? s->old_source : "");
	c->field = field;
	c->change = change;
	snprintf(c->old_value, sizeof c->old_value, "%s", old_value ? old_value : "");
	snprintf(c->new_value, sizeof c->new_value, "%s", new_value ? new_value : "");
	c->effect = effect;
	d->count[effect]++;
	return 0;
}

static int skip_role(struct policy_diff *d, const struct model_role *r)
{
	uint32_t *ns = realloc(d->skipped, (d->nskipped + 1) * sizeof *ns);

	if (!ns)
		return -1;
	d->skipped = ns;
	d->skipped[d->nskipped++] = r->id;
	return 0;
}

static int skip_op(struct policy_diff *d, const struct model_op *o)
{
	uint32_t *ns = realloc(d->skipped_ops, (d->nskipped_ops + 1) * sizeof *ns);

	if (!ns)
		return -1;
	d->skipped_ops = ns;
	d->skipped_ops[d->nskipped_ops++] = o->id;
	return 0;
}

/* An op new lacks because new leaves out the whole module that serves it. */
static int module_left_out(const struct policy_diff *d, const struct model_op *o)
{
	const char *module = role_module_of_op(o->id);

	return d->compiled_in && module && !role_module_in(d->new, module);
}

static int walk_roles(struct policy_diff *d, const struct policy_model *old,
		      const struct policy_model *new)
{
	size_t i = 0, k = 0;

	while (i < old->nroles || k < new->nroles) {
		const struct model_role *o = i < old->nroles ? &old->roles[i] : NULL;
		const struct model_role *n = k < new->nroles ? &new->roles[k] : NULL;
		int rc;

		if (o && n && o->id == n->id) {
			rc = diff_compare_roles(d, o, n);
			i++, k++;
		} else if (o && (!n || o->id < n->id)) {
			rc = d->compiled_in ? skip_role(d, o) : diff_role_alone(d, o, 0);
			i++;
		} else {
			rc = diff_role_alone(d, n, 1);
			k++;
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int walk_ops(struct policy_diff *d, const struct policy_model *old,
		    const struct policy_model *new)
{
	size_t i = 0, k = 0;

	while (i < old->nops || k < new->nops) {
		const struct model_op *o = i < old->nops ? &old->ops[i] : NULL;
		const struct model_op *n = k < new->nops ? &new->ops[k] : NULL;
		int rc;

		if (o && n && o->id == n->id) {
			rc = diff_compare_ops(d, o, n);
			i++, k++;
		} else if (o && (!n || o->id < n->id)) {
			rc = module_left_out(d, o) ? skip_op(d, o) : diff_op_alone(d, o, 0);
			i++;
		} else {
			rc = diff_op_alone(d, n, 1);
			k++;
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

int diff_models(struct policy_diff *d, const struct policy_model *old,
		const struct policy_model *new, int compiled_in)
{
	memset(d, 0, sizeof *d);
	d->old = old;
	d->new = new;
	d->compiled_in = compiled_in;
	if (walk_roles(d, old, new) != 0 || walk_ops(d, old, new) != 0) {
		diff_free(d);
		return -1;
	}
	return 0;
}

void diff_free(struct policy_diff *d)
{
	free(d->changes);
	free(d->skipped);
	free(d->skipped_ops);
	memset(d, 0, sizeof *d);
}
