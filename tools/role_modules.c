/* SPDX-License-Identifier: ISC */
/*
 * The ops of each role module, as roles/<module>/ registers them. The
 * review suite (tests/policy/check-policy-review) holds the table to the
 * built procd: a module is compiled in with every op listed for it.
 */
#include <stddef.h>
#include <string.h>

#include "core/abi/procd_ops.h"
#include "tools/role_modules.h"

static const struct {
	uint32_t op;
	const char *module;
} module_ops[] = {
	{ PROCD_OP_UPDATE_FOUNDATION_ENDPOINTS, "foundation" },
	{ PROCD_OP_PUBLISH_FOUNDATION_PEER, "foundation" },
	{ PROCD_OP_BEGIN_LOADER_IMAGE_TRANSFER, "loader" },
	{ PROCD_OP_SEND_LOADER_IMAGE_CHUNK, "loader" },
	{ PROCD_OP_COMMIT_LOADER_IMAGE_TRANSFER, "loader" },
	{ PROCD_OP_PROBE_COMPLETE, "probe" },
};

const char *role_module_of_op(uint32_t op)
{
	for (size_t i = 0; i < sizeof module_ops / sizeof module_ops[0]; i++)
		if (module_ops[i].op == op)
			return module_ops[i].module;
	return NULL;
}

const char *role_module_nth(size_t i, uint32_t *op)
{
	if (i >= sizeof module_ops / sizeof module_ops[0])
		return NULL;
	*op = module_ops[i].op;
	return module_ops[i].module;
}

int role_module_in(const struct policy_model *m, const char *module)
{
	for (size_t i = 0; i < m->nops; i++) {
		const char *owner = role_module_of_op(m->ops[i].id);

		if (owner && strcmp(owner, module) == 0)
			return 1;
	}
	return 0;
}
