/* SPDX-License-Identifier: ISC */
/*
 * phase0-exit: the simplest managed child. It holds its own endpoint and
 * waits on it, so a test can look at it while it runs (/proc/PID/fd shows
 * exactly stdio and slot 16), then end it with HELPER_OP_EXIT carrying the
 * exit code the test wants procd to report, or by closing the far end
 * (exit 0). A malformed message ends it with status 3.
 */
#include "helpers/helper.h"

int helper_main(void)
{
	return helper_serve_exit("phase0-exit");
}
