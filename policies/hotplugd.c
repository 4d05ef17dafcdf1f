/* SPDX-License-Identifier: ISC */
/*
 * hotplugd: hotplug events. Its window extends to 2160 so the
 * kernel hotplug-control endpoint, its primary control slot, is visible.
 */
#include "core/policy.h"

PROCD_POLICY(hotplugd) = {
	.name       = "hotplugd",
	.role       = ROLE_HOTPLUGD,
	.role_class = PROCD_CLASS_SERVICE,
	.endpoint   = PROCD_EP_BOOTSTRAP,
	.requesters = { PROCD_FROM_BOOT },
	.window     = PROCD_WINDOW_THROUGH(SLOT_KERNEL_HOTPLUG_ENDPOINT),
	.slots      = { PROCD_SERVICE_SLOTS, SLOT_KERNEL_HOTPLUG_ENDPOINT },
	.boot_stage = PROCD_STAGE_RUNTIME,
	.restart    = PROCD_RESTART_ON_FAILURE,
	.image      = "hotplugd",
};
