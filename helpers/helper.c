/* SPDX-License-Identifier: ISC */
/*
 * Shared helper logic. Every length is checked exactly: a record shorter or
 * longer than the op's layout, or one that brought capabilities along, ends
 * the exchange (OpenBSD's imsg discipline, not best effort).
 */
#include "helpers/helper.h"

int helper_receive(const char *name, union helper_record *r, size_t *len)
{
	int flags;
	long n = rt_recv(SLOT_SELF_ENDPOINT, r, sizeof *r, &flags);

	if (n == -RT_EBADF || n == -RT_ENOTSOCK) {
		rt_say("%s: no endpoint at slot %u\n", name, SLOT_SELF_ENDPOINT);
		return HELPER_EXIT_NO_SLOT;
	}
	if (n < 0) {
		rt_say("%s: receive on slot %u failed: errno %d\n", name, SLOT_SELF_ENDPOINT, (int)-n);
		return HELPER_EXIT_FAILED;
	}
	/* On a SOCK_SEQPACKET socket 0 means the peer closed: nobody can
	 * send us anything any more, which is a normal end. */
	if (n == 0)
		return HELPER_EXIT_OK;
	if (flags & (RT_MSG_TRUNC | RT_MSG_CTRUNC)) {
		rt_say("%s: malformed message: %s\n", name,
		       (flags & RT_MSG_CTRUNC) ? "it carried capabilities" : "longer than any message");
		return HELPER_EXIT_MALFORMED;
	}
	if ((size_t)n < sizeof r->h || r->h.length != (uint32_t)n || r->h.status != PROCD_OK) {
		rt_say("%s: malformed message: %d bytes, header length %u, status %u\n", name,
		       (int)n, (size_t)n < sizeof r->h ? 0u : r->h.length,
		       (size_t)n < sizeof r->h ? 0u : r->h.status);
		return HELPER_EXIT_MALFORMED;
	}
	*len = (size_t)n;
	return HELPER_MORE;
}

int helper_unexpected(const char *name, const union helper_record *r, size_t len, const char *expected)
{
	rt_say("%s: malformed message: op 0x%x with %d bytes, expected %s\n", name, r->h.op, (int)len,
	       expected);
	return HELPER_EXIT_MALFORMED;
}

int helper_exit_code(const char *name, const union helper_record *r, size_t len)
{
	struct helper_exit_msg m;

	if (r->h.op != HELPER_OP_EXIT)
		return HELPER_MORE;
	if (len != sizeof m) {
		rt_say("%s: malformed message: op 0x%x with %d bytes, expected EXIT (0x%x, %u bytes)\n",
		       name, r->h.op, (int)len, HELPER_OP_EXIT, (unsigned)sizeof m);
		return HELPER_EXIT_MALFORMED;
	}
	memcpy(&m, r, sizeof m);
	return m.code;
}

int helper_serve_exit(const char *name)
{
	union helper_record r;
	size_t n;
	int status = helper_receive(name, &r, &n);

	if (status != HELPER_MORE)
		return status;
	status = helper_exit_code(name, &r, n);
	if (status != HELPER_MORE)
		return status;
	rt_say("%s: malformed message: op 0x%x with %d bytes, expected EXIT (0x%x, %u bytes)\n",
	       name, r.h.op, (int)n, HELPER_OP_EXIT, (unsigned)sizeof(struct helper_exit_msg));
	return HELPER_EXIT_MALFORMED;
}

int helper_call_cap(const char *name, unsigned slot, const void *req, int cap, void *reply,
		    size_t reply_len)
{
	const struct procd_msg_header *q = req;
	union helper_record r;
	int flags;
	long n;

	if (!rt_fd_open((int)slot)) {
		rt_say("%s: no endpoint at slot %u\n", name, slot);
		return HELPER_EXIT_NO_SLOT;
	}
	n = cap < 0 ? rt_send((int)slot, req, q->length) : rt_send_cap((int)slot, req, q->length, cap);
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

int helper_call(const char *name, unsigned slot, const void *req, void *reply, size_t reply_len)
{
	return helper_call_cap(name, slot, req, -1, reply, reply_len);
}
