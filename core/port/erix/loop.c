/* SPDX-License-Identifier: ISC */
/*
 * The EriX request loop. The kernel receives on one endpoint at a time, so
 * (as the seed describes) procd blocks on its bootstrap endpoint with a
 * short timeout and, between timeouts, re-polls the driver endpoint, so
 * that no driver request is stranded behind bootstrap-only receive state.
 *
 * Everything else procd watches (the aliases it mints, the grants, the
 * processes it started) is bound to one receive end with a badge per
 * watch (watch.c; ERIX_KOP_BIND, ERIX_KOP_NOTIFY_END): requests, hang-ups and
 * process ends all arrive there as events, and a turn drains it. So an
 * idle turn costs the same few kernel calls however many children there
 * are, where polling each watch cost one call per alias and per child.
 */
#include "core/daemon.h"
#include "core/port/erix/loop.h"
#include "core/port/erix/sys.h"
#include "core/port/erix/watch.h"

#define BOOTSTRAP_TIMEOUT_MS 10
#define MAX_RECV_CAPS 8
#define EVENTS_PER_TURN 256     /* then the bootstrap endpoint gets its turn again */

static void hand_over(struct procd *d, const struct erix_watch *w, const void *msg, size_t len, const procd_cap *caps,
		      size_t ncaps, int truncated)
{
	if (w->kind == PORT_WATCH_ENDPOINT)
		procd_on_endpoint_message(d, w->index, msg, len, caps, ncaps, truncated);
	else
		procd_on_grant_message(d, w->index, msg, len, caps, ncaps, truncated);
}

static void hung_up(struct procd *d, const struct erix_watch *w)
{
	if (w->kind == PORT_WATCH_ENDPOINT)
		procd_on_endpoint_closed(d, w->index);
	else
		procd_on_grant_closed(d, w->index);
}

static uint64_t buf[(sizeof(struct erix_event) + PROCD_MSG_LARGE_MAX + 8) / 8];

/* The capabilities a receive accepted (n of them written), without the
 * ERIX_NO_SLOT entries of those no slot was free for; *cut is set if any. */
static size_t landed(procd_cap *caps, size_t n, int *cut)
{
	size_t kept = 0;

	for (size_t i = 0; i < n; i++) {
		if ((uint32_t)caps[i] == ERIX_NO_SLOT)
			*cut = 1;
		else
			caps[kept++] = caps[i];
	}
	return kept;
}

/* One receive on an intake endpoint; returns whether something happened. */
static int serve_polled(struct procd *d, const struct erix_watch *w, uint32_t timeout_ms)
{
	procd_cap caps[MAX_RECV_CAPS];
	long n = erix_syscall(ERIX_SYS_RECV, w->cap, (long)buf, PROCD_MSG_LARGE_MAX, (long)caps, MAX_RECV_CAPS,
			      timeout_ms);
	size_t len, ncaps;
	int cut;

	/* Only a hang-up (or a slot that no longer holds an endpoint) ends
	 * the watch; anything else is this turn's, not the peer's. */
	if (n == -ERIX_EPIPE || n == -ERIX_EBADF) {
		hung_up(d, w);
		return 1;
	}
	if (n < 0)
		return 0;
	/* The receive result: capabilities offered in the high half. */
	len = (size_t)(n & 0xffffffff);
	ncaps = (size_t)((unsigned long)n >> 32);
	cut = len > PROCD_MSG_LARGE_MAX || ncaps > MAX_RECV_CAPS;
	ncaps = landed(caps, ncaps > MAX_RECV_CAPS ? MAX_RECV_CAPS : ncaps, &cut);
	hand_over(d, w, buf, len > PROCD_MSG_LARGE_MAX ? PROCD_MSG_LARGE_MAX : len, caps, ncaps, cut);
	return 1;
}

/* One event from the receive end; 0 once there is none. */
static int serve_event(struct procd *d)
{
	const size_t head = sizeof(struct erix_event);
	procd_cap caps[MAX_RECV_CAPS];
	struct erix_event ev;
	long n = erix_syscall(ERIX_SYS_RECV, erix_watch_events(), (long)buf, sizeof buf, (long)caps, MAX_RECV_CAPS, 0);
	size_t len, ncaps, accepted;
	int cut;
	const struct erix_watch *w;

	if (n < 0)
		return 0;
	len = (size_t)(n & 0xffffffff);
	ncaps = (size_t)((unsigned long)n >> 32);
	cut = ncaps > MAX_RECV_CAPS;
	accepted = landed(caps, ncaps > MAX_RECV_CAPS ? MAX_RECV_CAPS : ncaps, &cut);
	if (len < head) {
		for (size_t i = 0; i < accepted; i++)
			port_cap_drop(caps[i]);
		return 1;
	}
	__builtin_memcpy(&ev, buf, head);
	w = erix_watch_of_badge(ev.badge);
	if (!w) {
		/* For a watch procd has let go of: nothing of it is kept. */
		for (size_t i = 0; i < accepted; i++)
			port_cap_drop(caps[i]);
		return 1;
	}
	switch (ev.event) {
	case ERIX_EVENT_MESSAGE:
		len -= head;
		hand_over(d, w, (const unsigned char *)buf + head, len > PROCD_MSG_LARGE_MAX ? PROCD_MSG_LARGE_MAX : len,
			  caps, accepted, cut || len > PROCD_MSG_LARGE_MAX);
		return 1;
	case ERIX_EVENT_HANGUP:
		hung_up(d, w);
		break;
	case ERIX_EVENT_END:
		if (w->kind == PORT_WATCH_PROCESS)
			procd_on_process_end(d, w->index); /* it collects */
		break;
	default:
		break;
	}
	for (size_t i = 0; i < accepted; i++)
		port_cap_drop(caps[i]);
	return 1;
}

void erix_serve(struct procd *d)
{
	while (!d->stopping) {
		uint64_t now = port_now_ms();
		uint64_t next = procd_on_tick(d, now);
		uint32_t timeout = BOOTSTRAP_TIMEOUT_MS;

		if (next != UINT64_MAX && next - now < timeout)
			timeout = next > now ? (uint32_t)(next - now) : 0;
		for (uint32_t i = 0; i < ERIX_MAX_POLLED && !d->stopping; i++) {
			const struct erix_watch *w = erix_watch_polled(i);

			if (!w)
				continue;
			/* Blocking (briefly) only on the bootstrap endpoint. */
			serve_polled(d, w, w->index == 0 ? timeout : 0);
		}
		for (uint32_t i = 0; erix_watch_events() != PROCD_NO_CAP && i < EVENTS_PER_TURN && !d->stopping; i++)
			if (!serve_event(d))
				break;
	}
	procd_shutdown(d);
}
