/* SPDX-License-Identifier: ISC */
#include "core/abi/procd_status.h"
#include "core/abi/procd_msg.h"
#include "core/modules.h"
#include "core/text.h"

int procd_modules_add(struct procd_modules *ms, procd_cap cap, uint32_t flags,
		      const char name[PROCD_MODULE_NAME_MAX])
{
	struct procd_module *m;

	if (ms->count >= PROCD_ENVELOPE_MODULES_MAX)
		return -1;
	m = &ms->module[ms->count++];
	m->cap = cap;
	m->flags = flags;
	procd_bytes_copy(m->name, name, PROCD_MODULE_NAME_MAX);
	return 0;
}

const struct procd_module *procd_module_at(const struct procd_modules *ms, uint32_t i)
{
	return i < ms->count ? &ms->module[i] : 0;
}

uint32_t procd_modules_count(const struct procd_modules *ms)
{
	return ms->count;
}

void procd_modules_drop(struct procd_modules *ms)
{
	for (uint32_t i = 0; i < ms->count; i++)
		port_cap_drop(ms->module[i].cap);
	ms->count = 0;
}

uint32_t procd_module_of(const struct procd_modules *ms, const struct procd_policy *policy)
{
	size_t n = procd_strnlen(policy->image, sizeof policy->image);

	for (uint32_t i = 0; i < ms->count; i++)
		if (procd_field_eq(ms->module[i].name, PROCD_MODULE_NAME_MAX, policy->image, n))
			return i;
	return PROCD_IMAGE_OF_ROLE; /* no such module */
}

uint32_t procd_module_check(const struct procd_modules *ms, const struct procd_policy *policy, uint32_t module,
			    struct procd_refusal *why)
{
	const struct procd_module *m = procd_module_at(ms, module);

	if (!m)
		return PROCD_E_NOT_FOUND;
	return procd_may_run_module(policy, m->name, procd_strnlen(m->name, PROCD_MODULE_NAME_MAX), why);
}
