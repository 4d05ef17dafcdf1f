/* SPDX-License-Identifier: ISC */
/*
 * phase1-lookup-client: asks discovery (its named endpoint) whether "timed"
 * is registered. It exits 0 when named says found, 1 when it says anything
 * else, 2 when procd installed no named endpoint at all.
 */
#include "helpers/helper.h"

#define NAME "phase1-lookup-client"

int helper_main(void)
{
	static const char wanted[] = "timed";
	struct helper_lookup_msg req = {
		.h = { .op = HELPER_OP_LOOKUP, .length = sizeof req, .tag = ROLE_PHASE1_LOOKUP_CLIENT },
	};
	struct procd_msg_header reply;
	int r;

	_Static_assert(sizeof wanted <= HELPER_NAME_MAX, "name fits, NUL included");
	memcpy(req.name, wanted, sizeof wanted);
	r = helper_call(NAME, SLOT_NAMED_ENDPOINT, &req, &reply, sizeof reply);
	if (r != HELPER_EXIT_OK)
		return r;
	if (reply.status != PROCD_OK) {
		rt_say(NAME ": lookup of %s refused: status %u\n", wanted, reply.status);
		return HELPER_EXIT_FAILED;
	}
	return HELPER_EXIT_OK;
}
