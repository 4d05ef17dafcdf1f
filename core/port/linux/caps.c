/* SPDX-License-Identifier: ISC */
/*
 * Hosted capabilities: a capability is a file descriptor, an endpoint is an
 * AF_UNIX SOCK_SEQPACKET socket, and capabilities travel as SCM_RIGHTS.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/abi/procd_envelope.h"
#include "core/port.h"
#include "core/port/linux/caps.h"
#include "core/port/linux/log.h"
#include "core/port/linux/watch.h"

#define PROCD_CAP_OTHER 0xffu /* open, but nothing procd hands out */

/* fstat(2) itself: glibc's fstat is newfstatat(fd, "", AT_EMPTY_PATH), a
 * call by name that procd's own filter does not allow. */
static int fstat_fd(int fd, struct stat *st)
{
	return (int)syscall(SYS_fstat, fd, st);
}

uint32_t port_cap_kind(procd_cap cap)
{
	struct stat st;
	int type, domain;
	socklen_t len = sizeof type;

	if (cap < 0 || fstat_fd(cap, &st) != 0)
		return PROCD_CAP_NONE;
	if (S_ISREG(st.st_mode))
		return PROCD_CAP_IMAGE;
	if (!S_ISSOCK(st.st_mode) || getsockopt(cap, SOL_SOCKET, SO_TYPE, &type, &len) != 0)
		return PROCD_CAP_OTHER;
	len = sizeof domain;
	if (getsockopt(cap, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0)
		return PROCD_CAP_OTHER;
	return type == SOCK_SEQPACKET && domain == AF_UNIX ? PROCD_CAP_ENDPOINT : PROCD_CAP_OTHER;
}

int port_has_residual_caps(const procd_cap *declared, size_t n, procd_cap *residual)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *de;
	int found = 0;

	if (!dir) {
		*residual = PROCD_NO_CAP;
		return 1; /* cannot prove there is none */
	}
	while (!found && (de = readdir(dir)) != NULL) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);
		int ok = fd <= STDERR_FILENO || fd == dirfd(dir) || linux_watch_owns((int)fd) ||
			 linux_log_owns((int)fd);

		if (de->d_name[0] == '.' || *end != '\0')
			continue;
		for (size_t i = 0; !ok && i < n; i++)
			ok = declared[i] == fd;
		if (!ok) {
			*residual = (procd_cap)fd;
			found = 1;
		}
	}
	closedir(dir);
	return found;
}

int port_endpoint_pair(procd_cap *server, procd_cap *client)
{
	int sv[2];

	/* Both ends blocking: either may be handed to a child, whose runtime
	 * expects a plain endpoint. procd itself never blocks on one: it sends
	 * and receives with MSG_DONTWAIT. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		linux_log_errno("procd: cannot create an endpoint", errno);
		return -1;
	}
	*server = sv[0];
	*client = sv[1];
	return 0;
}

int port_cap_same(procd_cap a, procd_cap b)
{
	struct stat x, y;

	/* A socket is one inode however many descriptors (here or passed
	 * through SCM_RIGHTS) refer to it. */
	return fstat_fd(a, &x) == 0 && fstat_fd(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

procd_cap port_cap_dup(procd_cap cap)
{
	int fd = fcntl(cap, F_DUPFD_CLOEXEC, 3);

	return fd < 0 ? PROCD_NO_CAP : fd;
}

void port_cap_drop(procd_cap cap)
{
	if (cap >= 0)
		close(cap);
}

/* The one way procd's side passes descriptors: a record and up to
 * LINUX_MAX_PASSED descriptors as SCM_RIGHTS, whole or not at all. */
int linux_send_fds(int fd, const void *msg, size_t len, const int *fds, size_t nfds, int flags)
{
	union {
		char buf[CMSG_SPACE(LINUX_MAX_PASSED * sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (nfds > LINUX_MAX_PASSED) {
		errno = EINVAL;
		return -1;
	}
	if (nfds > 0) {
		struct cmsghdr *cm;

		memset(&control, 0, sizeof control);
		mh.msg_control = control.buf;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	return sendmsg(fd, &mh, flags | MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

ssize_t linux_receive_fds(int fd, void *buf, size_t size, int *fds, size_t max, size_t *nfds, int *truncated,
			  int flags)
{
	union {
		char buf[CMSG_SPACE(LINUX_MAX_PASSED * sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
			     .msg_controllen = sizeof control.buf };
	ssize_t n = recvmsg(fd, &mh, flags | MSG_CMSG_CLOEXEC);

	*nfds = 0;
	*truncated = 0;
	if (n < 0)
		return -1;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		size_t k;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int got;

			memcpy(&got, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (*nfds < max)
				fds[(*nfds)++] = got;
			else {
				close(got);
				*truncated = 1;
			}
		}
	}
	/* Too long, or more descriptors than fit: the kernel (or the limit
	 * here) dropped the rest, so the record cannot be what its sender
	 * meant. */
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		*truncated = 1;
	return n;
}

int port_send(procd_cap endpoint, const void *msg, size_t len, const procd_cap *caps, size_t ncaps)
{
	if (ncaps > 8)
		return -1;
	return linux_send_fds(endpoint, msg, len, caps, ncaps, MSG_DONTWAIT);
}

/* Image memory: a memfd procd alone holds, sealed before any child runs
 * from it (F_SEAL_WRITE|F_SEAL_GROW|F_SEAL_SHRINK, then F_SEAL_SEAL so the
 * seals themselves cannot change). */
procd_cap port_image_create(uint64_t size)
{
	int fd = memfd_create("procd-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0) {
		linux_log_errno("procd: cannot allocate image memory", errno);
		return PROCD_NO_CAP;
	}
	if (ftruncate(fd, (off_t)size) != 0) {
		linux_log_errno("procd: cannot size image memory", errno);
		close(fd);
		return PROCD_NO_CAP;
	}
	return fd;
}

int port_image_write(procd_cap image, uint64_t offset, const void *bytes, size_t len)
{
	const char *p = bytes;

	while (len > 0) {
		ssize_t n = pwrite(image, p, len, (off_t)offset);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		offset += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int port_image_zero(procd_cap image, uint64_t offset, uint64_t len)
{
	/* A hole in tmpfs reads as zeros and gives the pages back. */
	if (len == 0)
		return 0;
	return fallocate(image, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)offset, (off_t)len);
}

int port_image_trim(procd_cap image, uint64_t size)
{
	return ftruncate(image, (off_t)size);
}

int port_image_seal(procd_cap image)
{
	return fcntl(image, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
}

const void *port_image_map(procd_cap image, uint64_t size)
{
	void *p;

	if (size == 0)
		return "";
	p = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, image, 0);
	return p == MAP_FAILED ? NULL : p;
}

void port_image_unmap(const void *bytes, uint64_t size)
{
	if (size > 0)
		munmap((void *)bytes, (size_t)size);
}
