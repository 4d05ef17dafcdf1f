/* SPDX-License-Identifier: ISC */
/*
 * logd (stand-in): the log service reduced to what procd's late-bound log
 * peer needs. Once named has published logd's endpoint to procd, procd
 * sends PROCD_PEER_LOG records on it, unasked and without waiting for an
 * answer: a header, then at most PROCD_PEER_LOG_MAX bytes of text. logd
 * prints each as one line on stderr:
 *
 *   logd: <text>
 *
 * HELPER_OP_EXIT ends it with the code sent, the peer closing with 0;
 * anything else ends it with HELPER_EXIT_MALFORMED. It never replies.
 */
#include "helpers/helper.h"

#define NAME "logd"

static void print_line(const union helper_record *r, size_t len)
{
	char text[PROCD_PEER_LOG_MAX + 1];
	size_t n = len - sizeof r->h;

	/* One record, one line: a control character (a newline, a NUL) in
	 * the text cannot start another line or cut this one short. */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = r->raw[sizeof r->h + i];

		text[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	text[n] = '\0';
	rt_say(NAME ": %s\n", text);
}

int helper_main(void)
{
	for (;;) {
		union helper_record r;
		size_t len;
		int status = helper_receive(NAME, &r, &len);

		if (status != HELPER_MORE)
			return status;
		if (r.h.op == PROCD_PEER_LOG && len - sizeof r.h <= PROCD_PEER_LOG_MAX) {
			print_line(&r, len);
			continue;
		}
		status = helper_exit_code(NAME, &r, len);
		if (status != HELPER_MORE)
			return status;
		rt_say(NAME ": malformed message: op 0x%x with %d bytes, expected PEER_LOG (0x%x, at most %u "
			    "bytes) or EXIT\n", r.h.op, (int)len, PROCD_PEER_LOG,
		       (unsigned)(sizeof r.h + PROCD_PEER_LOG_MAX));
		return HELPER_EXIT_MALFORMED;
	}
}
