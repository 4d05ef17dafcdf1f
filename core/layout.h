/* SPDX-License-Identifier: ISC */
/*
 * The registry layout record: placed in its own section beside the sets so
 * that a reader of a built binary (procd-policy) can refuse one whose
 * descriptor layout it does not know, instead of misreading it.
 */
#ifndef PROCD_CORE_LAYOUT_H
#define PROCD_CORE_LAYOUT_H

#include <stdint.h>

#define PROCD_LAYOUT_MAGIC   "PROCDREG"
#define PROCD_LAYOUT_VERSION 2u /* 2: policies carry a quota */

#define PROCD_SECTION_POLICIES "procd_policies"
#define PROCD_SECTION_ORIGINS  "procd_policy_origins"
#define PROCD_SECTION_OPS      "procd_ops"
#define PROCD_SECTION_LAYOUT   "procd_registry_layout"
/* The role modules configure left out of this build (--disable-roles), as
 * a NUL-terminated comma-separated list in a fixed-size record: a reader
 * tells an op that is absent because its module is not compiled in from
 * one that was removed. An empty list, or no such section, means none. */
#define PROCD_SECTION_ROLES_LEFT_OUT "procd_roles_left_out"
#define PROCD_ROLES_LEFT_OUT_MAX 64

struct procd_layout {
	char magic[8];          /* PROCD_LAYOUT_MAGIC, no NUL */
	uint32_t version;
	uint32_t policy_size;   /* sizeof(struct procd_policy) */
	uint32_t origin_size;
	uint32_t op_size;
	uint32_t name_max;
	uint32_t slots_max;
	uint32_t requesters_max;
	uint32_t callers_max;
	uint32_t max_processes; /* the build's process table size */
	uint32_t reserved[5];
};

_Static_assert(sizeof(struct procd_layout) == 64, "layout record is ABI for procd-policy");

#endif
