/* SPDX-License-Identifier: ISC */
/*
 * The helpers' runtime on EriX: the same rt.h interface over the EriX
 * system calls procd's own port assumes (core/port/erix/erix_abi.h, the one
 * statement of that kernel ABI). A slot is a capability, not a descriptor;
 * stderr is the kernel's debug console; the window is the CSpace's.
 */
#include "core/port/erix/erix_abi.h"
#include "helpers/rt/rt.h"

static long syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

long rt_write(int fd, const void *buf, size_t len)
{
	if (fd != 1 && fd != 2)
		return -RT_EBADF;
	return syscall6(ERIX_SYS_DEBUG_WRITE, (long)buf, (long)len, 0, 0, 0, 0);
}

long rt_close(int fd)
{
	return syscall6(ERIX_SYS_DELETE, fd, 0, 0, 0, 0, 0);
}

long rt_fcntl(int fd, int cmd, long arg)
{
	(void)cmd;
	(void)arg;
	/* Only F_GETFD is asked: "is this slot occupied". */
	return syscall6(ERIX_SYS_QUERY_LOCAL_CAP, fd, 0, 0, 0, 0, 0) == ERIX_CAP_EMPTY ? -RT_EBADF : 0;
}

long rt_getrlimit(int resource, struct rt_rlimit *out)
{
	long w;

	if (resource != RT_RLIMIT_NOFILE)
		return -RT_EBADF;
	w = syscall6(ERIX_SYS_WINDOW, 0, 0, 0, 0, 0, 0);
	if (w < 0)
		return w;
	out->cur = out->max = (uint64_t)w;
	return 0;
}

long rt_send(int fd, const void *buf, size_t len)
{
	long n = syscall6(ERIX_SYS_SEND, fd, (long)buf, (long)len, 0, 0, 0);

	return n < 0 ? n : (long)len;
}

long rt_recv(int fd, void *buf, size_t cap, int *flags)
{
	int caps[1];
	long n = syscall6(ERIX_SYS_RECV, fd, (long)buf, (long)cap, (long)caps, 0, ERIX_TIMEOUT_NEVER);

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

/* Files are e2fsd's and fatd's on EriX, reached through their endpoints;
 * the hosted stand-in of loaderd reads a descriptor instead. */
long rt_pread(int fd, void *buf, size_t len, uint64_t offset)
{
	(void)fd;
	(void)buf;
	(void)len;
	(void)offset;
	return -RT_ENOSYS;
}

long rt_file_size(int fd)
{
	(void)fd;
	return -RT_ENOSYS;
}

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
	long n = syscall6(ERIX_SYS_SEND, fd, (long)buf, (long)len, (long)caps, 1, 0);

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
	n = syscall6(ERIX_SYS_RECV, fd, (long)buf, (long)cap, (long)got, max, ERIX_TIMEOUT_NEVER);
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
	for (size_t i = 0; i < count; i++)
		caps[i] = got[i];
	*ncaps = (unsigned)count;
	if (len > cap) {
		*flags |= RT_MSG_TRUNC;
		len = cap;
	}
	return (long)len;
}

_Noreturn void rt_exit(int code)
{
	for (;;)
		syscall6(ERIX_SYS_EXIT, code, 0, 0, 0, 0, 0);
}

int rt_fd_open(int fd)
{
	return rt_fcntl(fd, 1, 0) >= 0;
}
