/* SPDX-License-Identifier: ISC */
/*
 * logd (stand-in): the log service reduced to what procd's late-bound log
 * peer needs. Once named has published logd's endpoint to procd, procd
 * sends PROCD_PEER_LOG records on it, unasked and without waiting for an
 * answer: a header, then at most PROCD_PEER_LOG_MAX bytes of text. Each is
 * a line procd has already printed on its own stderr, so logd keeps them
 * rather than print them again: a user reads every procd line once. It
 * counts them and keeps the last, and when it ends (HELPER_OP_EXIT, or the
 * peer closing) it says how many it kept and which came last, as one line:
 *
 *   logd: kept 12 lines from procd; the last: procd: timed (pid 5) started as os pid 3
 *
 * HELPER_OP_EXIT ends it with the code sent, the peer closing with 0;
 * anything else ends it with HELPER_EXIT_MALFORMED. It never replies.
 */
#include "helpers/helper.h"

#define NAME "logd"

static struct {
	unsigned count;
	char last[PROCD_PEER_LOG_MAX + 1];
} kept;

static void keep_line(const union helper_record *r, size_t len)
{
	size_t n = len - sizeof r->h;

	/* One record, one line: a control character (a newline, a NUL) in
	 * the text cannot start another line or cut this one short. */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = r->raw[sizeof r->h + i];

		kept.last[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	kept.last[n] = '\0';
	kept.count++;
}

static int end(int status)
{
	if (kept.count == 0)
		rt_say(NAME ": kept no lines from procd\n");
	else
		rt_say(NAME ": kept %u line%s from procd; the last: %s\n", kept.count,
		       kept.count == 1 ? "" : "s", kept.last);
	return status;
}

int helper_main(void)
{
	for (;;) {
		union helper_record r;
		size_t len;
		int status = helper_receive(NAME, &r, &len);

		if (status == HELPER_EXIT_OK)
			return end(status);
		if (status != HELPER_MORE)
			return status;
		if (r.h.op == PROCD_PEER_LOG && len - sizeof r.h <= PROCD_PEER_LOG_MAX) {
			keep_line(&r, len);
			continue;
		}
		status = helper_exit_code(NAME, &r, len);
		if (status != HELPER_MORE)
			return len == sizeof(struct helper_exit_msg) ? end(status) : status;
		rt_say(NAME ": malformed message: op 0x%x with %d bytes, expected PEER_LOG (0x%x, at most %u "
			    "bytes) or EXIT\n", r.h.op, (int)len, PROCD_PEER_LOG,
		       (unsigned)(sizeof r.h + PROCD_PEER_LOG_MAX));
		return HELPER_EXIT_MALFORMED;
	}
}
