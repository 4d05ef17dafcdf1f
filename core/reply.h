/* SPDX-License-Identifier: ISC */
/* Replies and notices procd sends on an endpoint entry it serves. */
#ifndef PROCD_CORE_REPLY_H
#define PROCD_CORE_REPLY_H

#include <stdint.h>

#include "core/port.h"

struct procd;

/* Sends header + body on endpoint entry ep, with ncaps capabilities beside
 * it (they stay procd's); -1 if the entry is free or the send fails. */
int procd_send_reply(struct procd *d, uint32_t ep, uint32_t op, uint32_t tag, uint32_t status,
		     const void *body, uint32_t len, const procd_cap *caps, uint32_t ncaps);

#endif
