/* SPDX-License-Identifier: ISC */
/*
 * The invariants of the two link-time registries (policies and ops), stated
 * once. The same checker serves procd's startup (the last line of defence)
 * and `procd-policy lint` on a built binary (the build-time gate), so the
 * two can never disagree about what a valid registry is.
 */
#ifndef PROCD_CORE_REGISTRY_CHECK_H
#define PROCD_CORE_REGISTRY_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "core/op.h"
#include "core/policy.h"
#include "core/text.h"

/* At most this many policies and ops in one build; more is a lint error. */
#define PROCD_MAX_POLICIES 256
#define PROCD_MAX_OPS      64

struct procd_sets {
	const struct procd_policy *policies;
	size_t npolicies;
	const struct procd_policy_origin *origins;
	size_t norigins;
	const struct procd_op *ops;
	size_t nops;
	/* Set when a set's byte length is not a whole number of descriptors:
	 * the linker padded between entries and iteration cannot be trusted. */
	const char *torn;
	/* Handler pointers can be judged only in the running binary, not by a
	 * reader of the file (they are relocated at load time). */
	int handlers_known;
};

/* One violated invariant, named by file, role (or op) and field. */
struct procd_finding {
	char source[PROCD_SOURCE_MAX + 1]; /* policy file, "" if unknown */
	char subject[PROCD_OP_NAME_MAX + 1]; /* role or op name */
	const char *field;
	char message[160];
};

typedef void (*procd_finding_fn)(void *ctx, const struct procd_finding *f);

/* Checks every invariant; reports each violation; returns how many. */
unsigned procd_registry_check(const struct procd_sets *sets, procd_finding_fn report, void *ctx);

/* The origin record of a policy, or NULL. */
const struct procd_policy_origin *procd_policy_origin_of(const struct procd_sets *sets,
							  const struct procd_policy *p);

/* "policies/x.c: role 'x', field 'slots': <message>", the one wording that
 * procd's startup refusal and procd-policy lint share. */
void procd_finding_format(const struct procd_finding *f, struct procd_text *out);

#endif
