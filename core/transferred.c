/* SPDX-License-Identifier: ISC */
#include "core/abi/procd_status.h"
#include "core/transferred.h"

uint32_t procd_transferred_add(struct procd_transferred_caps *ts, uint32_t slot, uint32_t kind, procd_cap cap)
{
	if (ts->count >= PROCD_ENVELOPE_SLOTS_MAX)
		return PROCD_E_NO_SPACE;
	ts->cap[ts->count++] = (struct procd_transferred){ .slot = slot, .kind = kind, .cap = cap };
	return PROCD_OK;
}

const struct procd_transferred *procd_transferred_at(const struct procd_transferred_caps *ts, uint32_t slot)
{
	for (uint32_t i = 0; i < ts->count; i++)
		if (ts->cap[i].slot == slot)
			return &ts->cap[i];
	return 0;
}

const struct procd_transferred *procd_transferred_nth(const struct procd_transferred_caps *ts, uint32_t i)
{
	return i < ts->count ? &ts->cap[i] : 0;
}

uint32_t procd_transferred_count(const struct procd_transferred_caps *ts)
{
	return ts->count;
}

void procd_transferred_drop(struct procd_transferred_caps *ts)
{
	for (uint32_t i = 0; i < ts->count; i++)
		port_cap_drop(ts->cap[i].cap);
	ts->count = 0;
}
