/* SPDX-License-Identifier: ISC */
/*
 * deviced: device management. It decides which drivers run, so it alone
 * holds procd's driver-lifecycle endpoint (2112); its window extends to 2272
 * so its kernel log/query control endpoint is visible too. As the drivers'
 * one requester it may hold a few of them at once, and wait on them.
 */
#include "core/policy.h"

PROCD_POLICY(deviced) = {
	.name       = "deviced",
	.role       = ROLE_DEVICED,
	.role_class = PROCD_CLASS_SERVICE,
	.endpoint   = PROCD_EP_BOOTSTRAP,
	.requesters = { PROCD_FROM_BOOT },
	.window     = PROCD_WINDOW_THROUGH(SLOT_KERNEL_LOG_ENDPOINT),
	.slots      = { PROCD_SERVICE_SLOTS, SLOT_PROCD_DRIVER_ENDPOINT, SLOT_KERNEL_LOG_ENDPOINT },
	.boot_stage = PROCD_STAGE_RUNTIME,
	.restart    = PROCD_RESTART_ON_FAILURE,
	.image      = "deviced",
	.quota      = { .children = 8, .waits = 8 },
};
