/* SPDX-License-Identifier: ISC */
/*
 * Reserved op ids. They stay in the table, marked PROCD_OP_DENY, so that the
 * registry itself shows they are refused, and so that no later file can
 * quietly give them a handler (an op id may be registered only once).
 */
#include "core/op.h"

/* Adoption of a process procd did not create: retired; authority over a
 * child must come from procd's own staged create, never be claimed later. */
PROCD_OP(adopt_process) = {
	.name = "ADOPT_PROCESS",
	.id = PROCD_OP_ADOPT_PROCESS,
	.endpoints = PROCD_EP_ALL,
	.flags = PROCD_OP_DENY,
	.callers = { PROCD_CALLER_ANY },
};

/* The legacy loader summary handoff: a summary must never pass as
 * filesystem-backed execution; loaderd uses the image transfer ops. */
PROCD_OP(launch_loaded_image) = {
	.name = "LAUNCH_LOADED_IMAGE",
	.id = PROCD_OP_LAUNCH_LOADED_IMAGE,
	.endpoints = PROCD_EP_ALL,
	.flags = PROCD_OP_DENY,
	.callers = { PROCD_CALLER_ANY },
};
