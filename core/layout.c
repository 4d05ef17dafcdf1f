/* SPDX-License-Identifier: ISC */
/* The layout record every procd binary carries for readers of its registries. */
#include "core/layout.h"
#include "core/op.h"
#include "core/policy.h"

#ifndef PROCD_MAX_PROCESSES
#error "PROCD_MAX_PROCESSES comes from configure (--with-max-processes)"
#endif

__attribute__((used, section(PROCD_SECTION_LAYOUT), aligned(8))) PROCD_RETAIN
const struct procd_layout procd_layout = {
	.magic = { 'P', 'R', 'O', 'C', 'D', 'R', 'E', 'G' },
	.version = PROCD_LAYOUT_VERSION,
	.policy_size = sizeof(struct procd_policy),
	.origin_size = sizeof(struct procd_policy_origin),
	.op_size = sizeof(struct procd_op),
	.name_max = PROCD_NAME_MAX,
	.slots_max = PROCD_POLICY_SLOTS,
	.requesters_max = PROCD_POLICY_REQUESTERS,
	.callers_max = PROCD_OP_CALLERS,
	.max_processes = PROCD_MAX_PROCESSES,
};

#ifndef PROCD_ROLES_LEFT_OUT
#error "PROCD_ROLES_LEFT_OUT comes from configure (--disable-roles)"
#endif
_Static_assert(sizeof(PROCD_ROLES_LEFT_OUT) <= PROCD_ROLES_LEFT_OUT_MAX,
	       "the list of role modules left out fits its record");

__attribute__((used, section(PROCD_SECTION_ROLES_LEFT_OUT), aligned(8))) PROCD_RETAIN
const char procd_left_out_roles[PROCD_ROLES_LEFT_OUT_MAX] = PROCD_ROLES_LEFT_OUT;
