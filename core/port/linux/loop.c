/* SPDX-License-Identifier: ISC */
/*
 * The hosted request loop: it waits on the watch set (watch.c), and each
 * readiness becomes one call into core; core's next deadline (restart
 * backoff, WAIT timeouts) becomes the wait's timeout.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/daemon.h"
#include "core/port/linux/caps.h"
#include "core/port/linux/log.h"
#include "core/port/linux/loop.h"
#include "core/port/linux/watch.h"

#define MAX_RECV_CAPS 8

/* Whether core still has `cap` registered under (kind, index). */
static int still_current(struct procd *d, enum port_watch kind, uint32_t index, procd_cap cap)
{
	const struct procd_endpoint *e;
	const struct procd_proc *p;

	switch (kind) {
	case PORT_WATCH_ENDPOINT:
		return (e = procd_endpoint_open(&d->endpoints, index)) != 0 && e->cap == cap;
	case PORT_WATCH_GRANT:
		return (p = procd_proc_at(&d->table, index)) != 0 && p->grant == cap;
	case PORT_WATCH_PROCESS:
		return (p = procd_proc_at(&d->table, index)) != 0 && p->handle == cap;
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

static void dispatch(struct procd *d, const struct linux_ready *r)
{
	if (!still_current(d, r->kind, r->index, r->cap))
		return;
	if (r->kind == PORT_WATCH_PROCESS)
		procd_on_process_end(d, r->index);
	else
		serve_message(d, r->kind, r->index, r->cap, r->events);
}

static void take_signals(struct procd *d)
{
	int signo;

	while ((signo = linux_watch_signal()) != 0) {
		const char *line = signo == SIGINT ? "procd: received SIGINT; stopping"
						   : "procd: received SIGTERM; stopping";

		port_log_line(line, strlen(line));
		d->stopping = 1;
	}
}

/*
 * Without its spawner procd can start nothing, and a child the spawner was
 * making when it died runs with its capabilities and no entry. procd stops
 * rather than serve on: every child stops, that one dies with procd (its
 * death signal), and the exit status tells whoever started procd.
 */
static int stop_for_lost_spawner(struct procd *d)
{
	static const char line[] = "procd: the spawner is gone; no child can start, so stopping";

	port_log_line(line, sizeof line - 1);
	d->stopping = 1;
	return 1;
}

int linux_serve(struct procd *d)
{
	struct linux_ready ready[64];
	int rc = 0;

	while (!d->stopping) {
		uint64_t now = port_now_ms();
		uint64_t next = procd_on_tick(d, now);
		int timeout = next == UINT64_MAX ? -1 : next <= now ? 0 : (int)(next - now > 60000 ? 60000 : next - now);
		int n = linux_watch_wait(ready, 64, timeout);

		if (n < 0 && errno != EINTR) {
			linux_log_errno("procd: epoll_wait", errno);
			break;
		}
		for (int i = 0; i < n; i++) {
			if (ready[i].signalled)
				take_signals(d);
			else if (ready[i].spawner_gone)
				rc = stop_for_lost_spawner(d);
			else
				dispatch(d, &ready[i]);
		}
	}
	procd_shutdown(d);
	return rc;
}
