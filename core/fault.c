/* SPDX-License-Identifier: ISC */
/* Compiled only with --enable-fault-injection. */
#include "core/fault.h"

static const char *const fault_names[PROCD_FAULT_POINT_COUNT] = {
	[PROCD_FAULT_REGISTRY_INDEX] = "registry-index",
	[PROCD_FAULT_LOADER_AFTER_TRANSFER] = "loader-after-transfer",
	[PROCD_FAULT_LOADER_AFTER_CHILD] = "loader-after-child",
	[PROCD_FAULT_LOADER_AFTER_FRAMES] = "loader-after-frames",
	[PROCD_FAULT_LOADER_PARTIAL_MAP] = "loader-partial-map",
	[PROCD_FAULT_LOADER_PARTIAL_COPY] = "loader-partial-copy",
	[PROCD_FAULT_LOADER_AFTER_EVENTS] = "loader-after-events",
};

static unsigned fault_countdown[PROCD_FAULT_POINT_COUNT];

const char *procd_fault_name(enum procd_fault_point point)
{
	return (unsigned)point < PROCD_FAULT_POINT_COUNT ? fault_names[point] : "";
}

void procd_fault_arm(enum procd_fault_point point, unsigned nth)
{
	if ((unsigned)point < PROCD_FAULT_POINT_COUNT)
		fault_countdown[point] = nth;
}

int procd_fault_hit(enum procd_fault_point point)
{
	if ((unsigned)point >= PROCD_FAULT_POINT_COUNT || fault_countdown[point] == 0)
		return 0;
	return --fault_countdown[point] == 0;
}
