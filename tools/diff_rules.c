/* SPDX-License-Identifier: ISC */
/*
 * The rule table: how each fact of a role or op is compared, and whether
 * its change widens, narrows, is neutral or runs another image. The table
 * is the set of diff_add() calls below; procd-policy(1) states the same
 * table, and the unit tests hold each rule to it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tools/diff_rules.h"
#include "tools/diff_values.h"

/* Ids in one sorted set and not the other: added (in new only) and removed. */
static int id_sets(struct policy_diff *d, const struct diff_subject *s, const char *field,
		   const uint32_t *old, size_t nold, const uint32_t *new, size_t nnew,
		   const char *(*ref)(const struct policy_diff *, uint32_t, struct diff_value *),
		   enum diff_effect (*effect_of)(const uint32_t *, size_t, const uint32_t *, size_t,
						 int added))
{
	struct diff_value v;

	for (size_t i = 0; i < nnew; i++)
		if (!model_has_id(old, nold, new[i]) &&
		    diff_add(d, s, field, "added", effect_of(old, nold, new, nnew, 1), NULL,
			ref(d, new[i], &v)) != 0)
			return -1;
	for (size_t i = 0; i < nold; i++)
		if (!model_has_id(new, nnew, old[i]) &&
		    diff_add(d, s, field, "removed", effect_of(old, nold, new, nnew, 0), ref(d, old[i], &v),
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

static const char *slot_of(const struct policy_diff *d, uint32_t slot, struct diff_value *v)
{
	(void)d;
	return diff_slot_ref(slot, v);
}

/* Bits set on one side only: added is `up`, removed the opposite. */
static int bit_sets(struct policy_diff *d, const struct diff_subject *s, const char *field,
		    uint32_t old, uint32_t new, const char *(*namer)(uint32_t),
		    enum diff_effect (*effect_of)(uint32_t bit, int added))
{
	struct diff_value v;

	for (unsigned b = 0; b < 32; b++) {
		uint32_t bit = (uint32_t)1 << b;

		if ((old & bit) == (new & bit))
			continue;
		if (diff_add(d, s, field, new & bit ? "added" : "removed", effect_of(bit, !!(new & bit)),
			old & bit ? diff_bit_ref(namer, bit, &v) : NULL,
			new & bit ? diff_bit_ref(namer, bit, &v) : NULL) != 0)
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

/* Deny refuses the op outright: gaining it narrows, losing it widens.
 * takes-cap and trailing each let a caller hand procd more (a capability,
 * a chunk of bytes past the fixed request): gaining one widens. Unknown
 * bits (lint refuses them) are reported as neutral. */
static enum diff_effect op_flag(uint32_t bit, int added)
{
	if (bit == PROCD_OP_DENY)
		return added ? EFFECT_NARROWING : EFFECT_WIDENING;
	if (bit == PROCD_OP_TAKES_CAP || bit == PROCD_OP_TRAILING)
		return added ? EFFECT_WIDENING : EFFECT_NARROWING;
	return EFFECT_NEUTRAL;
}

static int changed(struct policy_diff *d, const struct diff_subject *s, const char *field,
		   enum diff_effect e, const char *old_value, const char *new_value)
{
	return diff_add(d, s, field, "changed", e, old_value, new_value);
}

static int enum_field(struct policy_diff *d, const struct diff_subject *s, const char *field,
		      const char *(*namer)(uint32_t), uint32_t old, uint32_t new, enum diff_effect e)
{
	struct diff_value a, b;

	if (old == new)
		return 0;
	return changed(d, s, field, e, diff_enum_ref(namer(old), old, &a), diff_enum_ref(namer(new), new, &b));
}

static int string_field(struct policy_diff *d, const struct diff_subject *s, const char *field,
			const char *old, const char *new, enum diff_effect e)
{
	return strcmp(old, new) == 0 ? 0 : changed(d, s, field, e, old, new);
}

/* The change's field: "quota children", as the record spells the fact. */
static const char *const quota_fields[MODEL_QUOTAS] = {
	"quota children", "quota waits", "quota transfers", "quota image-kib",
};

static const char *quota_ref(const struct model_role *r, unsigned q, struct diff_value *v)
{
	snprintf(v->s, sizeof v->s, "%" PRIu32 " (%s)", r->quota[q],
		 r->quota_declared & (1u << q) ? "declared" : "default");
	return v->s;
}

/* A quota bounds what the role may hold at once as a requester: a higher
 * one lets it take more of procd's tables, so it widens. The same value,
 * now declared rather than defaulted (or the reverse), grants nothing new. */
static int quotas(struct policy_diff *d, const struct diff_subject *s, const struct model_role *o,
		  const struct model_role *n)
{
	struct diff_value a, b;

	for (unsigned q = 0; q < MODEL_QUOTAS; q++) {
		uint32_t was = o->quota[q], now = n->quota[q];
		int rc = 0;

		if (was != now)
			rc = diff_add(d, s, quota_fields[q], now > was ? "grown" : "shrunk",
				 now > was ? EFFECT_WIDENING : EFFECT_NARROWING, quota_ref(o, q, &a),
				 quota_ref(n, q, &b));
		else if ((o->quota_declared ^ n->quota_declared) & (1u << q))
			rc = changed(d, s, quota_fields[q], EFFECT_NEUTRAL, quota_ref(o, q, &a),
				     quota_ref(n, q, &b));
		if (rc != 0)
			return -1;
	}
	return 0;
}

int diff_compare_roles(struct policy_diff *d, const struct model_role *o, const struct model_role *n)
{
	struct diff_subject s = { 0, n->id, n->name, n->source, o->source };
	struct diff_value a, b;
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
	    diff_add(d, &s, "window", n->window > o->window ? "grown" : "shrunk",
		n->window > o->window ? EFFECT_WIDENING : EFFECT_NARROWING, diff_number_ref(o->window, &a),
		diff_number_ref(n->window, &b)) != 0)
		return -1;
	if (bit_sets(d, &s, "flag", o->flags, n->flags, model_policy_flag_name, more_is_wider) ||
	    id_sets(d, &s, "requester", o->requesters, o->nrequesters, n->requesters,
		    n->nrequesters, diff_role_ref, plain_set) ||
	    id_sets(d, &s, "slot", o->slots, o->nslots, n->slots, n->nslots, slot_of, plain_set))
		return -1;
	diff_note_role(d, first, o, n);
	if (string_field(d, &s, "image", o->image, n->image, EFFECT_IMAGE) != 0)
		return -1;
	return quotas(d, &s, o, n);
}

int diff_compare_ops(struct policy_diff *d, const struct model_op *o, const struct model_op *n)
{
	struct diff_subject s = { 1, n->id, n->name, NULL, NULL };

	if (string_field(d, &s, "name", o->name, n->name, EFFECT_NEUTRAL) ||
	    bit_sets(d, &s, "endpoint", o->endpoints, n->endpoints, model_op_endpoint_name,
		     more_is_wider) ||
	    id_sets(d, &s, "caller", o->callers, o->ncallers, n->callers, n->ncallers, diff_role_ref,
		    caller_set))
		return -1;
	return bit_sets(d, &s, "flag", o->flags, n->flags, model_op_flag_name, op_flag);
}

int diff_role_alone(struct policy_diff *d, const struct model_role *r, int added)
{
	struct diff_subject s = { 0, r->id, r->name, r->source, added ? "" : r->source };
	struct diff_value v;

	diff_role_summary(d, r, &v);
	return diff_add(d, &s, "role", added ? "added" : "removed",
		   added ? EFFECT_WIDENING : EFFECT_NARROWING, added ? NULL : v.s, added ? v.s : NULL);
}

/* A reserved (deny) op refuses either way, present or absent: neutral. */
int diff_op_alone(struct policy_diff *d, const struct model_op *o, int added)
{
	struct diff_subject s = { 1, o->id, o->name, NULL, NULL };
	enum diff_effect e = added ? EFFECT_WIDENING : EFFECT_NARROWING;
	struct diff_value v;

	if (o->flags & PROCD_OP_DENY)
		e = EFFECT_NEUTRAL;
	diff_op_summary(d, o, &v);
	return diff_add(d, &s, "op", added ? "added" : "removed", e, added ? NULL : v.s,
		   added ? v.s : NULL);
}
