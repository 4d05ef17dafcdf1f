/* SPDX-License-Identifier: ISC */
/*
 * The startup envelope: parsed, validated, and every slot it names checked
 * for real (QUERY_LOCAL_CAP) before procd accepts any request.
 */
#ifndef PROCD_CORE_ENVELOPE_H
#define PROCD_CORE_ENVELOPE_H

#include <stddef.h>

#include "core/daemon.h"
#include "core/text.h"

/*
 * Loads procd's intake from the envelope bytes into d: control endpoint,
 * the two intake endpoints (badged rootd), the boot module table and the
 * transferred slots. Returns 0, or -1 with the reason in *why; on failure
 * nothing of d's tables is set.
 */
int procd_envelope_load(struct procd *d, const void *buf, size_t len, struct procd_text *why);

#endif
