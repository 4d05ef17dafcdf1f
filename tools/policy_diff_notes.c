/* SPDX-License-Identifier: ISC */
/*
 * What a reviewer must not miss in a role's changes, said in a sentence:
 * one role handed the kernel endpoint (or procd's driver endpoint) the ABI
 * assigns another, directly, or by a new requester who may start the role
 * that holds one. The change stays what the rule table says (widening);
 * the note names whose authority moved.
 *
 * id_sets() adds a set's "added" changes in the order of the new set, so
 * the k-th added slot (requester) change of a role is its k-th id that the
 * old set lacks: matched by order, never by reparsing a value.
 */
#include <string.h>

#include "tools/abi_names.h"
#include "tools/policy_diff.h"

/* The k-th id of new that old lacks, or 0. */
static uint32_t kth_added(const uint32_t *old, size_t nold, const uint32_t *new, size_t nnew,
			  size_t k)
{
	for (size_t i = 0; i < nnew; i++)
		if (!model_has_id(old, nold, new[i]) && k-- == 0)
			return new[i];
	return 0;
}

static const char *name_of(const struct policy_diff *d, uint32_t id)
{
	const char *name = model_role_name(d->new, id);

	if (!name)
		name = model_role_name(d->old, id);
	return name ? name : "another role";
}

static void note_slot(const struct policy_diff *d, struct diff_change *c,
		      const struct model_role *n, uint32_t slot)
{
	uint32_t owner = abi_slot_owner(slot);

	if (owner == 0 || owner == n->id)
		return;
	snprintf(c->note, sizeof c->note, "%s now holds %s, which the ABI assigns to %s", n->name,
		 abi_slot_name(slot), name_of(d, owner));
}

/* Starting n grants every slot it holds: say so when one is a kernel or
 * driver endpoint. */
static void note_requester(const struct policy_diff *d, struct diff_change *c,
			   const struct model_role *n, uint32_t requester)
{
	size_t len;

	for (size_t i = 0; i < n->nslots; i++) {
		if (abi_slot_owner(n->slots[i]) == 0)
			continue;
		len = strlen(c->note);
		if (len == 0)
			snprintf(c->note, sizeof c->note, "%s may now start %s, which holds %s",
				 name_of(d, requester), n->name, abi_slot_name(n->slots[i]));
		else
			snprintf(c->note + len, sizeof c->note - len, ", %s", abi_slot_name(n->slots[i]));
	}
}

void diff_note_role(struct policy_diff *d, size_t first, const struct model_role *o,
		    const struct model_role *n)
{
	size_t slots = 0, requesters = 0;

	for (size_t k = first; k < d->n; k++) {
		struct diff_change *c = &d->changes[k];

		if (strcmp(c->change, "added") != 0)
			continue;
		if (strcmp(c->field, "slot") == 0)
			note_slot(d, c, n, kth_added(o->slots, o->nslots, n->slots, n->nslots, slots++));
		else if (strcmp(c->field, "requester") == 0)
			note_requester(d, c, n, kth_added(o->requesters, o->nrequesters, n->requesters,
							  n->nrequesters, requesters++));
	}
}
