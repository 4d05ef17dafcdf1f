/* SPDX-License-Identifier: ISC */
/*
 * The two link-time registries (policies and ops) as this binary links
 * them, and the index procd builds over them once at startup, after
 * core/registry_check.h found them valid.
 */
#ifndef PROCD_CORE_REGISTRY_H
#define PROCD_CORE_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "core/op.h"
#include "core/policy.h"
#include "core/registry_check.h"
#include "core/text.h"

/* The sets this binary was linked with. */
void procd_sets_linked(struct procd_sets *sets);

/* Sorted views for O(log n) lookup, built once. */
struct procd_registry {
	struct procd_sets sets;
	uint16_t by_role[PROCD_MAX_POLICIES];
	uint16_t by_name[PROCD_MAX_POLICIES];
	uint16_t ops_by_id[PROCD_MAX_OPS];
};

/* Checks the sets, then indexes them; non-zero (the finding count) if refused. */
unsigned procd_registry_init(struct procd_registry *reg, const struct procd_sets *sets,
			     procd_finding_fn report, void *ctx);

const struct procd_policy *procd_policy_by_role(const struct procd_registry *reg, uint32_t role);
const struct procd_policy *procd_policy_by_name(const struct procd_registry *reg,
						const char *name, size_t len);
const struct procd_op *procd_op_by_id(const struct procd_registry *reg, uint32_t id);

/* Appends a role by name where one is known (a policy's, or rootd/procd),
 * else its id in hex. */
void procd_text_role(struct procd_text *t, const struct procd_registry *reg, uint32_t role);

#endif
