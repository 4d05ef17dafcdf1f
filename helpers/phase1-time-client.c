/* SPDX-License-Identifier: ISC */
/*
 * phase1-time-client: reads the monotonic clock through the kernel time
 * endpoint, slot 2128, far outside an ordinary service's window: it only
 * works if procd sized its window through that slot. Exits 0 on a
 * well-formed reply with a non-zero time, 1 otherwise, 2 when the slot is
 * not installed.
 */
#include "helpers/helper.h"

#define NAME "phase1-time-client"

int helper_main(void)
{
	struct procd_msg_header req = {
		.op = HELPER_OP_TIME, .length = sizeof req, .tag = ROLE_PHASE1_TIME_CLIENT,
	};
	struct helper_time_reply reply;
	int r = helper_call(NAME, SLOT_KERNEL_TIME_ENDPOINT, &req, &reply, sizeof reply);

	if (r != HELPER_EXIT_OK)
		return r;
	if (reply.h.status != PROCD_OK || reply.monotonic_ns == 0) {
		rt_say(NAME ": no time: status %u\n", reply.h.status);
		return HELPER_EXIT_FAILED;
	}
	return HELPER_EXIT_OK;
}
