/* SPDX-License-Identifier: ISC */
/*
 * Which role module of roles/ serves each op a module registers. A build
 * configured with --disable-roles=LIST lacks those modules' ops, which is
 * what leaving the module out means, not a narrowing of a normal build's
 * grant: `diff --compiled-in` uses this to tell the two apart and to name
 * the modules a build left out. Core ops are in no module.
 */
#ifndef PROCD_TOOLS_ROLE_MODULES_H
#define PROCD_TOOLS_ROLE_MODULES_H

#include <stddef.h>
#include <stdint.h>

#include "tools/policy_model.h"

/* The roles/ directory that registers op id ("loader"), or NULL. */
const char *role_module_of_op(uint32_t op);

/* The i-th op of the table and its module, NULL past the last. */
const char *role_module_nth(size_t i, uint32_t *op);

/* Whether m has any op of module: a module is compiled in as a whole. */
int role_module_in(const struct policy_model *m, const char *module);

#endif
