/* SPDX-License-Identifier: ISC */
/*
 * Between the walk over both models (tools/diff_models.c) and the rule
 * table (tools/diff_rules.c): the changes one role or op makes.
 */
#ifndef PROCD_TOOLS_DIFF_RULES_H
#define PROCD_TOOLS_DIFF_RULES_H

#include <stdint.h>

#include "tools/policy_diff.h"

/* The role or op a change is of, as the change records it. */
struct diff_subject {
	int is_op;
	uint32_t id;
	const char *name;
	const char *source;
	const char *old_source;
};

/* Appends one change (values NULL for none); 0, or -1 out of memory. */
int diff_add(struct policy_diff *d, const struct diff_subject *s, const char *field,
	     const char *change, enum diff_effect effect, const char *old_value,
	     const char *new_value);

/* The changes between a role (an op) both sides have, o old and n new. */
int diff_compare_roles(struct policy_diff *d, const struct model_role *o, const struct model_role *n);
int diff_compare_ops(struct policy_diff *d, const struct model_op *o, const struct model_op *n);
/* A role (an op) that one side alone has: added when it is new's. */
int diff_role_alone(struct policy_diff *d, const struct model_role *r, int added);
int diff_op_alone(struct policy_diff *d, const struct model_op *o, int added);

#endif
