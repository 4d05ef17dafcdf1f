/* SPDX-License-Identifier: ISC */
/*
 * The canonical slots, as core reads PROCD_SLOT_TABLE (core/abi/procd_slots.h):
 * which slots procd mints, which a kernel endpoint fills, which a
 * foundation peer serves. Nothing in core names a slot range or lists
 * slots of its own.
 */
#ifndef PROCD_CORE_SLOTS_H
#define PROCD_CORE_SLOTS_H

#include <stdint.h>

#include "core/abi/procd_slots.h"

struct procd_slot_info {
	uint32_t slot;
	const char *name;
	uint8_t kind; /* PROCD_SLOT_KIND_* */
	uint8_t cap;  /* PROCD_SLOT_CAP_*: the capability kind it holds */
	const char *server; /* the role that serves it, "" if none */
	const char *holder; /* the one role it is dedicated to, "" if none */
};

/* The table row of `slot`, or NULL if it is not a canonical slot. */
const struct procd_slot_info *procd_slot_info(uint32_t slot);

/* The PROCD_EP_* kind of procd endpoint procd mints for `slot`, or 0 if
 * procd does not mint that slot. */
uint8_t procd_slot_minted_endpoint(uint32_t slot);

/* Whether `slot` is a kernel endpoint rootd transfers for procd to install
 * into the services it starts (and one a role cannot run without). */
int procd_slot_is_kernel(uint32_t slot);

/* Whether `slot` is served by a foundation peer; *role gets its name. */
int procd_slot_is_peer(uint32_t slot, const char **role);

#endif
