/* SPDX-License-Identifier: ISC */
/*
 * A test stand-in for a role that holds one of procd's minted aliases
 * (deviced's driver endpoint at 2112, or a bootstrap alias at 17): it
 * forwards each message arriving on its own endpoint (slot 16), with any
 * descriptors, to that alias, and relays procd's reply back. The test then
 * speaks to procd *as that role*, which it could not otherwise do: procd
 * never hands its own aliases to anyone but the child.
 *
 * Freestanding, on the helpers' runtime, like every image procd runs: a
 * child is in capability mode from its first instruction, where a libc
 * program's loader would already open files by name.
 */
#include "helpers/rt/rt.h"

#define SELF 16

static long relay_one(int from, int to)
{
	static unsigned char buf[70000]; /* a loader chunk is 64 KiB */
	int caps[RT_CAPS_MAX];
	unsigned ncaps;
	int flags;
	long n = rt_recv_caps(from, buf, sizeof buf, &flags, caps, RT_CAPS_MAX, &ncaps);

	if (n <= 0)
		return n;
	n = rt_send_caps(to, buf, (size_t)n, caps, ncaps);
	for (unsigned i = 0; i < ncaps; i++)
		rt_close(caps[i]);
	return n;
}

int helper_main(void)
{
	int alias = rt_fd_open(2112) ? 2112 : 17;

	if (!rt_fd_open(alias))
		return 2;
	for (;;) {
		if (relay_one(SELF, alias) <= 0)
			return 0;
		if (relay_one(alias, SELF) <= 0)
			return 1;
	}
}
