/* SPDX-License-Identifier: ISC */
/*
 * The helpers' runtime: just enough of an OS interface for a test program
 * that has no libc. Raw x86_64 Linux system calls, the two memory functions
 * a compiler may emit calls to on its own, and a line formatter for
 * messages on stderr.
 *
 * System call wrappers return the kernel's result: a value >= 0, or -errno.
 */
#ifndef HELPERS_RT_H
#define HELPERS_RT_H

#include <stddef.h>
#include <stdint.h>

/* The errno values the helpers tell apart. */
#define RT_EINTR    4
#define RT_EBADF    9
#define RT_ENOTSOCK 88
#define RT_ENOSYS   38
#define RT_EINVAL   22

/* rt_recv flags: what the kernel had to cut off. */
#define RT_MSG_CTRUNC 0x08 /* capabilities (SCM_RIGHTS) came with it; dropped */
#define RT_MSG_TRUNC  0x20 /* the record was longer than the buffer */

#define RT_RLIMIT_NOFILE 7

struct rt_rlimit {
	uint64_t cur;
	uint64_t max;
};

/* A raw system call of the platform the helper runs on (Linux or EriX): for
 * the wrappers below, and for a helper that must make one they do not
 * cover. */
long rt_syscall6(long nr, long a, long b, long c, long d, long e, long f);

long rt_write(int fd, const void *buf, size_t len);
long rt_close(int fd);
long rt_fcntl(int fd, int cmd, long arg);
long rt_getrlimit(int resource, struct rt_rlimit *out);
/* One SOCK_SEQPACKET record out; a closed peer is an error, not SIGPIPE. */
long rt_send(int fd, const void *buf, size_t len);
/* One record in; *flags gets RT_MSG_TRUNC / RT_MSG_CTRUNC. 0 is end of file. */
long rt_recv(int fd, void *buf, size_t cap, int *flags);
/* Bytes of a file capability, at an offset; and its size. */
long rt_pread(int fd, void *buf, size_t len, uint64_t offset);
long rt_file_size(int fd);
/* A read-only view of a file capability's first len bytes, or NULL; and
 * its end (it holds the file's memory until then). */
const void *rt_map(int fd, size_t len);
void rt_unmap(const void *view, size_t len);
/* One record made of two pieces (a header, then data). */
long rt_send2(int fd, const void *a, size_t alen, const void *b, size_t blen);
/* One record out with one capability attached: the capability at slot cap
 * travels beside the bytes (Linux: SCM_RIGHTS, the sender keeps its own). */
long rt_send_cap(int fd, const void *buf, size_t len, int cap);
/* The same with up to RT_CAPS_MAX (below) capabilities; -RT_EINVAL for more. */
long rt_send_caps(int fd, const void *buf, size_t len, const int caps[], unsigned ncaps);
/* One record in, and up to max (<= RT_CAPS_MAX) capabilities with it: their
 * slots in caps[0 .. *ncaps). Capabilities past max are dropped and show as
 * RT_MSG_CTRUNC in *flags; the caller closes the ones it got. */
#define RT_CAPS_MAX 8u
long rt_recv_caps(int fd, void *buf, size_t cap, int *flags, int caps[], unsigned max, unsigned *ncaps);
/* One record in, and at most one capability with it (*received, or -1). */
static inline long rt_recv_cap(int fd, void *buf, size_t cap, int *flags, int *received)
{
	unsigned n = 0;
	long got = rt_recv_caps(fd, buf, cap, flags, received, 1, &n);

	if (n == 0)
		*received = -1;
	return got;
}
_Noreturn void rt_exit(int code);

/* Whether descriptor (slot) fd is open: fcntl(F_GETFD) succeeds on it. */
int rt_fd_open(int fd);

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memset(void *dst, int c, size_t n);

/* Format one message and write it to fd 2 in a single write, so lines of
 * concurrent processes do not interleave. Understands %s %d %u %x %%. */
void rt_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same formatting into buf (cap bytes, cap > 0): always NUL-terminated,
 * cut short when it does not fit. Returns the characters written, NUL not
 * counted. */
size_t rt_format(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Provided by each helper: its body. The result is the exit status. */
int helper_main(void);

#endif
