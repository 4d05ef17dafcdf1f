/* SPDX-License-Identifier: ISC */
/*
 * probed: bus probing. It gets the narrow PCI-config endpoint
 * (2176), not general port I/O: probing reads configuration space only.
 */
#include "core/policy.h"

PROCD_POLICY(probed) = {
	.name       = "probed",
	.role       = ROLE_PROBED,
	.role_class = PROCD_CLASS_SERVICE,
	.endpoint   = PROCD_EP_BOOTSTRAP,
	.requesters = { PROCD_FROM_BOOT },
	.window     = PROCD_WINDOW_THROUGH(SLOT_KERNEL_PCI_CONFIG_ENDPOINT),
	.slots      = { PROCD_SERVICE_SLOTS, SLOT_KERNEL_PCI_CONFIG_ENDPOINT },
	.boot_stage = PROCD_STAGE_RUNTIME,
	.restart    = PROCD_RESTART_ON_FAILURE,
	.image      = "probed",
};
