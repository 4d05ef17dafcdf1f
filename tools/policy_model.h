/* SPDX-License-Identifier: ISC */
/*
 * The reviewed view of a registry: what a build grants, as sets of facts
 * that compare one by one. It is made from a built binary's registry
 * (tools/registry_file.h) or read back from a policy record
 * (tools/policy_lock.h), and `diff`, `lock` and the authority graph work on
 * it alone, so a binary and a record of it can never be compared by two
 * different readings.
 *
 * Everything in it is authority or provenance: no sizes, no process table
 * size, no handler, nothing that differs between two builds of the same
 * policies. Id lists are sorted sets without repeats (procd reads them up to
 * their first 0, and their order grants nothing). Strings are NUL-terminated
 * copies of descriptor fields, which need not be terminated in the file,
 * and are still untrusted bytes: every renderer escapes them.
 */
#ifndef PROCD_TOOLS_POLICY_MODEL_H
#define PROCD_TOOLS_POLICY_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/op.h"
#include "core/policy.h"
#include "tools/registry_file.h"

/* What a role may hold at once as a requester (core/authority.c applies
 * them), in record order. */
enum model_quota {
	QUOTA_CHILDREN,
	QUOTA_WAITS,
	QUOTA_TRANSFERS,
	QUOTA_IMAGE_KIB,
	MODEL_QUOTAS,
};

struct model_role {
	char name[PROCD_NAME_MAX + 1];
	uint32_t id;
	/* Enumerations as numbers: a record may hold a value this tool has no
	 * name for, and it must survive a round trip unchanged. */
	uint32_t role_class;
	uint32_t endpoint;
	uint32_t boot_stage;
	uint32_t restart;
	uint32_t window;
	uint32_t flags;
	uint32_t requesters[PROCD_POLICY_REQUESTERS];
	size_t nrequesters;
	uint32_t slots[PROCD_POLICY_SLOTS];
	size_t nslots;
	char image[PROCD_IMAGE_MAX + 1];
	char source[PROCD_SOURCE_MAX + 1]; /* base name; "" without an origin record */
	/* The quota procd applies: a field the policy leaves 0 is procd's
	 * default, so the effective value is the fact, and whether the policy
	 * declares it is provenance (bit 1 << enum model_quota). */
	uint32_t quota[MODEL_QUOTAS];
	uint32_t quota_declared;
};

struct model_op {
	char name[PROCD_OP_NAME_MAX + 1];
	uint32_t id;
	uint32_t endpoints; /* PROCD_EP_* mask */
	uint32_t flags;     /* PROCD_OP_* */
	uint32_t callers[PROCD_OP_CALLERS]; /* may hold PROCD_CALLER_ANY */
	size_t ncallers;
};

/* A name the model knows for a role id it does not declare: rootd and
 * procd, roles left out of a build, or the annotation a record gives. */
struct model_name {
	uint32_t id;
	char name[PROCD_NAME_MAX + 1];
};

struct policy_model {
	struct model_role *roles; /* sorted by id, ids unique */
	size_t nroles;
	struct model_op *ops;     /* sorted by id, ids unique */
	size_t nops;
	struct model_name *names; /* sorted by id, ids unique */
	size_t nnames;
	/* A binary's role modules left out by configure, comma-separated ("" for
	 * none, and for a record, which states grants, not how they were built). */
	char roles_left_out[PROCD_ROLES_LEFT_OUT_MAX];
};

/* Bounded like a registry file: more is refused, not read. */
#define MODEL_MAX_ENTRIES REGISTRY_FILE_MAX_ENTRIES

/*
 * The model of a binary's registry. Fails (with err) when two policies or
 * two ops share an id: lint refuses such a registry, and no comparison of
 * it could say which of the two a change belongs to.
 */
int model_from_registry(struct policy_model *m, const struct registry_file *rf,
			struct elf_error *err);
/* Safe on an empty or failed model. */
void model_free(struct policy_model *m);

const struct model_role *model_role_by_id(const struct policy_model *m, uint32_t id);

/*
 * A role id's name for people: the role the model declares, else a name it
 * knows (struct model_name), else the ABI's seed name, else NULL. "any" is
 * the caller wildcard's.
 */
const char *model_role_name(const struct policy_model *m, uint32_t id);

/* Sorts and removes repeats; returns the new count. */
size_t model_sort_ids(uint32_t *ids, size_t n);
/* Whether the sorted set holds id. */
int model_has_id(const uint32_t *ids, size_t n, uint32_t id);

/* Names of the enumerations and flag bits, shared by every renderer and by
 * the record parser. NULL for a value without a name. */
const char *model_class_name(uint32_t v);
const char *model_endpoint_name(uint32_t v);
const char *model_stage_name(uint32_t v);
const char *model_restart_name(uint32_t v);
const char *model_policy_flag_name(uint32_t bit);
const char *model_op_flag_name(uint32_t bit);
const char *model_op_endpoint_name(uint32_t bit);
/* A quota field's name in records and output ("children", ..., "image-kib"),
 * and the value procd applies when a policy leaves the field 0. */
const char *model_quota_name(uint32_t q);
uint32_t model_quota_default(uint32_t q);
/* The effective quota of a policy, and which fields it declares. */
void model_quota_of(const struct procd_policy *p, uint32_t quota[MODEL_QUOTAS], uint32_t *declared);

/* The value with this name (-1 when none), for the same tables. */
int model_value_of(const char *(*namer)(uint32_t), uint32_t limit, const char *name, uint32_t *v);

#endif
