/* SPDX-License-Identifier: ISC */
#include "core/abi/procd_status.h"
#include "core/daemon.h"
#include "core/modules.h"
#include "core/text.h"

uint32_t procd_module_of(const struct procd *d, const struct procd_policy *policy)
{
	size_t n = procd_strnlen(policy->image, sizeof policy->image);

	for (uint32_t i = 0; i < d->nmodules; i++)
		if (procd_field_eq(d->modules[i].name, PROCD_MODULE_NAME_MAX, policy->image, n))
			return i;
	return PROCD_IMAGE_OF_ROLE; /* no such module */
}

uint32_t procd_module_check(const struct procd *d, const struct procd_policy *policy, uint32_t module,
			    struct procd_refusal *why)
{
	if (module >= d->nmodules)
		return PROCD_E_NOT_FOUND;
	return procd_may_run_module(policy, d->modules[module].name,
				    procd_strnlen(d->modules[module].name, PROCD_MODULE_NAME_MAX), why);
}
