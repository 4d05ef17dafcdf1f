/* SPDX-License-Identifier: ISC */
/*
 * timed: the time service. Its window extends to 2128 so the
 * kernel time-control endpoint, its primary control slot, is visible.
 */
#include "core/policy.h"

PROCD_POLICY(timed) = {
	.name       = "timed",
	.role       = ROLE_TIMED,
	.role_class = PROCD_CLASS_SERVICE,
	.endpoint   = PROCD_EP_BOOTSTRAP,
	.requesters = { PROCD_FROM_BOOT },
	.window     = PROCD_WINDOW_THROUGH(SLOT_KERNEL_TIME_ENDPOINT),
	.slots      = { PROCD_SERVICE_SLOTS, SLOT_KERNEL_TIME_ENDPOINT },
	.boot_stage = PROCD_STAGE_RUNTIME,
	.restart    = PROCD_RESTART_ON_FAILURE,
	.image      = "timed",
};
