/* SPDX-License-Identifier: ISC */
/*
 * What the helper programs share: their exit statuses, serving their own
 * endpoint until told to exit, receiving the requests of a serving loop,
 * and one request/reply exchange on a slot.
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

/* Returned by helper_receive and helper_exit_code: not an exit status, go on. */
#define HELPER_MORE (-1)

/* Room for any record procd's framing allows, aligned for the header. */
union helper_record {
	struct procd_msg_header h;
	unsigned char raw[PROCD_MSG_MAX];
};

/* Wait on SLOT_SELF_ENDPOINT for one message: HELPER_OP_EXIT gives its
 * code, the peer closing gives 0, anything else HELPER_EXIT_MALFORMED.
 * Returns the status to exit with. */
int helper_serve_exit(const char *name);

/* Wait on SLOT_SELF_ENDPOINT for one record and check its framing: not cut
 * off, no capabilities, at least a header, the header's length the record's,
 * status 0. Returns HELPER_MORE with the record in *r and its length in *len;
 * otherwise the status to exit with: HELPER_EXIT_OK when the peer closed,
 * HELPER_EXIT_NO_SLOT, HELPER_EXIT_FAILED or HELPER_EXIT_MALFORMED, the
 * last three reported on stderr under name. */
int helper_receive(const char *name, union helper_record *r, size_t *len);

/* For a record helper_receive accepted: its code if it is a well-formed
 * HELPER_OP_EXIT, HELPER_EXIT_MALFORMED (reported) if it is an EXIT of the
 * wrong length, HELPER_MORE if it is another op. */
int helper_exit_code(const char *name, const union helper_record *r, size_t len);

/* Report a record no op of this helper accepts (expected: what would have
 * been, for the message); returns HELPER_EXIT_MALFORMED. */
int helper_unexpected(const char *name, const union helper_record *r, size_t len, const char *expected);

/* Send req (its header's length says how long) on slot and receive the
 * reply into reply, which must be exactly reply_len bytes and echo op and
 * tag. Returns HELPER_EXIT_OK with the reply in place (its status is the
 * caller's to judge), HELPER_EXIT_NO_SLOT, or HELPER_EXIT_FAILED; failures
 * are reported on stderr under name. */
int helper_call(const char *name, unsigned slot, const void *req, void *reply, size_t reply_len);

/* helper_call with the capability at slot cap attached to the request. */
int helper_call_cap(const char *name, unsigned slot, const void *req, int cap, void *reply,
		    size_t reply_len);

/* The name the ABI gives role, or a null pointer for a role it does not
 * fix (a drop-in role's name is its policy's alone). */
const char *helper_role_name(uint32_t role);

/* The role's name, or "role 0x<id>" formatted into buf when the ABI has
 * none for it; returns whichever is to be printed. */
const char *helper_role_label(char *buf, size_t cap, uint32_t role);

/* The one role the ABI dedicates slot to (a kernel or driver endpoint's),
 * or a null pointer where any role its policy grants may hold it. */
const char *helper_slot_holder(unsigned slot);

/* Whether two names are the same (the runtime has no strcmp). */
int helper_same_name(const char *a, const char *b);

#endif
