/* SPDX-License-Identifier: ISC */
/*
 * The capabilities rootd transferred for procd to install into children:
 * in the envelope, or later through UPDATE_FOUNDATION_ENDPOINTS. At most
 * one per slot; procd keeps its own hold on each until it exits.
 */
#ifndef PROCD_CORE_TRANSFERRED_H
#define PROCD_CORE_TRANSFERRED_H

#include <stdint.h>

#include "core/abi/procd_envelope.h"
#include "core/port.h"

struct procd_transferred {
	uint32_t slot; /* where children get it */
	uint32_t kind;
	procd_cap cap; /* procd's own hold on it */
};

struct procd_transferred_caps {
	struct procd_transferred cap[PROCD_ENVELOPE_SLOTS_MAX];
	uint32_t count;
};

/* Keeps `cap` for children's `slot`: PROCD_E_NO_SPACE when the table is
 * full (the caller refuses a slot that is there already). */
uint32_t procd_transferred_add(struct procd_transferred_caps *ts, uint32_t slot, uint32_t kind, procd_cap cap);

/* The capability for `slot`, or 0 if rootd transferred none. */
const struct procd_transferred *procd_transferred_at(const struct procd_transferred_caps *ts, uint32_t slot);

/* The i-th capability in the order rootd transferred them, or 0 past the
 * last one. */
const struct procd_transferred *procd_transferred_nth(const struct procd_transferred_caps *ts, uint32_t i);

/* How many capabilities procd holds for children. */
uint32_t procd_transferred_count(const struct procd_transferred_caps *ts);

/* Drops procd's hold on every one; the table is then empty. */
void procd_transferred_drop(struct procd_transferred_caps *ts);

#endif
