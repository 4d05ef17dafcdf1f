/* SPDX-License-Identifier: ISC */
/*
 * What a role can cause to be granted. A role may start another when it is
 * one of that role's requesters (procd accepts the request on the target's
 * endpoint), or, when it may call the loader transfer ops, any role whose
 * policy allows a start from transferred bytes (loader-launch, on the
 * bootstrap endpoint). Following that relation from one role gives every
 * role it can bring into being, directly or through the roles it starts,
 * and so every slot it can cause procd to install: deviced -> the drivers
 * -> their kernel endpoints; rootd and procd -> everything they request.
 *
 * Worked on the policy model, so a reviewed record answers as the binary
 * it was written from does.
 */
#ifndef PROCD_TOOLS_POLICY_REACH_H
#define PROCD_TOOLS_POLICY_REACH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tools/policy_model.h"
#include "tools/slot_query.h"

/* How a role is started by another (a mask: both may hold). */
#define REACH_BY_REQUEST  0x1u /* it is among the target's requesters */
#define REACH_BY_TRANSFER 0x2u /* it may call the loader transfer; the target is loader-launch */

/* The roles `role` may start itself, in id order; returns how many
 * (at most max; ways[i] is the REACH_BY_* mask of out[i]). */
size_t reach_starts(const struct policy_model *m, uint32_t role, uint32_t *out, unsigned *ways,
		    size_t max);
/* The other way round: the roles that may start `role` by loader transfer
 * (the callers of the transfer, PROCD_CALLER_ANY among them if it is open
 * to any), in id order; none unless `role` is loader-launch. Its
 * requesters, the other way, are in its policy. */
size_t reach_transferers(const struct policy_model *m, uint32_t role, uint32_t *out, size_t max);
/* The roles that do not hold `slot` but may start, directly or through
 * others, a role that does: who can cause procd to grant it. rootd and
 * procd first, then in id order; (size_t)-1 for lack of memory. */
size_t reach_granters(const struct policy_model *m, uint32_t slot, uint32_t *out, size_t max);
/* The ops that name `role` among their callers (not those open to any), in id order. */
size_t reach_calls(const struct policy_model *m, uint32_t role, const struct model_op **out,
		   size_t max);

struct reach_node {
	uint32_t role;
	uint32_t via;   /* the role that starts it; the root's is its own id */
	unsigned ways;  /* REACH_BY_* of via starting it; 0 for the root */
	unsigned depth; /* 0 for the root */
};

struct reach {
	struct reach_node *nodes; /* the root first, then breadth first, each role once */
	size_t n;
};

/* Fails only for lack of memory. The root need not have a policy (rootd). */
int reach_compute(struct reach *r, const struct policy_model *m, uint32_t root);
void reach_free(struct reach *r);
/* Whether some role of r, its root among them, may hold slot. */
int reach_holds(const struct policy_model *m, const struct reach *r, uint32_t slot);

/* A role as written on the command line: its name, one the ABI fixes
 * (rootd, procd), or an id (17, 0x11). 0 when found. */
int reach_role_arg(const struct policy_model *m, const char *arg, uint32_t *id);

/* For `show`: the roles it may start, one a line, each line after the
 * first indented by indent spaces; and the JSON members
 * ,"may_call":[...],"may_start":[...] to append to the role's object. */
void reach_write_starts_text(FILE *out, const struct policy_model *m, uint32_t role, int indent);
void reach_write_starts_json(FILE *out, const struct policy_model *m, uint32_t role);
/* Who may start it by loader transfer: one a line, indented likewise
 * (nothing at all when nobody may); and ,"transferred_by":[...]. */
void reach_write_transferers_text(FILE *out, const struct policy_model *m, uint32_t role, const char *key,
				  int indent);

/* `reach` and `who-holds`. */
void reach_write_text(FILE *out, const struct policy_model *m, const struct reach *r);
void reach_write_json(FILE *out, const struct policy_model *m, const struct reach *r);
void who_holds_write_text(FILE *out, const struct policy_model *m, const struct slot_query *q);
void who_holds_write_json(FILE *out, const struct policy_model *m, const struct slot_query *q);

#endif
