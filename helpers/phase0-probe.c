/* SPDX-License-Identifier: ISC */
/*
 * phase0-probe: reports "probing done" on its probe-notify slot (an alias
 * procd minted for it) and exits. The notification is fire-and-forget, as
 * a real prober's would be: procd does not answer, it passes the notice on
 * to rootd, and the helper does not wait.
 */
#include "helpers/helper.h"

#define NAME "phase0-probe"

int helper_main(void)
{
	struct helper_probe_done_msg m = {
		.h = { .op = HELPER_OP_PROBE_DONE, .length = sizeof m, .tag = ROLE_PHASE0_PROBE },
		.pid = 0,
		.role = ROLE_PHASE0_PROBE,
	};
	long n;

	if (!rt_fd_open(SLOT_PROBE_NOTIFY)) {
		rt_say(NAME ": no probe-notify endpoint at slot %u\n", SLOT_PROBE_NOTIFY);
		return HELPER_EXIT_NO_SLOT;
	}
	n = rt_send(SLOT_PROBE_NOTIFY, &m, sizeof m);
	if (n != (long)sizeof m) {
		rt_say(NAME ": notify on slot %u failed: %d\n", SLOT_PROBE_NOTIFY, (int)n);
		return HELPER_EXIT_FAILED;
	}
	return HELPER_EXIT_OK;
}
