/* SPDX-License-Identifier: ISC */
/*
 * service (stand-in): one image for every peer role that a default boot
 * starts but that has no stand-in of its own (timed, irqd, hotplugd,
 * probed, fbcond, memd, vspaced, pagerd, e2fsd, fatd, keyd and the
 * drivers). It is told nothing of its role (it has no arguments), so it
 * names the role by the slots it holds: a kernel or driver endpoint the
 * ABI's slot table dedicates to one role (kernel-time to timed) names it.
 * It says which slots it holds, which is what a user reads to see what
 * procd granted it, and then serves its own endpoint like phase0-exit
 * (HELPER_OP_EXIT ends it with the code sent, the peer closing with 0):
 *
 *   service as timed: holding slots 16 18 19 20 2128 (window 2129)
 *   service as timed/pagerd: holding slots 16 18 19 20 2128 2256 (window 2257)
 *   service (no slot names its role): holding slots 16 18 19 20 (window 48)
 */
#include "helpers/helper.h"

#define NAME "service"
#define ROLES_NAMED_MAX 3 /* more than one is already a grant to look at */

/* Appends the role slot is dedicated to, if it is one not yet named. */
static void note_holder(unsigned slot, const char *named[], size_t *n)
{
	const char *holder = helper_slot_holder(slot);

	if (!holder || *n == ROLES_NAMED_MAX)
		return;
	for (size_t i = 0; i < *n; i++)
		if (helper_same_name(named[i], holder))
			return;
	named[(*n)++] = holder;
}

static void name_self(char *label, size_t cap, const char *named[], size_t n)
{
	size_t len;

	if (n == 0) {
		rt_format(label, cap, NAME " (no slot names its role)");
		return;
	}
	len = rt_format(label, cap, NAME " as %s", named[0]);
	for (size_t i = 1; i < n && len < cap; i++)
		len += rt_format(label + len, cap - len, "/%s", named[i]);
}

int helper_main(void)
{
	char label[128], slots[448], line[640];
	const size_t room = sizeof slots - 16; /* kept for " ..." */
	const char *named[ROLES_NAMED_MAX];
	struct rt_rlimit lim;
	size_t len = 0, held = 0, n_named = 0;
	int window, scan;

	if (rt_getrlimit(RT_RLIMIT_NOFILE, &lim) < 0 || lim.cur > 0x7fffffff) {
		rt_say(NAME ": cannot read its slot window\n");
		return HELPER_EXIT_FAILED;
	}
	window = (int)lim.cur;
	/* Beyond PROCD_WINDOW_MAX no slot is a capability procd could grant;
	 * run by hand under a large limit, do not scan a million slots. */
	scan = window < (int)PROCD_WINDOW_MAX ? window : (int)PROCD_WINDOW_MAX;

	slots[0] = '\0';
	for (int fd = 3; fd < scan; fd++) {
		char one[16];
		size_t n;

		if (!rt_fd_open(fd))
			continue;
		held++;
		note_holder((unsigned)fd, named, &n_named);
		n = rt_format(one, sizeof one, " %u", (unsigned)fd);
		if (len + n > room) {
			len += rt_format(slots + len, sizeof slots - len, " ...");
			break;
		}
		memcpy(slots + len, one, n + 1);
		len += n;
	}
	name_self(label, sizeof label, named, n_named);
	if (held == 0)
		len = rt_format(line, sizeof line, "%s: holding no slots", label);
	else
		len = rt_format(line, sizeof line, "%s: holding slots%s", label, slots);
	if (scan < window)
		len += rt_format(line + len, sizeof line - len, " (window %u, scanned below %u)\n",
				 (unsigned)window, (unsigned)scan);
	else
		len += rt_format(line + len, sizeof line - len, " (window %u)\n", (unsigned)window);
	rt_write(2, line, len);

	return helper_serve_exit(label);
}
