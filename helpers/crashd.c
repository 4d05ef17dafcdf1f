/* SPDX-License-Identifier: ISC */
/*
 * crashd (stand-in): the crash reporter reduced to what procd's late-bound
 * crash peer needs. Once named has published crashd's endpoint to procd,
 * procd sends a PROCD_PEER_CRASH record (struct procd_msg_crash) for each
 * child that faulted or was killed, unasked and without waiting for an
 * answer. crashd prints each as one line on stderr, naming the role as the
 * ABI does (a role it has no name for, a drop-in one, by its id):
 *
 *   crashd: timed (pid 7) faulted with signal 11
 *   crashd: role 0x42 (pid 8) was killed by signal 9
 *
 * HELPER_OP_EXIT ends it with the code sent, the peer closing with 0;
 * anything else, a crash of another kind included, ends it with
 * HELPER_EXIT_MALFORMED. It never replies.
 */
#include "helpers/helper.h"

#define NAME "crashd"

struct crash_msg {
	struct procd_msg_header h;
	struct procd_msg_crash c;
};

_Static_assert(sizeof(struct crash_msg) == 32, "PEER_CRASH is header + 16");

static void report(const struct procd_msg_crash *c)
{
	const char *how = c->kind == PROCD_EVENT_FAULTED ? "faulted with" : "was killed by";
	char id[24];

	rt_say(NAME ": %s (pid %u) %s signal %d\n", helper_role_label(id, sizeof id, c->role), c->pid, how,
	       (int)c->code);
}

int helper_main(void)
{
	for (;;) {
		union helper_record r;
		struct crash_msg m;
		size_t len;
		int status = helper_receive(NAME, &r, &len);

		if (status != HELPER_MORE)
			return status;
		if (r.h.op == PROCD_PEER_CRASH && len == sizeof m) {
			memcpy(&m, &r, sizeof m);
			if (m.c.kind == PROCD_EVENT_FAULTED || m.c.kind == PROCD_EVENT_KILLED) {
				report(&m.c);
				continue;
			}
			rt_say(NAME ": malformed message: PEER_CRASH of pid %u with kind %u\n", m.c.pid, m.c.kind);
			return HELPER_EXIT_MALFORMED;
		}
		status = helper_exit_code(NAME, &r, len);
		if (status != HELPER_MORE)
			return status;
		return helper_unexpected(NAME, &r, len, "PEER_CRASH (0x4a1, 32 bytes) or EXIT");
	}
}
