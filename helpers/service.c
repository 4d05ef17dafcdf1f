/* SPDX-License-Identifier: ISC */
/*
 * service (stand-in): one image for every peer role that a default boot
 * starts but that has no stand-in of its own (timed, irqd, hotplugd,
 * probed, fbcond, memd, vspaced, pagerd, e2fsd, fatd, keyd and the
 * drivers). It does not know which role it runs as (it has no arguments):
 * it says which slots it holds, which is what a user reads to see what
 * procd granted it, and then serves its own endpoint like phase0-exit
 * (HELPER_OP_EXIT ends it with the code sent, the peer closing with 0).
 *
 *   service: holding slots 16 18 19 20 2128 (window 2129)
 */
#include "helpers/helper.h"

#define NAME "service"

int helper_main(void)
{
	char line[512];
	const size_t room = sizeof line - 64; /* kept for " ..." and the window */
	struct rt_rlimit lim;
	size_t len, held = 0;
	int window, scan;

	if (rt_getrlimit(RT_RLIMIT_NOFILE, &lim) < 0 || lim.cur > 0x7fffffff) {
		rt_say(NAME ": cannot read its slot window\n");
		return HELPER_EXIT_FAILED;
	}
	window = (int)lim.cur;
	/* Beyond PROCD_WINDOW_MAX no slot is a capability procd could grant;
	 * run by hand under a large limit, do not scan a million slots. */
	scan = window < (int)PROCD_WINDOW_MAX ? window : (int)PROCD_WINDOW_MAX;

	len = rt_format(line, sizeof line, NAME ": holding slots");
	for (int fd = 3; fd < scan; fd++) {
		char one[16];
		size_t n;

		if (!rt_fd_open(fd))
			continue;
		held++;
		n = rt_format(one, sizeof one, " %u", (unsigned)fd);
		if (len + n > room) {
			len += rt_format(line + len, sizeof line - len, " ...");
			break;
		}
		memcpy(line + len, one, n + 1);
		len += n;
	}
	if (held == 0)
		len = rt_format(line, sizeof line, NAME ": holding no slots");
	if (scan < window)
		len += rt_format(line + len, sizeof line - len, " (window %u, scanned below %u)\n",
				 (unsigned)window, (unsigned)scan);
	else
		len += rt_format(line + len, sizeof line - len, " (window %u)\n", (unsigned)window);
	rt_write(2, line, len);

	return helper_serve_exit(NAME);
}
