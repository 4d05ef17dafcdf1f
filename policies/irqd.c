/* SPDX-License-Identifier: ISC */
/*
 * irqd: interrupt routing. Its window extends to 2144 so the
 * kernel IRQ-control endpoint, its primary control slot, is visible.
 */
#include "core/policy.h"

PROCD_POLICY(irqd) = {
	.name       = "irqd",
	.role       = ROLE_IRQD,
	.role_class = PROCD_CLASS_SERVICE,
	.endpoint   = PROCD_EP_BOOTSTRAP,
	.requesters = { PROCD_FROM_BOOT },
	.window     = PROCD_WINDOW_THROUGH(SLOT_KERNEL_IRQ_ENDPOINT),
	.slots      = { PROCD_SERVICE_SLOTS, SLOT_KERNEL_IRQ_ENDPOINT },
	.boot_stage = PROCD_STAGE_RUNTIME,
	.restart    = PROCD_RESTART_ON_FAILURE,
	.image      = "irqd",
};
