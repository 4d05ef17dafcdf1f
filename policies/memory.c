/* SPDX-License-Identifier: ISC */
/*
 * The memory services: physical memory (memd), address spaces (vspaced) and
 * paging/faults (pagerd). Each holds exactly its own kernel endpoint; none
 * sees another's, so no one of them can act for the others.
 */
#include "core/policy.h"

PROCD_POLICY(memd) = {
	.name       = "memd",
	.role       = ROLE_MEMD,
	.role_class = PROCD_CLASS_SERVICE,
	.endpoint   = PROCD_EP_BOOTSTRAP,
	.requesters = { PROCD_FROM_BOOT },
	.window     = PROCD_WINDOW_THROUGH(SLOT_KERNEL_MEM_ENDPOINT),
	.slots      = { PROCD_SERVICE_SLOTS, SLOT_KERNEL_MEM_ENDPOINT },
	.boot_stage = PROCD_STAGE_RUNTIME,
	.restart    = PROCD_RESTART_ON_FAILURE,
	.image      = "memd",
};

PROCD_POLICY(vspaced) = {
	.name       = "vspaced",
	.role       = ROLE_VSPACED,
	.role_class = PROCD_CLASS_SERVICE,
	.endpoint   = PROCD_EP_BOOTSTRAP,
	.requesters = { PROCD_FROM_BOOT },
	.window     = PROCD_WINDOW_THROUGH(SLOT_KERNEL_VSPACE_ENDPOINT),
	.slots      = { PROCD_SERVICE_SLOTS, SLOT_KERNEL_VSPACE_ENDPOINT },
	.boot_stage = PROCD_STAGE_RUNTIME,
	.restart    = PROCD_RESTART_ON_FAILURE,
	.image      = "vspaced",
};

/* pagerd may be bound after procd starts (UPDATE_FOUNDATION_ENDPOINTS);
 * its own grant is the same shape as its siblings'. */
PROCD_POLICY(pagerd) = {
	.name       = "pagerd",
	.role       = ROLE_PAGERD,
	.role_class = PROCD_CLASS_SERVICE,
	.endpoint   = PROCD_EP_BOOTSTRAP,
	.requesters = { PROCD_FROM_BOOT },
	.window     = PROCD_WINDOW_THROUGH(SLOT_KERNEL_PAGER_ENDPOINT),
	.slots      = { PROCD_SERVICE_SLOTS, SLOT_KERNEL_PAGER_ENDPOINT },
	.boot_stage = PROCD_STAGE_RUNTIME,
	.restart    = PROCD_RESTART_ON_FAILURE,
	.image      = "pagerd",
};
