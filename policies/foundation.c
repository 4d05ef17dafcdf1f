/* SPDX-License-Identifier: ISC */
/*
 * Foundation roles: discovery (named), logging (logd), crash reports
 * (crashd). procd stages them first, but boots without them: their peers
 * bind to them late, through named.
 */
#include "core/policy.h"

/* named holds logd's and crashd's endpoints because it is the one that
 * rematerializes them into their canonical slots for everyone else; and an
 * alias of procd's bootstrap endpoint, to publish them to procd itself
 * (PUBLISH_FOUNDATION_PEER, which procd accepts from named alone). */
PROCD_POLICY(named) = {
	.name       = "named",
	.role       = ROLE_NAMED,
	.role_class = PROCD_CLASS_FOUNDATION,
	.endpoint   = PROCD_EP_BOOTSTRAP,
	.requesters = { PROCD_FROM_BOOT },
	.window     = PROCD_WINDOW_SERVICE,
	.slots      = { SLOT_SELF_ENDPOINT, SLOT_PROCD_ENDPOINT, SLOT_LOGD_ENDPOINT, SLOT_CRASHD_ENDPOINT },
	.boot_stage = PROCD_STAGE_FOUNDATION,
	.restart    = PROCD_RESTART_ALWAYS,
	.image      = "named",
};

PROCD_POLICY(logd) = {
	.name       = "logd",
	.role       = ROLE_LOGD,
	.role_class = PROCD_CLASS_FOUNDATION,
	.endpoint   = PROCD_EP_BOOTSTRAP,
	.requesters = { PROCD_FROM_BOOT },
	.window     = PROCD_WINDOW_SERVICE,
	.slots      = { SLOT_SELF_ENDPOINT, SLOT_NAMED_ENDPOINT },
	.boot_stage = PROCD_STAGE_FOUNDATION,
	.restart    = PROCD_RESTART_ALWAYS,
	.image      = "logd",
};

PROCD_POLICY(crashd) = {
	.name       = "crashd",
	.role       = ROLE_CRASHD,
	.role_class = PROCD_CLASS_FOUNDATION,
	.endpoint   = PROCD_EP_BOOTSTRAP,
	.requesters = { PROCD_FROM_BOOT },
	.window     = PROCD_WINDOW_SERVICE,
	.slots      = { SLOT_SELF_ENDPOINT, SLOT_NAMED_ENDPOINT, SLOT_LOGD_ENDPOINT },
	.boot_stage = PROCD_STAGE_FOUNDATION,
	.restart    = PROCD_RESTART_ALWAYS,
	.image      = "crashd",
};
