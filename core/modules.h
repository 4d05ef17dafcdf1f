/* SPDX-License-Identifier: ISC */
/* procd's boot modules: the images rootd placed in procd's CSpace, by name. */
#ifndef PROCD_CORE_MODULES_H
#define PROCD_CORE_MODULES_H

#include <stdint.h>

#include "core/authority.h"

struct procd;

/* The boot module holding policy's image, or PROCD_IMAGE_OF_ROLE if none. */
uint32_t procd_module_of(const struct procd *d, const struct procd_policy *policy);

/* PROCD_OK if boot module `module` may run policy's role: it exists
 * (PROCD_E_NOT_FOUND), and procd_may_run_module allows it. */
uint32_t procd_module_check(const struct procd *d, const struct procd_policy *policy, uint32_t module,
			    struct procd_refusal *why);

#endif
