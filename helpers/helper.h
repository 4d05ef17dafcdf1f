/* SPDX-License-Identifier: ISC */
/*
 * What the helper programs share: their exit statuses, serving their own
 * endpoint until told to exit, and one request/reply exchange on a slot.
 */
#ifndef HELPERS_HELPER_H
#define HELPERS_HELPER_H

#include "helpers/proto.h"
#include "helpers/rt/rt.h"

/* Exit statuses, the same for every helper, so a test reads them alike. */
#define HELPER_EXIT_OK        0
#define HELPER_EXIT_FAILED    1 /* the peer said no, or the exchange failed */
#define HELPER_EXIT_NO_SLOT   2 /* the slot the helper needs is not installed */
#define HELPER_EXIT_MALFORMED 3 /* a message broke the protocol */

/* Wait on SLOT_SELF_ENDPOINT for one message: HELPER_OP_EXIT gives its
 * code, the peer closing gives 0, anything else HELPER_EXIT_MALFORMED.
 * Returns the status to exit with. */
int helper_serve_exit(const char *name);

/* Send req (its header's length says how long) on slot and receive the
 * reply into reply, which must be exactly reply_len bytes and echo op and
 * tag. Returns HELPER_EXIT_OK with the reply in place (its status is the
 * caller's to judge), HELPER_EXIT_NO_SLOT, or HELPER_EXIT_FAILED; failures
 * are reported on stderr under name. */
int helper_call(const char *name, unsigned slot, const void *req, void *reply, size_t reply_len);

#endif
