/* SPDX-License-Identifier: ISC */
/*
 * Role policy: what procd grants a child of one role.
 *
 * A policy file in policies/ declares one descriptor:
 *
 *     PROCD_POLICY(timed) = {
 *             .name = "timed", .role = ROLE_TIMED, ...
 *     };
 *
 * The descriptor is plain data with no pointers, so procd-policy can read it
 * straight out of a built ELF file without relocating anything. Lists are
 * fixed-size arrays terminated by the first 0 (slot 0 and role 0 are never
 * valid entries), so a declaration lists only what it grants.
 */
#ifndef PROCD_CORE_POLICY_H
#define PROCD_CORE_POLICY_H

#include <stdint.h>

#include "core/abi/procd_msg.h"
#include "core/abi/procd_ops.h"
#include "core/abi/procd_roles.h"
#include "core/abi/procd_slots.h"
#include "core/section.h"

enum procd_role_class {
	PROCD_CLASS_FOUNDATION = 1,
	PROCD_CLASS_SERVICE = 2,
	PROCD_CLASS_DRIVER = 3,
	PROCD_CLASS_EXTENSION = 4,
};

enum procd_boot_stage {
	PROCD_STAGE_NONE = 0,       /* started only on request */
	PROCD_STAGE_FOUNDATION = 1, /* started by procd before anything else */
	PROCD_STAGE_RUNTIME = 2,    /* started by procd once foundation is up */
};

/* Policy flags. */
#define PROCD_POLICY_LOADER_LAUNCH 0x1u /* may be started from loaderd-transferred bytes */
#define PROCD_POLICY_FLAGS_KNOWN   PROCD_POLICY_LOADER_LAUNCH

#define PROCD_NAME_MAX       24 /* role names, with the terminating NUL */
#define PROCD_IMAGE_MAX      32
#define PROCD_SOURCE_MAX     40
#define PROCD_POLICY_SLOTS   16
#define PROCD_POLICY_REQUESTERS 8

/*
 * What a role, as a requester, may hold at once (0 in a field: the
 * default below). rootd, and procd's own boot plan, have no quota; they
 * keep a reserve of the tables that no other requester can take.
 */
struct procd_quota {
	uint16_t children;  /* staged and running children it created */
	uint16_t waits;     /* parked WAIT_PROCESS_EVENTs */
	uint16_t transfers; /* open loader transfers */
	uint16_t reserved;
	uint32_t image_kib; /* loader image bytes in flight, in KiB */
};

#define PROCD_QUOTA_CHILDREN_DEFAULT  16u
#define PROCD_QUOTA_WAITS_DEFAULT     8u
#define PROCD_QUOTA_TRANSFERS_DEFAULT 2u
#define PROCD_QUOTA_IMAGE_KIB_DEFAULT (64u * 1024u) /* one image of the largest size */

struct procd_policy {
	char name[PROCD_NAME_MAX];      /* "drv-serial"; drv-* names are drivers */
	uint32_t role;                  /* role id, core/abi/procd_roles.h */
	uint8_t role_class;             /* enum procd_role_class */
	uint8_t endpoint;               /* PROCD_EP_*: where spawns of it are requested */
	uint8_t boot_stage;             /* enum procd_boot_stage */
	uint8_t restart;                /* PROCD_RESTART_*: the default */
	uint32_t window;                /* the child sees slots [0, window) */
	uint32_t flags;                 /* PROCD_POLICY_* */
	uint32_t requesters[PROCD_POLICY_REQUESTERS]; /* roles that may ask for it */
	uint32_t slots[PROCD_POLICY_SLOTS]; /* slots that may be installed into it */
	char image[PROCD_IMAGE_MAX];    /* boot module that holds its image */
	struct procd_quota quota;       /* what it may hold as a requester */
	uint8_t reserved[28];
} __attribute__((aligned(PROCD_SET_ALIGN)));

_Static_assert(sizeof(struct procd_policy) == 256, "policy layout is ABI for procd-policy");

/*
 * Where a policy was declared: one record per PROCD_POLICY(ident), keyed by
 * the identifier. A policy whose name is "drv-serial" must be declared as
 * PROCD_POLICY(drv_serial): the name with '-' written as '_'.
 */
struct procd_policy_origin {
	char ident[PROCD_NAME_MAX];
	char source[PROCD_SOURCE_MAX];
} __attribute__((aligned(PROCD_SET_ALIGN)));

_Static_assert(sizeof(struct procd_policy_origin) == 64, "origin layout is ABI for procd-policy");

#ifdef __FILE_NAME__
#define PROCD_SOURCE_FILE __FILE_NAME__
#else
#define PROCD_SOURCE_FILE __FILE__
#endif

#define PROCD_POLICY(id_)                                                      \
	PROCD_SET_ENTRY(procd_policy_origins)                                  \
	const struct procd_policy_origin procd_policy_origin_##id_ = {         \
		.ident = #id_,                                                 \
		.source = PROCD_SOURCE_FILE,                                   \
	};                                                                     \
	PROCD_SET_ENTRY(procd_policies)                                        \
	const struct procd_policy procd_policy_##id_

PROCD_SET_BOUNDS(struct procd_policy, procd_policies);
PROCD_SET_BOUNDS(struct procd_policy_origin, procd_policy_origins);

/* Grants most services share. */
#define PROCD_FROM_BOOT   ROLE_ROOTD, ROLE_PROCD /* rootd, or procd's own boot plan */
#define PROCD_SERVICE_SLOTS SLOT_SELF_ENDPOINT, SLOT_NAMED_ENDPOINT, SLOT_LOGD_ENDPOINT, SLOT_CRASHD_ENDPOINT

#endif
