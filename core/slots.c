/* SPDX-License-Identifier: ISC */
#include "core/abi/procd_envelope.h"
#include "core/abi/procd_ops.h"
#include "core/slots.h"

_Static_assert(PROCD_SLOT_CAP_ENDPOINT == PROCD_CAP_ENDPOINT, "slot capability kinds are PROCD_CAP_*");

#define ROW_(id, number, name, kind, cap, server, holder) { number, name, kind, cap, server, holder },
static const struct procd_slot_info table[] = { PROCD_SLOT_TABLE(ROW_) };
#undef ROW_

/* The switch is generated from the same table, so a lookup is a jump, not
 * a scan, and cannot disagree with the rows. */
enum slot_row {
#define INDEX_(id, number, name, kind, cap, server, holder) ROW_##id,
	PROCD_SLOT_TABLE(INDEX_)
#undef INDEX_
};

const struct procd_slot_info *procd_slot_info(uint32_t slot)
{
	switch (slot) {
#define CASE_(id, number, name, kind, cap, server, holder) \
	case number:                             \
		return &table[ROW_##id];
		PROCD_SLOT_TABLE(CASE_)
#undef CASE_
	default:
		return 0;
	}
}

uint8_t procd_slot_minted_endpoint(uint32_t slot)
{
	const struct procd_slot_info *s = procd_slot_info(slot);

	if (!s)
		return 0;
	switch (s->kind) {
	case PROCD_SLOT_KIND_MINTED_BOOTSTRAP:
		return PROCD_EP_BOOTSTRAP;
	case PROCD_SLOT_KIND_MINTED_DRIVER:
		return PROCD_EP_DRIVER;
	case PROCD_SLOT_KIND_MINTED_NOTIFY:
		return PROCD_EP_NOTIFY;
	default:
		return 0;
	}
}

int procd_slot_is_kernel(uint32_t slot)
{
	const struct procd_slot_info *s = procd_slot_info(slot);

	return s && s->kind == PROCD_SLOT_KIND_KERNEL;
}

int procd_slot_is_peer(uint32_t slot, const char **role)
{
	const struct procd_slot_info *s = procd_slot_info(slot);

	if (!s || s->kind != PROCD_SLOT_KIND_PEER)
		return 0;
	*role = s->server;
	return 1;
}
