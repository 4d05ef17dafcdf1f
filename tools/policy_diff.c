/* SPDX-License-Identifier: ISC */
/*
 * The comparison walks both models in id order at once (both are sorted),
 * so every role and op is visited once and the changes come out in the
 * order a record lists them. The rule table is the set of add() calls
 * below; procd-policy(1) states the same table, and the unit tests hold
 * each rule to it.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tools/abi_names.h"
#include "tools/policy_diff.h"
#include "tools/policy_output.h"

struct subject {
	int is_op;
	uint32_t id;
	const char *name;
	const char *source;
	const char *old_source;
};

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

static int add(struct policy_diff *d, const struct subject *s, const char *field,
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

/* ------------------------------------------------------------ values */

struct value {
	char s[DIFF_VALUE_MAX];
};

/* A role id for people: its name in either model (or the ABI's), and the id. */
static const char *role_ref(const struct policy_diff *d, uint32_t id, struct value *v)
{
	const char *name;

	if (id == PROCD_CALLER_ANY)
		return "any";
	name = model_role_name(d->new, id);
	if (!name)
		name = model_role_name(d->old, id);
	if (name)
		snprintf(v->s, sizeof v->s, "%s (0x%03" PRIx32 ")", name, id);
	else
		snprintf(v->s, sizeof v->s, "0x%03" PRIx32, id);
	return v->s;
}

static const char *slot_ref(uint32_t slot, struct value *v)
{
	const char *name = abi_slot_name(slot);

	snprintf(v->s, sizeof v->s, "%" PRIu32 "%s%s", slot, name ? " " : "", name ? name : "");
	return v->s;
}

static const char *enum_ref(const char *name, uint32_t n, struct value *v)
{
	if (name)
		return name;
	snprintf(v->s, sizeof v->s, "%" PRIu32 " (unknown)", n);
	return v->s;
}

static const char *number_ref(uint32_t n, struct value *v)
{
	snprintf(v->s, sizeof v->s, "%" PRIu32, n);
	return v->s;
}

static const char *bit_ref(const char *(*namer)(uint32_t), uint32_t bit, struct value *v)
{
	const char *name = namer(bit);

	if (name)
		return name;
	snprintf(v->s, sizeof v->s, "0x%" PRIx32, bit);
	return v->s;
}

/* Appends to a value, cut (never overrun) at its size. */
static void cat(struct value *v, const char *s)
{
	size_t n = strlen(v->s);

	snprintf(v->s + n, sizeof v->s - n, "%s", s);
}

static void cat_bits(struct value *v, const char *(*namer)(uint32_t), uint32_t bits)
{
	struct value one;
	int any = 0;

	for (unsigned b = 0; b < 32; b++)
		if (bits & ((uint32_t)1 << b)) {
			cat(v, any++ ? "," : "");
			cat(v, bit_ref(namer, (uint32_t)1 << b, &one));
		}
	if (!any)
		cat(v, "-");
}

static void cat_roles(struct value *v, const struct policy_diff *d, const uint32_t *ids, size_t n)
{
	struct value one;

	for (size_t i = 0; i < n; i++) {
		const char *name = ids[i] == PROCD_CALLER_ANY ? "any" : model_role_name(d->new, ids[i]);

		if (!name)
			name = model_role_name(d->old, ids[i]);
		if (!name)
			name = number_ref(ids[i], &one);
		cat(v, i ? "," : "");
		cat(v, name);
	}
	if (n == 0)
		cat(v, "-");
}

/* The whole grant of a role that exists on one side only. */
static const char *role_summary(const struct policy_diff *d, const struct model_role *r,
				struct value *v)
{
	struct value one;

	v->s[0] = '\0';
	cat(v, enum_ref(model_class_name(r->role_class), r->role_class, &one));
	cat(v, ", endpoint ");
	cat(v, enum_ref(model_endpoint_name(r->endpoint), r->endpoint, &one));
	cat(v, ", window ");
	cat(v, number_ref(r->window, &one));
	cat(v, ", requesters ");
	cat_roles(v, d, r->requesters, r->nrequesters);
	cat(v, ", slots ");
	for (size_t i = 0; i < r->nslots; i++) {
		cat(v, i ? "," : "");
		cat(v, number_ref(r->slots[i], &one));
	}
	if (r->nslots == 0)
		cat(v, "-");
	if (r->flags) {
		cat(v, ", flags ");
		cat_bits(v, model_policy_flag_name, r->flags);
	}
	return v->s;
}

static const char *op_summary(const struct policy_diff *d, const struct model_op *o,
			      struct value *v)
{
	v->s[0] = '\0';
	cat(v, "endpoints ");
	cat_bits(v, model_op_endpoint_name, o->endpoints);
	cat(v, ", callers ");
	cat_roles(v, d, o->callers, o->ncallers);
	if (o->flags) {
		cat(v, ", flags ");
		cat_bits(v, model_op_flag_name, o->flags);
	}
	return v->s;
}

/* ------------------------------------------------------------- rules */

/* Ids in one sorted set and not the other: added (in new only) and removed. */
static int id_sets(struct policy_diff *d, const struct subject *s, const char *field,
		   const uint32_t *old, size_t nold, const uint32_t *new, size_t nnew,
		   const char *(*ref)(const struct policy_diff *, uint32_t, struct value *),
		   enum diff_effect (*effect_of)(const uint32_t *, size_t, const uint32_t *, size_t,
						 int added))
{
	struct value v;

	for (size_t i = 0; i < nnew; i++)
		if (!model_has_id(old, nold, new[i]) &&
		    add(d, s, field, "added", effect_of(old, nold, new, nnew, 1), NULL,
			ref(d, new[i], &v)) != 0)
			return -1;
	for (size_t i = 0; i < nold; i++)
		if (!model_has_id(new, nnew, old[i]) &&
		    add(d, s, field, "removed", effect_of(old, nold, new, nnew, 0), ref(d, old[i], &v),
			NULL) != 0)
			return -1;
	return 0;
}

static enum diff_effect plain_set(const uint32_t *old, size_t nold, const uint32_t *new,
				  size_t nnew, int added)
{
	(void)old, (void)nold, (void)new, (void)nnew;
	return added ? EFFECT_WIDENING : EFFECT_NARROWING;
}

/* While either side accepts any caller, a named caller coming or going
 * changes nothing: "any" already covered it. The wildcard itself follows
 * the plain rule (callers is the one list that holds it). */
static enum diff_effect caller_set(const uint32_t *old, size_t nold, const uint32_t *new,
				   size_t nnew, int added)
{
	int any_old = model_has_id(old, nold, PROCD_CALLER_ANY);
	int any_new = model_has_id(new, nnew, PROCD_CALLER_ANY);

	if (any_old != any_new)
		return (added ? any_new : any_old) ? plain_set(old, nold, new, nnew, added)
			: EFFECT_NEUTRAL;
	if (any_old)
		return EFFECT_NEUTRAL;
	return plain_set(old, nold, new, nnew, added);
}

static const char *slot_of(const struct policy_diff *d, uint32_t slot, struct value *v)
{
	(void)d;
	return slot_ref(slot, v);
}

/* Bits set on one side only: added is `up`, removed the opposite. */
static int bit_sets(struct policy_diff *d, const struct subject *s, const char *field,
		    uint32_t old, uint32_t new, const char *(*namer)(uint32_t),
		    enum diff_effect (*effect_of)(uint32_t bit, int added))
{
	struct value v;

	for (unsigned b = 0; b < 32; b++) {
		uint32_t bit = (uint32_t)1 << b;

		if ((old & bit) == (new & bit))
			continue;
		if (add(d, s, field, new & bit ? "added" : "removed", effect_of(bit, !!(new & bit)),
			old & bit ? bit_ref(namer, bit, &v) : NULL,
			new & bit ? bit_ref(namer, bit, &v) : NULL) != 0)
			return -1;
	}
	return 0;
}

/* Bits that are each a way in: a policy flag is a way to start the role
 * (loader-launch), an op's endpoint a place it is accepted. More is wider. */
static enum diff_effect more_is_wider(uint32_t bit, int added)
{
	(void)bit;
	return added ? EFFECT_WIDENING : EFFECT_NARROWING;
}

/* Deny refuses the op outright: gaining it narrows, losing it widens. Other
 * bits (none is defined; lint refuses them) are reported as neutral. */
static enum diff_effect op_flag(uint32_t bit, int added)
{
	if (bit != PROCD_OP_DENY)
		return EFFECT_NEUTRAL;
	return added ? EFFECT_NARROWING : EFFECT_WIDENING;
}

static int changed(struct policy_diff *d, const struct subject *s, const char *field,
		   enum diff_effect e, const char *old_value, const char *new_value)
{
	return add(d, s, field, "changed", e, old_value, new_value);
}

static int enum_field(struct policy_diff *d, const struct subject *s, const char *field,
		      const char *(*namer)(uint32_t), uint32_t old, uint32_t new, enum diff_effect e)
{
	struct value a, b;

	if (old == new)
		return 0;
	return changed(d, s, field, e, enum_ref(namer(old), old, &a), enum_ref(namer(new), new, &b));
}

static int string_field(struct policy_diff *d, const struct subject *s, const char *field,
			const char *old, const char *new, enum diff_effect e)
{
	return strcmp(old, new) == 0 ? 0 : changed(d, s, field, e, old, new);
}

static int compare_roles(struct policy_diff *d, const struct model_role *o,
			 const struct model_role *n)
{
	struct subject s = { 0, n->id, n->name, n->source, o->source };
	struct value a, b;
	size_t first = d->n;

	if (string_field(d, &s, "name", o->name, n->name, EFFECT_NEUTRAL) ||
	    string_field(d, &s, "source", o->source, n->source, EFFECT_NEUTRAL) ||
	    enum_field(d, &s, "class", model_class_name, o->role_class, n->role_class,
		       EFFECT_NEUTRAL) ||
	    /* Another endpoint's holders may now request it: something the old
	     * policy did not grant, so it counts as widening. */
	    enum_field(d, &s, "endpoint", model_endpoint_name, o->endpoint, n->endpoint,
		       EFFECT_WIDENING) ||
	    enum_field(d, &s, "boot-stage", model_stage_name, o->boot_stage, n->boot_stage,
		       EFFECT_NEUTRAL) ||
	    enum_field(d, &s, "restart", model_restart_name, o->restart, n->restart, EFFECT_NEUTRAL))
		return -1;
	if (o->window != n->window &&
	    add(d, &s, "window", n->window > o->window ? "grown" : "shrunk",
		n->window > o->window ? EFFECT_WIDENING : EFFECT_NARROWING, number_ref(o->window, &a),
		number_ref(n->window, &b)) != 0)
		return -1;
	if (bit_sets(d, &s, "flag", o->flags, n->flags, model_policy_flag_name, more_is_wider) ||
	    id_sets(d, &s, "requester", o->requesters, o->nrequesters, n->requesters,
		    n->nrequesters, role_ref, plain_set) ||
	    id_sets(d, &s, "slot", o->slots, o->nslots, n->slots, n->nslots, slot_of, plain_set))
		return -1;
	diff_note_role(d, first, o, n);
	return string_field(d, &s, "image", o->image, n->image, EFFECT_IMAGE);
}

static int compare_ops(struct policy_diff *d, const struct model_op *o, const struct model_op *n)
{
	struct subject s = { 1, n->id, n->name, NULL, NULL };

	if (string_field(d, &s, "name", o->name, n->name, EFFECT_NEUTRAL) ||
	    bit_sets(d, &s, "endpoint", o->endpoints, n->endpoints, model_op_endpoint_name,
		     more_is_wider) ||
	    id_sets(d, &s, "caller", o->callers, o->ncallers, n->callers, n->ncallers, role_ref,
		    caller_set))
		return -1;
	return bit_sets(d, &s, "flag", o->flags, n->flags, model_op_flag_name, op_flag);
}

static int role_alone(struct policy_diff *d, const struct model_role *r, int added)
{
	struct subject s = { 0, r->id, r->name, r->source, added ? "" : r->source };
	struct value v;

	role_summary(d, r, &v);
	return add(d, &s, "role", added ? "added" : "removed",
		   added ? EFFECT_WIDENING : EFFECT_NARROWING, added ? NULL : v.s, added ? v.s : NULL);
}

/* A reserved (deny) op refuses either way, present or absent: neutral. */
static int op_alone(struct policy_diff *d, const struct model_op *o, int added)
{
	struct subject s = { 1, o->id, o->name, NULL, NULL };
	enum diff_effect e = added ? EFFECT_WIDENING : EFFECT_NARROWING;
	struct value v;

	if (o->flags & PROCD_OP_DENY)
		e = EFFECT_NEUTRAL;
	op_summary(d, o, &v);
	return add(d, &s, "op", added ? "added" : "removed", e, added ? NULL : v.s,
		   added ? v.s : NULL);
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
	const struct model_op **ns = realloc(d->skipped_ops, (d->nskipped_ops + 1) * sizeof *ns);

	if (!ns)
		return -1;
	d->skipped_ops = ns;
	d->skipped_ops[d->nskipped_ops++] = o;
	return 0;
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
			rc = compare_roles(d, o, n);
			i++, k++;
		} else if (o && (!n || o->id < n->id)) {
			rc = d->compiled_in ? skip_role(d, o) : role_alone(d, o, 0);
			i++;
		} else {
			rc = role_alone(d, n, 1);
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
			rc = compare_ops(d, o, n);
			i++, k++;
		} else if (o && (!n || o->id < n->id)) {
			rc = d->compiled_in && new->roles_left_out[0] ? skip_op(d, o) : op_alone(d, o, 0);
			i++;
		} else {
			rc = op_alone(d, n, 1);
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

/* ------------------------------------------------------------ output */

static int same_subject(const struct diff_change *a, const struct diff_change *b)
{
	return a->is_op == b->is_op && a->id == b->id;
}

static const char *skipped_name(const struct policy_diff *d, size_t i, struct value *v)
{
	const char *name = model_role_name(d->old, d->skipped[i]);

	return name ? name : number_ref(d->skipped[i], v);
}

static void text_subject(FILE *out, const struct diff_change *c)
{
	fprintf(out, "%s ", c->is_op ? "op" : "role");
	output_text_escaped(out, c->name, SIZE_MAX);
	fprintf(out, " (0x%03" PRIx32 ")", c->id);
	if (c->is_op) {
		fputc('\n', out);
		return;
	}
	fputs(", ", out);
	output_text_escaped(out, c->source[0] ? c->source : "no origin record", SIZE_MAX);
	if (c->old_source[0] && strcmp(c->old_source, c->source) != 0) {
		fputs(" (was ", out);
		output_text_escaped(out, c->old_source, SIZE_MAX);
		fputc(')', out);
	}
	fputc('\n', out);
}

static void text_change(FILE *out, const struct diff_change *c)
{
	fprintf(out, "  %-9s  %s %s: ", diff_effect_name(c->effect), c->field, c->change);
	if (c->old_value[0] && c->new_value[0]) {
		output_text_escaped(out, c->old_value, SIZE_MAX);
		fputs(" -> ", out);
		output_text_escaped(out, c->new_value, SIZE_MAX);
	} else {
		output_text_escaped(out, c->old_value[0] ? c->old_value : c->new_value, SIZE_MAX);
	}
	fputc('\n', out);
	if (c->note[0]) {
		fputs("  !          ", out);
		output_text_escaped(out, c->note, SIZE_MAX);
		fputc('\n', out);
	}
}

static void text_summary(FILE *out, const struct policy_diff *d)
{
	fprintf(out, "%zu change%s: %zu widening, %zu narrowing, %zu neutral", d->n,
		d->n == 1 ? "" : "s", d->count[EFFECT_WIDENING], d->count[EFFECT_NARROWING],
		d->count[EFFECT_NEUTRAL]);
	/* Said only when there is one, so the summary of every other diff reads as before. */
	if (d->count[EFFECT_IMAGE])
		fprintf(out, ", %zu image", d->count[EFFECT_IMAGE]);
	fputc('\n', out);
}

void diff_write_text(FILE *out, const struct policy_diff *d, const char *old_label,
		     const char *new_label)
{
	struct value v;

	fputs("--- ", out);
	output_text_escaped(out, old_label, SIZE_MAX);
	fputs("\n+++ ", out);
	output_text_escaped(out, new_label, SIZE_MAX);
	fputc('\n', out);
	for (size_t i = 0; i < d->n; i++) {
		if (i == 0 || !same_subject(&d->changes[i - 1], &d->changes[i]))
			text_subject(out, &d->changes[i]);
		text_change(out, &d->changes[i]);
	}
	if (d->nskipped) {
		fputs("not compared (not compiled into the new side): ", out);
		for (size_t i = 0; i < d->nskipped; i++) {
			fputs(i ? ", " : "", out);
			output_text_escaped(out, skipped_name(d, i, &v), SIZE_MAX);
		}
		fputc('\n', out);
	}
	if (d->nskipped_ops) {
		fputs("ops not compared (role modules not compiled into the new side: ", out);
		output_text_escaped(out, d->new->roles_left_out, SIZE_MAX);
		fputs("): ", out);
		for (size_t i = 0; i < d->nskipped_ops; i++) {
			fputs(i ? ", " : "", out);
			output_text_escaped(out, d->skipped_ops[i]->name, SIZE_MAX);
		}
		fputc('\n', out);
	}
	if (d->n == 0)
		fputs("no change of authority\n", out);
	else
		text_summary(out, d);
}

static void json_value(FILE *out, const char *s)
{
	if (s[0])
		output_json_str(out, s);
	else
		fputs("null", out);
}

static void json_change(FILE *out, const struct diff_change *c)
{
	fprintf(out, "{\"subject\":\"%s\",\"name\":", c->is_op ? "op" : "role");
	output_json_str(out, c->name);
	fprintf(out, ",\"id\":%" PRIu32 ",\"source\":", c->id);
	json_value(out, c->is_op ? "" : c->source);
	fputs(",\"old_source\":", out);
	json_value(out, c->is_op ? "" : c->old_source);
	fprintf(out, ",\"field\":\"%s\",\"change\":\"%s\",\"old\":", c->field, c->change);
	json_value(out, c->old_value);
	fputs(",\"new\":", out);
	json_value(out, c->new_value);
	fprintf(out, ",\"effect\":\"%s\",\"note\":", diff_effect_name(c->effect));
	json_value(out, c->note);
	fputc('}', out);
}

void diff_write_json(FILE *out, const struct policy_diff *d, const char *old_label,
		     const char *new_label)
{
	struct value v;

	fputs("{\n  \"old\": ", out);
	output_json_str(out, old_label);
	fputs(",\n  \"new\": ", out);
	output_json_str(out, new_label);
	fprintf(out, ",\n  \"compiled_in_only\": %s,\n  \"changes\": [%s",
		d->compiled_in ? "true" : "false", d->n ? "\n" : "");
	for (size_t i = 0; i < d->n; i++) {
		fputs(i ? ",\n    " : "    ", out);
		json_change(out, &d->changes[i]);
	}
	fprintf(out, "%s],\n  \"not_compared\": [", d->n ? "\n  " : "");
	for (size_t i = 0; i < d->nskipped; i++) {
		fputs(i ? "," : "", out);
		output_json_str(out, skipped_name(d, i, &v));
	}
	fputs("],\n  \"roles_left_out\": ", out);
	output_json_str(out, d->new->roles_left_out);
	fputs(",\n  \"ops_not_compared\": [", out);
	for (size_t i = 0; i < d->nskipped_ops; i++) {
		fputs(i ? "," : "", out);
		output_json_str(out, d->skipped_ops[i]->name);
	}
	fprintf(out, "],\n  \"widening\": %zu,\n  \"narrowing\": %zu,\n  \"neutral\": %zu,"
		"\n  \"image\": %zu\n}\n", d->count[EFFECT_WIDENING], d->count[EFFECT_NARROWING],
		d->count[EFFECT_NEUTRAL], d->count[EFFECT_IMAGE]);
}

static void md_subject(FILE *out, const struct diff_change *c)
{
	fprintf(out, "%s ", c->is_op ? "op" : "role");
	output_md_escaped(out, c->name);
	fprintf(out, " (0x%03" PRIx32 ")", c->id);
}

static void md_source(FILE *out, const struct diff_change *c)
{
	if (c->is_op)
		return;
	output_md_escaped(out, c->source);
	if (c->old_source[0] && strcmp(c->old_source, c->source) != 0) {
		fputs(" (was ", out);
		output_md_escaped(out, c->old_source);
		fputc(')', out);
	}
}

void diff_write_markdown(FILE *out, const struct policy_diff *d, const char *old_label,
			 const char *new_label)
{
	struct value v;

	fputs("#### procd policy: ", out);
	output_md_escaped(out, old_label);
	fputs(" → ", out);
	output_md_escaped(out, new_label);
	fputs("\n\n", out);
	if (d->n == 0) {
		fputs("No change of authority.\n", out);
	} else {
		fputs("| effect | subject | source | change | old | new |\n"
		      "|---|---|---|---|---|---|\n", out);
		for (size_t i = 0; i < d->n; i++) {
			const struct diff_change *c = &d->changes[i];

			fprintf(out, c->effect == EFFECT_WIDENING || c->effect == EFFECT_IMAGE ?
				"| **%s** | " : "| %s | ",
				diff_effect_name(c->effect));
			md_subject(out, c);
			fputs(" | ", out);
			md_source(out, c);
			fprintf(out, " | %s %s | ", c->field, c->change);
			output_md_escaped(out, c->old_value);
			fputs(" | ", out);
			output_md_escaped(out, c->new_value);
			if (c->note[0]) {
				fputs(" (", out);
				output_md_escaped(out, c->note);
				fputc(')', out);
			}
			fputs(" |\n", out);
		}
		fprintf(out, "\n%zu widening, %zu narrowing, %zu neutral", d->count[EFFECT_WIDENING],
			d->count[EFFECT_NARROWING], d->count[EFFECT_NEUTRAL]);
		if (d->count[EFFECT_IMAGE])
			fprintf(out, ", %zu image", d->count[EFFECT_IMAGE]);
		fputs(".\n", out);
	}
	if (d->nskipped) {
		fputs("\nNot compared (not compiled into the new side): ", out);
		for (size_t i = 0; i < d->nskipped; i++) {
			fputs(i ? ", " : "", out);
			output_md_escaped(out, skipped_name(d, i, &v));
		}
		fputs(".\n", out);
	}
	if (d->nskipped_ops) {
		fputs("\nOps not compared (role modules not compiled into the new side: ", out);
		output_md_escaped(out, d->new->roles_left_out);
		fputs("): ", out);
		for (size_t i = 0; i < d->nskipped_ops; i++) {
			fputs(i ? ", " : "", out);
			output_md_escaped(out, d->skipped_ops[i]->name);
		}
		fputs(".\n", out);
	}
}
