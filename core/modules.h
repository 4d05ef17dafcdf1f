/* SPDX-License-Identifier: ISC */
/* procd's boot modules: the images rootd placed in procd's CSpace, by name. */
#ifndef PROCD_CORE_MODULES_H
#define PROCD_CORE_MODULES_H

#include <stdint.h>

#include "core/abi/procd_envelope.h"
#include "core/authority.h"
#include "core/port.h"

struct procd_module {
	procd_cap cap;
	uint32_t flags; /* PROCD_MODULE_* */
	char name[PROCD_MODULE_NAME_MAX];
};

struct procd_modules {
	struct procd_module module[PROCD_ENVELOPE_MODULES_MAX];
	uint32_t count;
};

/* Adds a module as the envelope names it; -1 when the table is full. */
int procd_modules_add(struct procd_modules *ms, procd_cap cap, uint32_t flags,
		      const char name[PROCD_MODULE_NAME_MAX]);

/* Module i, or 0 past the last one. */
const struct procd_module *procd_module_at(const struct procd_modules *ms, uint32_t i);

/* How many modules procd holds. */
uint32_t procd_modules_count(const struct procd_modules *ms);

/* Drops procd's hold on every module; the table is then empty. */
void procd_modules_drop(struct procd_modules *ms);

/* The boot module holding policy's image, or PROCD_IMAGE_OF_ROLE if none. */
uint32_t procd_module_of(const struct procd_modules *ms, const struct procd_policy *policy);

/* PROCD_OK if boot module `module` may run policy's role: it exists
 * (PROCD_E_NOT_FOUND), and procd_may_run_module allows it. */
uint32_t procd_module_check(const struct procd_modules *ms, const struct procd_policy *policy, uint32_t module,
			    struct procd_refusal *why);

#endif
