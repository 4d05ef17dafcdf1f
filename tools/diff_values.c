/* SPDX-License-Identifier: ISC */
/*
 * A change's values as people read them: ids by name where either model
 * (or the ABI) names them, and the whole grant of a role or op that exists
 * on one side only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tools/abi_names.h"
#include "tools/diff_values.h"

/* A role id for people: its name in either model (or the ABI's), and the id. */
const char *diff_role_ref(const struct policy_diff *d, uint32_t id, struct diff_value *v)
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

const char *diff_slot_ref(uint32_t slot, struct diff_value *v)
{
	const char *name = abi_slot_name(slot);

	snprintf(v->s, sizeof v->s, "%" PRIu32 "%s%s", slot, name ? " " : "", name ? name : "");
	return v->s;
}

const char *diff_enum_ref(const char *name, uint32_t n, struct diff_value *v)
{
	if (name)
		return name;
	snprintf(v->s, sizeof v->s, "%" PRIu32 " (unknown)", n);
	return v->s;
}

const char *diff_number_ref(uint32_t n, struct diff_value *v)
{
	snprintf(v->s, sizeof v->s, "%" PRIu32, n);
	return v->s;
}

const char *diff_bit_ref(const char *(*namer)(uint32_t), uint32_t bit, struct diff_value *v)
{
	const char *name = namer(bit);

	if (name)
		return name;
	snprintf(v->s, sizeof v->s, "0x%" PRIx32, bit);
	return v->s;
}

/* Appends to a value, cut (never overrun) at its size. */
static void cat(struct diff_value *v, const char *s)
{
	size_t n = strlen(v->s);

	snprintf(v->s + n, sizeof v->s - n, "%s", s);
}

static void cat_bits(struct diff_value *v, const char *(*namer)(uint32_t), uint32_t bits)
{
	struct diff_value one;
	int any = 0;

	for (unsigned b = 0; b < 32; b++)
		if (bits & ((uint32_t)1 << b)) {
			cat(v, any++ ? "," : "");
			cat(v, diff_bit_ref(namer, (uint32_t)1 << b, &one));
		}
	if (!any)
		cat(v, "-");
}

static void cat_roles(struct diff_value *v, const struct policy_diff *d, const uint32_t *ids, size_t n)
{
	struct diff_value one;

	for (size_t i = 0; i < n; i++) {
		const char *name = ids[i] == PROCD_CALLER_ANY ? "any" : model_role_name(d->new, ids[i]);

		if (!name)
			name = model_role_name(d->old, ids[i]);
		if (!name)
			name = diff_number_ref(ids[i], &one);
		cat(v, i ? "," : "");
		cat(v, name);
	}
	if (n == 0)
		cat(v, "-");
}

/* The whole grant of a role that exists on one side only. */
const char *diff_role_summary(const struct policy_diff *d, const struct model_role *r,
			      struct diff_value *v)
{
	struct diff_value one;

	v->s[0] = '\0';
	cat(v, diff_enum_ref(model_class_name(r->role_class), r->role_class, &one));
	cat(v, ", endpoint ");
	cat(v, diff_enum_ref(model_endpoint_name(r->endpoint), r->endpoint, &one));
	cat(v, ", stage ");
	cat(v, diff_enum_ref(model_stage_name(r->boot_stage), r->boot_stage, &one));
	cat(v, ", restart ");
	cat(v, diff_enum_ref(model_restart_name(r->restart), r->restart, &one));
	cat(v, ", image ");
	cat(v, r->image[0] ? r->image : "-");
	cat(v, ", window ");
	cat(v, diff_number_ref(r->window, &one));
	cat(v, ", requesters ");
	cat_roles(v, d, r->requesters, r->nrequesters);
	cat(v, ", slots ");
	for (size_t i = 0; i < r->nslots; i++) {
		cat(v, i ? "," : "");
		cat(v, diff_number_ref(r->slots[i], &one));
	}
	if (r->nslots == 0)
		cat(v, "-");
	if (r->flags) {
		cat(v, ", flags ");
		cat_bits(v, model_policy_flag_name, r->flags);
	}
	cat(v, ", quota");
	for (uint32_t q = 0; q < MODEL_QUOTAS; q++) {
		cat(v, " ");
		cat(v, model_quota_name(q));
		cat(v, " ");
		cat(v, diff_number_ref(r->quota[q], &one));
	}
	return v->s;
}

const char *diff_op_summary(const struct policy_diff *d, const struct model_op *o,
			    struct diff_value *v)
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
