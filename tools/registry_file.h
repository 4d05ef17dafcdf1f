/* SPDX-License-Identifier: ISC */
/*
 * The policy and op registries of a built procd, read from its ELF file
 * without running it.
 *
 * Entries are copied into aligned heap arrays (the file's bytes may sit at
 * any address) and sorted — policies by role id, ops by op id — so that what
 * a reviewer sees never depends on the order the linker happened to use.
 * `sets` describes the copies in the form procd_registry_check() takes, so
 * procd-policy lint applies exactly the checks procd applies at startup.
 */
#ifndef PROCD_TOOLS_REGISTRY_FILE_H
#define PROCD_TOOLS_REGISTRY_FILE_H

#include <stddef.h>

#include "core/layout.h"
#include "core/registry.h"
#include "tools/elf_sections.h"

/* More entries than this in one section is refused as malformed: the
 * registry checks are pairwise, and a hostile file of thousands of identical
 * entries would otherwise yield millions of findings. Lint still sees (and
 * flags) anything above PROCD_MAX_POLICIES / PROCD_MAX_OPS. */
#define REGISTRY_FILE_MAX_ENTRIES 1024u

struct registry_file {
	struct procd_layout layout;
	struct procd_policy *policies;       /* sorted by role id */
	size_t npolicies;
	struct procd_policy_origin *origins; /* sorted by identifier */
	size_t norigins;
	struct procd_op *ops;                /* sorted by op id; handlers zeroed */
	size_t nops;
	struct procd_sets sets;              /* the arrays above, handlers_known = 0 */
	/* Role modules configure left out, comma-separated; "" for none. */
	char roles_left_out[PROCD_ROLES_LEFT_OUT_MAX];
};

/* Reads the registries of the ELF file at path. On failure rf is left empty. */
int registry_load(struct registry_file *rf, const char *path, struct elf_error *err);
/* The same from size bytes in memory (used by the tests). */
int registry_parse(struct registry_file *rf, const void *data, size_t size, struct elf_error *err);
/* Safe on an empty or failed rf. */
void registry_free(struct registry_file *rf);

/* The first policy (in role order) with this role id, or NULL. */
const struct procd_policy *registry_policy_by_role(const struct registry_file *rf, uint32_t role);

#endif
