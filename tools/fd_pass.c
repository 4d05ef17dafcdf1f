/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tools/fd_pass.h"

/* Room for FD_PASS_MAX descriptors, aligned as a cmsghdr must be. */
union fd_pass_control {
	char buf[CMSG_SPACE(FD_PASS_MAX * sizeof(int))];
	struct cmsghdr align;
};

int fd_pass_send(int sock, const void *msg, size_t len, const int *fds, size_t nfds)
{
	union fd_pass_control control;
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t sent;

	if (nfds > FD_PASS_MAX) {
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
	sent = sendmsg(sock, &mh, MSG_NOSIGNAL);
	if (sent < 0)
		return -1;
	if ((size_t)sent != len) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

/* Keeps the descriptors of one SCM_RIGHTS message up to max, closes the
 * rest; 1 if any were closed. */
static int keep_passed(const struct cmsghdr *cm, int *fds, size_t max, size_t *nfds)
{
	size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	int dropped = 0;

	for (size_t i = 0; i < k; i++) {
		int fd;

		memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof fd);
		if (*nfds < max && fds != NULL) {
			fds[(*nfds)++] = fd;
		} else {
			close(fd);
			dropped = 1;
		}
	}
	return dropped;
}

ssize_t fd_pass_receive(int sock, void *buf, size_t size, int *fds, size_t max, size_t *nfds,
			int *truncated)
{
	union fd_pass_control control;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr mh;
	ssize_t n;

	do {
		memset(&mh, 0, sizeof mh);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = control.buf;
		mh.msg_controllen = sizeof control.buf;
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	*nfds = 0;
	*truncated = 0;
	if (n < 0)
		return -1;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
		    keep_passed(cm, fds, max, nfds))
			*truncated = 1;
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		*truncated = 1;
	return n;
}
