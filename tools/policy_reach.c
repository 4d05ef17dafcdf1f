/* SPDX-License-Identifier: ISC */
/*
 * The start relation and its closure. A model holds at most
 * MODEL_MAX_ENTRIES roles, so the breadth-first walk visits each once and
 * asks each for its starts once: quadratic in the roles, bounded.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tools/abi_names.h"
#include "tools/policy_reach.h"

/* Who may call the loader transfer: the callers of the op that checks
 * loader-launch, unless it is refused outright. */
static int may_transfer(const struct policy_model *m, uint32_t role)
{
	for (size_t i = 0; i < m->nops; i++) {
		const struct model_op *op = &m->ops[i];

		if (op->id != PROCD_OP_BEGIN_LOADER_IMAGE_TRANSFER || (op->flags & PROCD_OP_DENY))
			continue;
		return model_has_id(op->callers, op->ncallers, role) ||
		       model_has_id(op->callers, op->ncallers, PROCD_CALLER_ANY);
	}
	return 0;
}

/* procd refuses a transfer for any other target (roles/loader.c). */
static int transferable(const struct model_role *t)
{
	return (t->flags & PROCD_POLICY_LOADER_LAUNCH) && t->endpoint == PROCD_EP_BOOTSTRAP;
}

size_t reach_transferers(const struct policy_model *m, uint32_t role, uint32_t *out, size_t max)
{
	const struct model_role *t = model_role_by_id(m, role);
	size_t n = 0;

	if (!t || !transferable(t))
		return 0;
	for (size_t i = 0; i < m->nops; i++) {
		const struct model_op *op = &m->ops[i];

		if (op->id != PROCD_OP_BEGIN_LOADER_IMAGE_TRANSFER || (op->flags & PROCD_OP_DENY))
			continue;
		for (size_t k = 0; k < op->ncallers && n < max; k++)
			if (op->callers[k] != role)
				out[n++] = op->callers[k];
	}
	return n;
}

size_t reach_starts(const struct policy_model *m, uint32_t role, uint32_t *out, unsigned *ways,
		    size_t max)
{
	int transfers = may_transfer(m, role);
	size_t n = 0;

	for (size_t i = 0; i < m->nroles && n < max; i++) {
		const struct model_role *t = &m->roles[i];
		unsigned w = 0;

		if (model_has_id(t->requesters, t->nrequesters, role))
			w |= REACH_BY_REQUEST;
		if (transfers && transferable(t))
			w |= REACH_BY_TRANSFER;
		if (w == 0 || t->id == role)
			continue;
		out[n] = t->id;
		ways[n++] = w;
	}
	return n;
}

size_t reach_calls(const struct policy_model *m, uint32_t role, const struct model_op **out,
		   size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nops && n < max; i++)
		if (model_has_id(m->ops[i].callers, m->ops[i].ncallers, role))
			out[n++] = &m->ops[i];
	return n;
}

int reach_holds(const struct policy_model *m, const struct reach *r, uint32_t slot)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct model_role *t = model_role_by_id(m, r->nodes[i].role);

		if (t && model_has_id(t->slots, t->nslots, slot))
			return 1;
	}
	return 0;
}

size_t reach_granters(const struct policy_model *m, uint32_t slot, uint32_t *out, size_t max)
{
	size_t n = 0;

	/* rootd and procd's boot plan first, then every role with a policy. */
	for (size_t i = 0; i < m->nroles + 2 && n < max; i++) {
		uint32_t id = i == 0 ? ROLE_ROOTD : i == 1 ? ROLE_PROCD : m->roles[i - 2].id;
		const struct model_role *self = model_role_by_id(m, id);
		struct reach r;
		int grants;

		if ((i < 2 && self) || (self && model_has_id(self->slots, self->nslots, slot)))
			continue;
		if (reach_compute(&r, m, id) != 0)
			return (size_t)-1;
		grants = reach_holds(m, &r, slot);
		reach_free(&r);
		if (grants)
			out[n++] = id;
	}
	return n;
}

static int visited(const struct reach *r, uint32_t role)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->nodes[i].role == role)
			return 1;
	return 0;
}

int reach_compute(struct reach *r, const struct policy_model *m, uint32_t root)
{
	size_t cap = m->nroles + 1;
	uint32_t *ids = malloc(cap * sizeof *ids);
	unsigned *ways = malloc(cap * sizeof *ways);

	r->n = 0;
	r->nodes = malloc(cap * sizeof *r->nodes);
	if (!ids || !ways || !r->nodes) {
		free(ids);
		free(ways);
		reach_free(r);
		return -1;
	}
	r->nodes[r->n++] = (struct reach_node){ root, root, 0, 0 };
	for (size_t at = 0; at < r->n; at++) {
		struct reach_node from = r->nodes[at];
		size_t k = reach_starts(m, from.role, ids, ways, cap);

		for (size_t i = 0; i < k && r->n < cap; i++)
			if (!visited(r, ids[i]))
				r->nodes[r->n++] = (struct reach_node){ ids[i], from.role, ways[i],
									 from.depth + 1 };
	}
	free(ids);
	free(ways);
	return 0;
}

void reach_free(struct reach *r)
{
	free(r->nodes);
	r->nodes = NULL;
	r->n = 0;
}

int reach_role_arg(const struct policy_model *m, const char *arg, uint32_t *id)
{
	int hex = arg[0] == '0' && (arg[1] == 'x' || arg[1] == 'X');
	const char *digits = hex ? arg + 2 : arg;
	unsigned long v;
	char *end;

	for (size_t i = 0; i < m->nroles; i++)
		if (strcmp(m->roles[i].name, arg) == 0) {
			*id = m->roles[i].id;
			return 0;
		}
	for (uint32_t r = 1; r < 2 * SERVICE_ROLE_EXTENSION_BASE; r++) { /* every id the ABI names */
		const char *name = abi_role_name(r);

		if (name && strcmp(name, arg) == 0) {
			*id = r;
			return 0;
		}
	}
	if (digits[0] == '\0' || !strchr(hex ? "0123456789abcdefABCDEF" : "0123456789", digits[0]))
		return -1;
	errno = 0;
	v = strtoul(digits, &end, hex ? 16 : 10);
	if (errno != 0 || *end != '\0' || v == 0 || v > ROLE_MAX)
		return -1;
	/* An id nothing names is a typo, not a role with no authority. */
	if (!model_role_name(m, (uint32_t)v))
		return -1;
	*id = (uint32_t)v;
	return 0;
}
