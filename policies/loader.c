/* SPDX-License-Identifier: ISC */
/*
 * The loader family: loaderd and the providers it reads from (e2fsd, fatd)
 * and the private key service (keyd). Their window is sized through
 * loaderd's role-local slots (PROCD_WINDOW_LOADER) and reaches no kernel
 * endpoint: none of them inherits ambient service or driver authority.
 */
#include "core/policy.h"

/* loaderd holds an alias of procd's bootstrap endpoint because the image
 * transfer ops are accepted only there; it gets no authority over the child
 * it asks for: procd owns the image memory and the start. It may have two
 * images in flight, 64 MiB in all. */
PROCD_POLICY(loaderd) = {
	.name       = "loaderd",
	.role       = ROLE_LOADERD,
	.role_class = PROCD_CLASS_SERVICE,
	.endpoint   = PROCD_EP_BOOTSTRAP,
	.requesters = { PROCD_FROM_BOOT },
	.window     = PROCD_WINDOW_LOADER,
	.slots      = { PROCD_SERVICE_SLOTS, SLOT_PROCD_ENDPOINT,
			SLOT_LOADER_E2FS_ENDPOINT, SLOT_LOADER_FAT_ENDPOINT },
	.boot_stage = PROCD_STAGE_RUNTIME,
	.restart    = PROCD_RESTART_ON_FAILURE,
	.image      = "loaderd",
	.quota      = { .transfers = 2, .image_kib = 64 * 1024 },
};

PROCD_POLICY(e2fsd) = {
	.name       = "e2fsd",
	.role       = ROLE_E2FSD,
	.role_class = PROCD_CLASS_SERVICE,
	.endpoint   = PROCD_EP_BOOTSTRAP,
	.requesters = { PROCD_FROM_BOOT },
	.window     = PROCD_WINDOW_LOADER,
	.slots      = { PROCD_SERVICE_SLOTS, SLOT_FS_BLOCK_ENDPOINT, SLOT_FS_KEYD_ENDPOINT },
	.boot_stage = PROCD_STAGE_RUNTIME,
	.restart    = PROCD_RESTART_ON_FAILURE,
	.image      = "e2fsd",
};

/* FAT has no encryption: fatd does not get keyd. */
PROCD_POLICY(fatd) = {
	.name       = "fatd",
	.role       = ROLE_FATD,
	.role_class = PROCD_CLASS_SERVICE,
	.endpoint   = PROCD_EP_BOOTSTRAP,
	.requesters = { PROCD_FROM_BOOT },
	.window     = PROCD_WINDOW_LOADER,
	.slots      = { PROCD_SERVICE_SLOTS, SLOT_FS_BLOCK_ENDPOINT },
	.boot_stage = PROCD_STAGE_RUNTIME,
	.restart    = PROCD_RESTART_ON_FAILURE,
	.image      = "fatd",
};

/* keyd is private: it is not published through named, so it gets no
 * discovery endpoint; only e2fsd reaches it, through SLOT_FS_KEYD_ENDPOINT. */
PROCD_POLICY(keyd) = {
	.name       = "keyd",
	.role       = ROLE_KEYD,
	.role_class = PROCD_CLASS_SERVICE,
	.endpoint   = PROCD_EP_BOOTSTRAP,
	.requesters = { PROCD_FROM_BOOT },
	.window     = PROCD_WINDOW_LOADER,
	.slots      = { SLOT_SELF_ENDPOINT, SLOT_LOGD_ENDPOINT, SLOT_CRASHD_ENDPOINT },
	.boot_stage = PROCD_STAGE_RUNTIME,
	.restart    = PROCD_RESTART_ON_FAILURE,
	.image      = "keyd",
};
