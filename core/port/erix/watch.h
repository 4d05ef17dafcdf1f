/* SPDX-License-Identifier: ISC */
/*
 * What the EriX loop receives on (watch.c): procd's intake endpoints,
 * received on directly, and every other watch core asks for, bound with a
 * badge of its own to one receive end. Core calls in here to watch; the
 * loop (loop.c), which calls core, only looks watches up here.
 */
#ifndef PROCD_PORT_ERIX_WATCH_H
#define PROCD_PORT_ERIX_WATCH_H

#include <stdint.h>

#include "core/port.h"

#define ERIX_MAX_POLLED 4 /* the intake endpoints, received on directly */

struct erix_watch {
	procd_cap cap; /* PROCD_NO_CAP: free */
	enum port_watch kind;
	uint32_t index;
	uint32_t generation; /* with the entry's number, its badge */
};

/* Polled watch i (< ERIX_MAX_POLLED) if it is in use, else 0. */
const struct erix_watch *erix_watch_polled(uint32_t i);

/* The receive end every bound watch reports to; PROCD_NO_CAP until the
 * first is bound. */
procd_cap erix_watch_events(void);

/* The bound watch an event's badge names, or 0 if procd has let go of it. */
const struct erix_watch *erix_watch_of_badge(uint64_t badge);

#endif
