/* SPDX-License-Identifier: ISC */
/*
 * The hosted request loop: one epoll over every endpoint server end, every
 * install grant, every child's pidfd, and a signalfd for SIGINT/SIGTERM.
 * Each readiness becomes one call into core; core's next deadline (restart
 * backoff, WAIT timeouts) becomes the epoll timeout.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/port/linux/linux.h"

#define SIGNAL_COOKIE UINT64_MAX
#define MAX_RECV_CAPS 8

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

int linux_loop_init(void)
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

int linux_loop_owns(int fd)
{
	return fd >= 0 && (fd == epfd || fd == sigfd);
}

/* Whether core still has `cap` registered under (kind, index). */
static int still_current(struct procd *d, enum port_watch kind, uint32_t index, procd_cap cap)
{
	const struct procd_endpoint *e;

	switch (kind) {
	case PORT_WATCH_ENDPOINT:
		return (e = procd_endpoint_open(&d->endpoints, index)) != 0 && e->cap == cap;
	case PORT_WATCH_GRANT:
		return index < PROCD_MAX_PROCESSES && d->table.procs[index].grant == cap;
	case PORT_WATCH_PROCESS:
		return index < PROCD_MAX_PROCESSES && d->table.procs[index].handle == cap;
	}
	return 0;
}

static void serve_message(struct procd *d, enum port_watch kind, uint32_t index, procd_cap cap,
			  uint32_t events)
{
	/* Static: a chunk of a loader transfer is 64 KiB. One byte more than
	 * any message, so that a longer one shows as truncated. */
	static uint64_t buf[(PROCD_MSG_LARGE_MAX + 8) / 8];
	procd_cap caps[MAX_RECV_CAPS];
	size_t ncaps;
	int truncated;
	/* Its length: 0 for an empty record or at end of stream, which the
	 * hang-up tells apart; -1 if none yet. */
	ssize_t n = linux_receive_fds(cap, buf, sizeof buf, caps, MAX_RECV_CAPS, &ncaps, &truncated, MSG_DONTWAIT);
	int hung_up = (events & (EPOLLRDHUP | EPOLLHUP)) != 0;

	/* A 0-byte read with the peer still there is a record of length 0: a
	 * malformed request for core to refuse, not a reason to hang up. (One
	 * sent just before hanging up reads as the hang-up: nobody is left to
	 * answer.) */
	if (n > 0 || (n == 0 && (ncaps > 0 || !hung_up))) {
		if (kind == PORT_WATCH_ENDPOINT)
			procd_on_endpoint_message(d, index, buf, (size_t)n, caps, ncaps, truncated);
		else
			procd_on_grant_message(d, index, buf, (size_t)n, caps, ncaps, truncated);
		return;
	}
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) || (events & (EPOLLHUP | EPOLLERR))) {
		if (kind == PORT_WATCH_ENDPOINT)
			procd_on_endpoint_closed(d, index);
		else
			procd_on_grant_closed(d, index);
	}
}

static void dispatch(struct procd *d, const struct epoll_event *ev)
{
	enum port_watch kind = (enum port_watch)(ev->data.u64 >> 56);
	uint32_t index = (uint32_t)(ev->data.u64 >> 32) & 0xffffffu;
	procd_cap cap = (procd_cap)(uint32_t)ev->data.u64;

	if (!still_current(d, kind, index, cap))
		return;
	if (kind == PORT_WATCH_PROCESS)
		procd_on_process_end(d, index);
	else
		serve_message(d, kind, index, cap, ev->events);
}

static void take_signals(struct procd *d)
{
	struct signalfd_siginfo si;

	while (read(sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
		const char *line = si.ssi_signo == SIGINT ? "procd: received SIGINT; stopping"
							  : "procd: received SIGTERM; stopping";

		port_log_line(line, strlen(line));
		d->stopping = 1;
	}
}

int linux_serve(struct procd *d)
{
	struct epoll_event evs[64];

	while (!d->stopping) {
		uint64_t now = port_now_ms();
		uint64_t next = procd_on_tick(d, now);
		int timeout = next == UINT64_MAX ? -1 : next <= now ? 0 : (int)(next - now > 60000 ? 60000 : next - now);
		int n = epoll_wait(epfd, evs, 64, timeout);

		if (n < 0 && errno != EINTR) {
			linux_log_errno("procd: epoll_wait", errno);
			break;
		}
		for (int i = 0; i < n; i++) {
			if (evs[i].data.u64 == SIGNAL_COOKIE)
				take_signals(d);
			else
				dispatch(d, &evs[i]);
		}
	}
	procd_shutdown(d);
	return 0;
}
