/* SPDX-License-Identifier: ISC */
/*
 * The helpers' runtime on EriX: the same rt.h interface over the EriX
 * system calls procd's own port assumes (core/port/erix/erix_abi.h, the one
 * statement of that kernel ABI). A slot is a capability, not a descriptor;
 * stderr is the kernel's debug console; the window is the CSpace's.
 */
#include "core/port/erix/erix_abi.h"
#include "helpers/rt/file-erix.h"
#include "helpers/rt/rt.h"

long rt_write(int fd, const void *buf, size_t len)
{
	if (fd != 1 && fd != 2)
		return -RT_EBADF;
	return rt_syscall6(ERIX_SYS_DEBUG_WRITE, (long)buf, (long)len, 0, 0, 0, 0);
}

long rt_close(int fd)
{
	return rt_syscall6(ERIX_SYS_DELETE, fd, 0, 0, 0, 0, 0);
}

long rt_fcntl(int fd, int cmd, long arg)
{
	(void)cmd;
	(void)arg;
	/* Only F_GETFD is asked: "is this slot occupied". */
	return rt_syscall6(ERIX_SYS_QUERY_LOCAL_CAP, fd, 0, 0, 0, 0, 0) == ERIX_CAP_EMPTY ? -RT_EBADF : 0;
}

long rt_getrlimit(int resource, struct rt_rlimit *out)
{
	long w;

	if (resource != RT_RLIMIT_NOFILE)
		return -RT_EBADF;
	w = rt_syscall6(ERIX_SYS_WINDOW, 0, 0, 0, 0, 0, 0);
	if (w < 0)
		return w;
	out->cur = out->max = (uint64_t)w;
	return 0;
}

long rt_send(int fd, const void *buf, size_t len)
{
	long n = rt_syscall6(ERIX_SYS_SEND, fd, (long)buf, (long)len, 0, 0, 0);

	return n < 0 ? n : (long)len;
}

long rt_recv(int fd, void *buf, size_t cap, int *flags)
{
	int caps[1];
	long n = rt_syscall6(ERIX_SYS_RECV, fd, (long)buf, (long)cap, (long)caps, 0, ERIX_TIMEOUT_NEVER);

	*flags = 0;
	/* A hung-up peer is the end of the stream, as 0 is on a socket. */
	if (n == -ERIX_EPIPE)
		return 0;
	if (n < 0)
		return n;
	/* Length in the low half, capability count in the high half; a
	 * helper accepts none, so any offered count as cut off. */
	if ((n >> 32) != 0)
		*flags |= RT_MSG_CTRUNC;
	if ((size_t)(n & 0xffffffff) > cap)
		*flags |= RT_MSG_TRUNC;
	return (long)((size_t)(n & 0xffffffff) > cap ? cap : (size_t)(n & 0xffffffff));
}

/* A file on EriX is an endpoint of the filesystem provider serving it
 * (helpers/rt/file-erix.h): one request, one reply. Returns the reply's
 * value, copying its data (at most `room` bytes) to `out`. */
static long file_request(int fd, uint32_t op, uint64_t offset, uint32_t length, void *out, size_t room)
{
	static struct {
		struct rt_file_reply r;
		unsigned char data[RT_FILE_READ_MAX];
	} reply;
	struct rt_file_request q = { op, length, offset };
	int none[1];
	long n = rt_syscall6(ERIX_SYS_SEND, fd, (long)&q, sizeof q, 0, 0, 0);
	size_t len;

	if (n < 0)
		return n == -ERIX_EBADF ? -RT_EBADF : n;
	n = rt_syscall6(ERIX_SYS_RECV, fd, (long)&reply, sizeof reply, (long)none, 0, ERIX_TIMEOUT_NEVER);
	if (n < 0)
		return n;
	len = (size_t)(n & 0xffffffff);
	/* The provider's reply is exact: no capabilities, no more data than
	 * it says, never more than was asked for. */
	if ((n >> 32) != 0 || len < sizeof reply.r || len > sizeof reply)
		return -RT_ENOSYS;
	if (reply.r.status != 0)
		return reply.r.status;
	if (op == RT_FILE_READ) {
		if (reply.r.value != len - sizeof reply.r || reply.r.value > room)
			return -RT_ENOSYS;
		memcpy(out, reply.data, (size_t)reply.r.value);
	}
	return reply.r.value > 0x7fffffffffffffffull ? -RT_ENOSYS : (long)reply.r.value;
}

long rt_pread(int fd, void *buf, size_t len, uint64_t offset)
{
	unsigned char *p = buf;
	size_t done = 0;

	while (done < len) {
		uint32_t want = len - done > RT_FILE_READ_MAX ? RT_FILE_READ_MAX : (uint32_t)(len - done);
		long n = file_request(fd, RT_FILE_READ, offset + done, want, p + done, want);

		if (n < 0)
			return done ? (long)done : n;
		if (n == 0)
			break; /* the end of the file */
		done += (size_t)n;
	}
	return (long)done;
}

long rt_file_size(int fd)
{
	return file_request(fd, RT_FILE_SIZE, 0, 0, 0, 0);
}

/* No mapping of a provider's file: loaderd reads it piece by piece. */
const void *rt_map(int fd, size_t len)
{
	(void)fd;
	(void)len;
	return 0;
}

void rt_unmap(const void *view, size_t len)
{
	(void)view;
	(void)len;
}

long rt_send2(int fd, const void *a, size_t alen, const void *b, size_t blen)
{
	(void)fd;
	(void)a;
	(void)alen;
	(void)b;
	(void)blen;
	return -RT_ENOSYS;
}

long rt_send_cap(int fd, const void *buf, size_t len, int cap)
{
	int caps[1] = { cap };
	long n = rt_syscall6(ERIX_SYS_SEND, fd, (long)buf, (long)len, (long)caps, 1, 0);

	return n < 0 ? n : (long)len;
}

long rt_recv_caps(int fd, void *buf, size_t cap, int *flags, int caps[], unsigned max, unsigned *ncaps)
{
	int got[RT_CAPS_MAX];
	long n;
	size_t len, count;

	*flags = 0;
	*ncaps = 0;
	if (max > RT_CAPS_MAX)
		max = RT_CAPS_MAX;
	n = rt_syscall6(ERIX_SYS_RECV, fd, (long)buf, (long)cap, (long)got, max, ERIX_TIMEOUT_NEVER);
	if (n == -ERIX_EPIPE)
		return 0;
	if (n < 0)
		return n;
	/* Length in the low half, capabilities offered in the high half;
	 * those past max were not taken: cut off. */
	len = (size_t)(n & 0xffffffff);
	count = (size_t)((unsigned long)n >> 32);
	if (count > max) {
		*flags |= RT_MSG_CTRUNC;
		count = max;
	}
	/* An accepted one with no free slot left for it is cut off too. */
	*ncaps = 0;
	for (size_t i = 0; i < count; i++) {
		if ((uint32_t)got[i] == ERIX_NO_SLOT)
			*flags |= RT_MSG_CTRUNC;
		else
			caps[(*ncaps)++] = got[i];
	}
	if (len > cap) {
		*flags |= RT_MSG_TRUNC;
		len = cap;
	}
	return (long)len;
}

_Noreturn void rt_exit(int code)
{
	for (;;)
		rt_syscall6(ERIX_SYS_EXIT, code, 0, 0, 0, 0, 0);
}

int rt_fd_open(int fd)
{
	return rt_fcntl(fd, 1, 0) >= 0;
}
