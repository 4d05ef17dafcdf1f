/* SPDX-License-Identifier: ISC */
/*
 * phase0-isolation-a: proves from the inside that it holds nothing but
 * stdio and its own endpoint. Its RLIMIT_NOFILE is its window (procd sets
 * it); every descriptor from 3 up to PROCD_WINDOW_MAX other than slot 16
 * must be closed. That covers the whole window and, above it, any
 * descriptor left over from before the limit was set: a capability the
 * child could still use though the window hides it. A window wider than
 * any procd grants is itself a failure. Having passed, it serves its
 * endpoint like phase0-exit.
 */
#include "helpers/helper.h"

#define NAME "phase0-isolation-a"

int helper_main(void)
{
	struct rt_rlimit window;
	long err = rt_getrlimit(RT_RLIMIT_NOFILE, &window);

	if (err < 0) {
		rt_say(NAME ": cannot read its window: errno %d\n", (int)-err);
		return HELPER_EXIT_FAILED;
	}
	if (window.cur > PROCD_WINDOW_MAX) {
		rt_say(NAME ": window %u is wider than procd grants (%u)\n",
		       window.cur > 0xffffffffu ? 0xffffffffu : (unsigned)window.cur, PROCD_WINDOW_MAX);
		return HELPER_EXIT_FAILED;
	}
	for (int fd = 3; fd < (int)PROCD_WINDOW_MAX; fd++) {
		if (fd != SLOT_SELF_ENDPOINT && rt_fd_open(fd)) {
			rt_say(NAME ": holds fd %d outside its grant\n", fd);
			return HELPER_EXIT_FAILED;
		}
	}
	rt_say(NAME ": isolated (window %u)\n", (unsigned)window.cur);
	return helper_serve_exit(NAME);
}
