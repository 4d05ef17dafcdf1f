/* SPDX-License-Identifier: ISC */
/*
 * What the hosted loop waits on: one epoll set holding every watch core
 * asks for (endpoint server ends, install grants, child pidfds) and a
 * signalfd for SIGINT/SIGTERM. Core calls in here to watch; the loop
 * (loop.c), which calls core, only waits here, so the two never call
 * each other round.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "core/port/linux/log.h"
#include "core/port/linux/watch.h"

#define SIGNAL_COOKIE UINT64_MAX
#define SPAWNER_COOKIE (UINT64_MAX - 1)
#define MAX_READY     64

static int epfd = -1;
static int sigfd = -1;

/* A cookie carries kind, index and descriptor, so a stale readiness (for a
 * descriptor closed earlier in the same batch) is recognised and skipped. */
static uint64_t cookie(enum port_watch kind, uint32_t index, procd_cap cap)
{
	return ((uint64_t)kind << 56) | ((uint64_t)(index & 0xffffffu) << 32) | (uint32_t)cap;
}

int port_watch(procd_cap cap, enum port_watch kind, uint32_t index)
{
	/* EPOLLRDHUP: on SOCK_SEQPACKET a zero-length record and the peer's
	 * hang-up both read as 0 bytes; only the hang-up raises this. */
	uint32_t events = kind == PORT_WATCH_PROCESS ? EPOLLIN : EPOLLIN | EPOLLRDHUP;
	struct epoll_event ev = { .events = events, .data.u64 = cookie(kind, index, cap) };

	if (epoll_ctl(epfd, EPOLL_CTL_ADD, cap, &ev) != 0) {
		linux_log_errno("procd: cannot watch a capability", errno);
		return -1;
	}
	return 0;
}

void port_unwatch(procd_cap cap)
{
	epoll_ctl(epfd, EPOLL_CTL_DEL, cap, NULL);
}

int linux_watch_init(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (sigfd < 0 || epfd < 0)
		return -1;
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = SIGNAL_COOKIE };
	return epoll_ctl(epfd, EPOLL_CTL_ADD, sigfd, &ev);
}

int linux_watch_spawner(int channel)
{
	/* Its hang-up only: the spawner's replies are read where they are
	 * awaited (spawn.c), never through the loop. */
	struct epoll_event ev = { .events = EPOLLRDHUP, .data.u64 = SPAWNER_COOKIE };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, channel, &ev);
}

int linux_watch_owns(int fd)
{
	return fd >= 0 && (fd == epfd || fd == sigfd);
}

int linux_watch_wait(struct linux_ready *ready, int max, int timeout_ms)
{
	struct epoll_event evs[MAX_READY];
	int n = epoll_wait(epfd, evs, max < MAX_READY ? max : MAX_READY, timeout_ms);

	for (int i = 0; i < n; i++) {
		uint64_t c = evs[i].data.u64;

		ready[i] = (struct linux_ready){
			.signalled = c == SIGNAL_COOKIE,
			.spawner_gone = c == SPAWNER_COOKIE,
			.kind = (enum port_watch)(c >> 56),
			.index = (uint32_t)(c >> 32) & 0xffffffu,
			.cap = (procd_cap)(uint32_t)c,
			.events = evs[i].events,
		};
	}
	return n;
}

int linux_watch_signal(void)
{
	struct signalfd_siginfo si;

	return read(sigfd, &si, sizeof si) == (ssize_t)sizeof si ? (int)si.ssi_signo : 0;
}
