/* SPDX-License-Identifier: ISC */
/*
 * A test stand-in for a role that holds one of procd's minted aliases
 * (deviced's driver endpoint at 2112, or a bootstrap alias at 17): it
 * forwards each message arriving on its own endpoint (slot 16), with any
 * descriptors, to that alias, and relays procd's reply back. The test then
 * speaks to procd *as that role*, which it could not otherwise do: procd
 * never hands its own aliases to anyone but the child.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SELF 16
#define MAX_FDS 8

static ssize_t relay_one(int from, int to)
{
	static unsigned char buf[70000]; /* a loader chunk is 64 KiB */
	union {
		char buf[CMSG_SPACE(MAX_FDS * sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
			     .msg_controllen = sizeof control.buf };
	ssize_t n = recvmsg(from, &mh, MSG_CMSG_CLOEXEC);
	int fds[MAX_FDS];
	size_t nfds = 0;

	if (n <= 0)
		return n;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);

		for (size_t i = 0; i < k && nfds < MAX_FDS; i++)
			memcpy(&fds[nfds++], CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
	}
	iov.iov_len = (size_t)n;
	mh.msg_control = nfds ? control.buf : NULL;
	mh.msg_controllen = nfds ? CMSG_SPACE(nfds * sizeof(int)) : 0;
	if (nfds) {
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	n = sendmsg(to, &mh, MSG_NOSIGNAL);
	for (size_t i = 0; i < nfds; i++)
		close(fds[i]);
	return n;
}

int main(void)
{
	int alias = fcntl(2112, F_GETFD) >= 0 ? 2112 : 17;

	if (fcntl(alias, F_GETFD) < 0)
		return 2;
	for (;;) {
		if (relay_one(SELF, alias) <= 0)
			return 0;
		if (relay_one(alias, SELF) <= 0)
			return 1;
	}
}
