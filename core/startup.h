/* SPDX-License-Identifier: ISC */
/* procd's startup, everything before the first request, shared by every port. */
#ifndef PROCD_CORE_STARTUP_H
#define PROCD_CORE_STARTUP_H

#include "core/registry.h"

/*
 * Checks and indexes the linked registries. On a violation, logs one line
 * per finding and returns non-zero: procd must not serve with a registry
 * whose invariants do not hold.
 */
int procd_startup_registry(struct procd_registry *reg);

#endif
