/* SPDX-License-Identifier: ISC */
/*
 * Shared helper logic. Every length is checked exactly: a record shorter or
 * longer than the op's layout, or one that brought capabilities along, ends
 * the exchange (OpenBSD's imsg discipline, not best effort).
 */
#include "helpers/helper.h"

/* Room for any record procd's framing allows, aligned for the header. */
union record {
	struct procd_msg_header h;
	unsigned char raw[PROCD_MSG_MAX];
};

int helper_serve_exit(const char *name)
{
	union record r;
	int flags;
	long n = rt_recv(SLOT_SELF_ENDPOINT, &r, sizeof r, &flags);

	if (n == -RT_EBADF || n == -RT_ENOTSOCK) {
		rt_say("%s: no endpoint at slot %u\n", name, SLOT_SELF_ENDPOINT);
		return HELPER_EXIT_NO_SLOT;
	}
	if (n < 0) {
		rt_say("%s: receive on slot %u failed: errno %d\n", name, SLOT_SELF_ENDPOINT, (int)-n);
		return HELPER_EXIT_FAILED;
	}
	/* On a SOCK_SEQPACKET socket 0 means the peer closed: nobody can
	 * tell us to exit any more, which is a normal end. */
	if (n == 0)
		return HELPER_EXIT_OK;
	if (flags & (RT_MSG_TRUNC | RT_MSG_CTRUNC)) {
		rt_say("%s: malformed message: %s\n", name,
		       (flags & RT_MSG_CTRUNC) ? "it carried capabilities" : "longer than any message");
		return HELPER_EXIT_MALFORMED;
	}
	if ((size_t)n < sizeof r.h || r.h.length != (uint32_t)n || r.h.status != PROCD_OK) {
		rt_say("%s: malformed message: %d bytes, header length %u, status %u\n", name,
		       (int)n, (size_t)n < sizeof r.h ? 0u : r.h.length,
		       (size_t)n < sizeof r.h ? 0u : r.h.status);
		return HELPER_EXIT_MALFORMED;
	}
	if (r.h.op != HELPER_OP_EXIT || n != sizeof(struct helper_exit_msg)) {
		rt_say("%s: malformed message: op 0x%x with %d bytes, expected EXIT (0x%x, %u bytes)\n",
		       name, r.h.op, (int)n, HELPER_OP_EXIT, (unsigned)sizeof(struct helper_exit_msg));
		return HELPER_EXIT_MALFORMED;
	}
	struct helper_exit_msg m;
	memcpy(&m, &r, sizeof m);
	return m.code;
}

int helper_call(const char *name, unsigned slot, const void *req, void *reply, size_t reply_len)
{
	const struct procd_msg_header *q = req;
	union record r;
	int flags;
	long n;

	if (!rt_fd_open((int)slot)) {
		rt_say("%s: no endpoint at slot %u\n", name, slot);
		return HELPER_EXIT_NO_SLOT;
	}
	n = rt_send((int)slot, req, q->length);
	if (n != (long)q->length) {
		rt_say("%s: send on slot %u failed: %d\n", name, slot, (int)n);
		return HELPER_EXIT_FAILED;
	}
	n = rt_recv((int)slot, &r, sizeof r, &flags);
	if (n <= 0) {
		rt_say("%s: no reply on slot %u: %s %d\n", name, slot,
		       n == 0 ? "peer closed" : "errno", (int)-n);
		return HELPER_EXIT_FAILED;
	}
	/* Replies that are only a header carry a refusal; accept that length
	 * too, and let the caller see the status. */
	if ((flags & (RT_MSG_TRUNC | RT_MSG_CTRUNC)) || (size_t)n < sizeof r.h ||
	    r.h.length != (uint32_t)n || r.h.op != q->op || r.h.tag != q->tag ||
	    ((size_t)n != reply_len && !((size_t)n == sizeof r.h && r.h.status != PROCD_OK))) {
		rt_say("%s: malformed reply on slot %u: %d bytes, flags 0x%x\n", name, slot, (int)n,
		       (unsigned)flags);
		return HELPER_EXIT_FAILED;
	}
	memset(reply, 0, reply_len);
	memcpy(reply, &r, (size_t)n);
	return HELPER_EXIT_OK;
}
