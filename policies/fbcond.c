/* SPDX-License-Identifier: ISC */
/*
 * fbcond: the framebuffer console. Its window extends to 2192 so
 * the kernel console/framebuffer endpoint is visible.
 */
#include "core/policy.h"

PROCD_POLICY(fbcond) = {
	.name       = "fbcond",
	.role       = ROLE_FBCOND,
	.role_class = PROCD_CLASS_SERVICE,
	.endpoint   = PROCD_EP_BOOTSTRAP,
	.requesters = { PROCD_FROM_BOOT },
	.window     = PROCD_WINDOW_THROUGH(SLOT_KERNEL_CONSOLE_ENDPOINT),
	.slots      = { PROCD_SERVICE_SLOTS, SLOT_KERNEL_CONSOLE_ENDPOINT },
	.boot_stage = PROCD_STAGE_RUNTIME,
	.restart    = PROCD_RESTART_ON_FAILURE,
	.image      = "fbcond",
};
