/* SPDX-License-Identifier: ISC */
/*
 * The helpers' runtime on Linux: rt.h over raw x86_64 Linux system calls
 * (helpers/rt/syscall.c), each returning a negative errno on failure.
 */
#include "helpers/rt/rt.h"

enum {
	SYS_MMAP       = 9,
	SYS_MUNMAP     = 11,
	SYS_LSEEK      = 8,
	SYS_PREAD64    = 17,
	SYS_WRITE      = 1,
	SYS_CLOSE      = 3,
	SYS_SENDMSG    = 46,
	SYS_RECVMSG    = 47,
	SYS_FCNTL      = 72,
	SYS_EXIT_GROUP = 231,
	SYS_PRLIMIT64  = 302,
};

#define F_GETFD      1
#define MSG_NOSIGNAL 0x4000

/* The kernel's struct iovec and struct user_msghdr, x86_64 layout. */
struct rt_iovec {
	void *base;
	size_t len;
};

struct rt_msghdr {
	void *name;
	int namelen;
	struct rt_iovec *iov;
	size_t iovlen;
	void *control;
	size_t controllen;
	unsigned int flags;
};

static long syscall4(long nr, long a, long b, long c, long d)
{
	return rt_syscall6(nr, a, b, c, d, 0, 0);
}

static long syscall3(long nr, long a, long b, long c)
{
	return rt_syscall6(nr, a, b, c, 0, 0, 0);
}

long rt_write(int fd, const void *buf, size_t len)
{
	long n;

	do
		n = syscall3(SYS_WRITE, fd, (long)buf, (long)len);
	while (n == -RT_EINTR);
	return n;
}

long rt_close(int fd)
{
	return syscall3(SYS_CLOSE, fd, 0, 0);
}

long rt_fcntl(int fd, int cmd, long arg)
{
	return syscall3(SYS_FCNTL, fd, cmd, arg);
}

long rt_getrlimit(int resource, struct rt_rlimit *out)
{
	/* prlimit64 on ourselves (pid 0), reading only. */
	return syscall4(SYS_PRLIMIT64, 0, resource, 0, (long)out);
}

long rt_send(int fd, const void *buf, size_t len)
{
	struct rt_iovec iov = { (void *)(uintptr_t)buf, len };
	struct rt_msghdr msg = { .iov = &iov, .iovlen = 1 };
	long n;

	do
		n = syscall3(SYS_SENDMSG, fd, (long)&msg, MSG_NOSIGNAL);
	while (n == -RT_EINTR);
	return n;
}

long rt_recv(int fd, void *buf, size_t cap, int *flags)
{
	struct rt_iovec iov = { buf, cap };
	/* No control buffer: a helper accepts no capabilities, so any that
	 * arrive are closed by the kernel and reported as RT_MSG_CTRUNC. */
	struct rt_msghdr msg = { .iov = &iov, .iovlen = 1 };
	long n;

	do
		n = syscall3(SYS_RECVMSG, fd, (long)&msg, 0);
	while (n == -RT_EINTR);
	*flags = (int)msg.flags;
	return n;
}

/* The kernel's struct cmsghdr with room for one descriptor. */
struct rt_cmsg_one {
	size_t len;
	int level;
	int type;
	int fd;
	int pad;
};

#define SOL_SOCKET 1
#define SCM_RIGHTS 1
#define MSG_CMSG_CLOEXEC 0x40000000

long rt_send_cap(int fd, const void *buf, size_t len, int cap)
{
	struct rt_iovec iov = { (void *)(uintptr_t)buf, len };
	/* cmsg_len is CMSG_LEN(sizeof(int)), 20; the control length is
	 * CMSG_SPACE(sizeof(int)), 24, the padded size of the struct. */
	struct rt_cmsg_one cm = { .len = 20, .level = SOL_SOCKET, .type = SCM_RIGHTS, .fd = cap };
	struct rt_msghdr msg = { .iov = &iov, .iovlen = 1, .control = &cm, .controllen = sizeof cm };
	long n;

	do
		n = syscall3(SYS_SENDMSG, fd, (long)&msg, MSG_NOSIGNAL);
	while (n == -RT_EINTR);
	return n;
}

/* The kernel's struct cmsghdr, and a control buffer with room for
 * RT_CAPS_MAX descriptors in one SCM_RIGHTS message. */
struct rt_cmsghdr {
	size_t len;
	int level;
	int type;
};

#define RT_CMSG_ALIGN(n) (((n) + sizeof(size_t) - 1) & ~(sizeof(size_t) - 1))

long rt_recv_caps(int fd, void *buf, size_t cap, int *flags, int caps[], unsigned max, unsigned *ncaps)
{
	union {
		struct rt_cmsghdr h;
		unsigned char raw[RT_CMSG_ALIGN(sizeof(struct rt_cmsghdr) + RT_CAPS_MAX * sizeof(int))];
	} control;
	struct rt_iovec iov = { buf, cap };
	struct rt_msghdr msg = { .iov = &iov, .iovlen = 1, .control = &control };
	size_t off = 0;
	long n;

	*ncaps = 0;
	if (max > RT_CAPS_MAX)
		max = RT_CAPS_MAX;
	/* Room for exactly max descriptors (CMSG_SPACE): the kernel closes
	 * any more and says so with MSG_CTRUNC. No room at all is no control
	 * buffer, as in rt_recv. */
	memset(&control, 0, sizeof control);
	if (max > 0)
		msg.controllen = RT_CMSG_ALIGN(sizeof(struct rt_cmsghdr) + max * sizeof(int));
	else
		msg.control = NULL;
	do
		n = syscall3(SYS_RECVMSG, fd, (long)&msg, MSG_CMSG_CLOEXEC);
	while (n == -RT_EINTR);
	*flags = (int)msg.flags;
	if (n < 0)
		return n;
	/* Walk the control messages (CMSG_FIRSTHDR / CMSG_NXTHDR by hand). */
	while (off + sizeof(struct rt_cmsghdr) <= msg.controllen) {
		struct rt_cmsghdr h;

		memcpy(&h, control.raw + off, sizeof h);
		if (h.len < sizeof h || off + h.len > msg.controllen)
			break;
		if (h.level == SOL_SOCKET && h.type == SCM_RIGHTS) {
			size_t count = (h.len - sizeof h) / sizeof(int);

			for (size_t i = 0; i < count; i++) {
				int got;

				memcpy(&got, control.raw + off + sizeof h + i * sizeof(int), sizeof got);
				if (*ncaps < max)
					caps[(*ncaps)++] = got;
				else {
					rt_close(got);
					*flags |= RT_MSG_CTRUNC;
				}
			}
		}
		off += RT_CMSG_ALIGN(h.len);
	}
	return n;
}

long rt_send_caps(int fd, const void *buf, size_t len, const int caps[], unsigned ncaps)
{
	union {
		struct rt_cmsghdr h;
		unsigned char raw[RT_CMSG_ALIGN(sizeof(struct rt_cmsghdr) + RT_CAPS_MAX * sizeof(int))];
	} control;
	struct rt_iovec iov = { (void *)(uintptr_t)buf, len };
	struct rt_msghdr msg = { .iov = &iov, .iovlen = 1 };
	long n;

	if (ncaps > RT_CAPS_MAX)
		return -RT_EINVAL;
	if (ncaps > 0) {
		memset(&control, 0, sizeof control);
		control.h.len = sizeof control.h + ncaps * sizeof(int);
		control.h.level = SOL_SOCKET;
		control.h.type = SCM_RIGHTS;
		memcpy(control.raw + sizeof control.h, caps, ncaps * sizeof(int));
		msg.control = &control;
		msg.controllen = RT_CMSG_ALIGN(control.h.len);
	}
	do
		n = syscall3(SYS_SENDMSG, fd, (long)&msg, MSG_NOSIGNAL);
	while (n == -RT_EINTR);
	return n;
}

long rt_pread(int fd, void *buf, size_t len, uint64_t offset)
{
	long n;

	do
		n = syscall4(SYS_PREAD64, fd, (long)buf, (long)len, (long)offset);
	while (n == -RT_EINTR);
	return n;
}

long rt_file_size(int fd)
{
	return syscall3(SYS_LSEEK, fd, 0, 2 /* SEEK_END */);
}

const void *rt_map(int fd, size_t len)
{
	/* MAP_PRIVATE | MAP_POPULATE: fault it in at once. */
	long ret = rt_syscall6(SYS_MMAP, 0, (long)len, 1 /* PROT_READ */, 0x8002, fd, 0);

	return ret < 0 && ret > -4096 ? (const void *)0 : (const void *)ret;
}

void rt_unmap(const void *view, size_t len)
{
	syscall3(SYS_MUNMAP, (long)(uintptr_t)view, (long)len, 0);
}

long rt_send2(int fd, const void *a, size_t alen, const void *b, size_t blen)
{
	struct rt_iovec iov[2] = { { (void *)(uintptr_t)a, alen }, { (void *)(uintptr_t)b, blen } };
	struct rt_msghdr msg = { .iov = iov, .iovlen = 2 };
	long n;

	do
		n = syscall3(SYS_SENDMSG, fd, (long)&msg, MSG_NOSIGNAL);
	while (n == -RT_EINTR);
	return n;
}

_Noreturn void rt_exit(int code)
{
	for (;;)
		syscall3(SYS_EXIT_GROUP, code, 0, 0);
}

int rt_fd_open(int fd)
{
	return rt_fcntl(fd, F_GETFD, 0) >= 0;
}
