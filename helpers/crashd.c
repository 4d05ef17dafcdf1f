/* SPDX-License-Identifier: ISC */
/*
 * crashd (stand-in): the crash reporter reduced to what procd's late-bound
 * crash peer needs. Once named has published crashd's endpoint to procd,
 * procd sends a PROCD_PEER_CRASH record (struct procd_msg_crash) for each
 * child that faulted or was killed, unasked and without waiting for an
 * answer. crashd prints each as one line on stderr:
 *
 *   crashd: pid 7 (role 0x11) faulted with signal 11
 *   crashd: pid 7 (role 0x11) was killed by signal 9
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
			if (m.c.kind == PROCD_EVENT_FAULTED) {
				rt_say(NAME ": pid %u (role 0x%x) faulted with signal %d\n", m.c.pid, m.c.role,
				       (int)m.c.code);
				continue;
			}
			if (m.c.kind == PROCD_EVENT_KILLED) {
				rt_say(NAME ": pid %u (role 0x%x) was killed by signal %d\n", m.c.pid, m.c.role,
				       (int)m.c.code);
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
