/* SPDX-License-Identifier: ISC */
/*
 * How a policy diff writes the values of its changes (tools/diff_values.c);
 * shared by the rules that make the changes and the output that lists what
 * was not compared.
 */
#ifndef PROCD_TOOLS_DIFF_VALUES_H
#define PROCD_TOOLS_DIFF_VALUES_H

#include <stdint.h>

#include "tools/policy_diff.h"

struct diff_value {
	char s[DIFF_VALUE_MAX];
};

/* Each returns the text, in v or a constant. */
/* A role id for people: its name in either model (or the ABI's), and the id. */
const char *diff_role_ref(const struct policy_diff *d, uint32_t id, struct diff_value *v);
/* A slot number and its ABI name ("2128 kernel-time"). */
const char *diff_slot_ref(uint32_t slot, struct diff_value *v);
/* name, or the number said to be unknown when there is none. */
const char *diff_enum_ref(const char *name, uint32_t n, struct diff_value *v);
const char *diff_number_ref(uint32_t n, struct diff_value *v);
/* The bit's name by namer, or the bit in hex. */
const char *diff_bit_ref(const char *(*namer)(uint32_t), uint32_t bit, struct diff_value *v);

/* The whole grant of a role, or the whole of an op, that exists on one
 * side only. */
const char *diff_role_summary(const struct policy_diff *d, const struct model_role *r,
			      struct diff_value *v);
const char *diff_op_summary(const struct policy_diff *d, const struct model_op *o,
			    struct diff_value *v);

#endif
