/* SPDX-License-Identifier: ISC */
/*
 * The EriX request loop. The kernel receives on one endpoint at a time, so
 * (as the seed describes) procd blocks on its bootstrap endpoint with a
 * short timeout and, between timeouts, re-polls the driver endpoint, so
 * that no driver request is stranded behind bootstrap-only receive state.
 *
 * Everything else procd watches (the aliases it mints, the grants, the
 * processes it started) is bound to one receive end with a badge per
 * watch (ERIX_KOP_BIND, ERIX_KOP_NOTIFY_END): requests, hang-ups and
 * process ends all arrive there as events, and a turn drains it. So an
 * idle turn costs the same few kernel calls however many children there
 * are, where polling each watch cost one call per alias and per child.
 */
#include "core/port.h"
#include "core/port/erix/sys.h"

#define BOOTSTRAP_TIMEOUT_MS 10
#define MAX_WATCHES (PROCD_MAX_ENDPOINTS + 2 * PROCD_MAX_PROCESSES) /* + grants, processes */
#define MAX_POLLED 4            /* the intake endpoints, received on directly */
#define MAX_RECV_CAPS 8
#define EVENTS_PER_TURN 256     /* then the bootstrap endpoint gets its turn again */

struct watch {
	procd_cap cap; /* PROCD_NO_CAP: free */
	enum port_watch kind;
	uint32_t index;
	uint32_t generation; /* with the entry's number, its badge */
};

static struct watch watches[MAX_WATCHES];
static struct watch polled[MAX_POLLED];
static uint32_t generation;
static procd_cap events = PROCD_NO_CAP;      /* the receive end every bound watch reports to */
static procd_cap events_peer = PROCD_NO_CAP; /* its other end, kept so it never hangs up */

/* Slots below ERIX_SLOT_FIRST are never capabilities: an entry holding
 * one (PROCD_NO_CAP, or the 0 of a never used entry) is free. */
static int in_use(const struct watch *w)
{
	return w->cap >= (procd_cap)ERIX_SLOT_FIRST;
}

/* Badges are never 0 and never repeat for a reused entry. */
static uint64_t badge_of(uint32_t entry)
{
	return (uint64_t)watches[entry].generation << 32 | (entry + 1);
}

static int bind_kop(uint32_t op, procd_cap cap, uint64_t badge)
{
	struct erix_kop req = { .op = op, .arg = (uint32_t)cap, .value = badge };
	struct erix_kop_reply reply;
	struct erix_call_caps caps = erix_caps(&events, 1, 0, 0);

	return erix_kop(&req, sizeof req, &reply, sizeof reply, &caps) == 0 ? 0 : -1;
}

static int watch_polled(procd_cap cap, enum port_watch kind, uint32_t index)
{
	for (uint32_t i = 0; i < MAX_POLLED; i++)
		if (!in_use(&polled[i])) {
			polled[i] = (struct watch){ cap, kind, index, 0 };
			return 0;
		}
	return -1;
}

int port_watch(procd_cap cap, enum port_watch kind, uint32_t index)
{
	/* procd's intake (core's endpoints 0 and 1) is received on directly. */
	if (kind == PORT_WATCH_ENDPOINT && index < 2)
		return watch_polled(cap, kind, index);
	if (events == PROCD_NO_CAP && port_endpoint_pair(&events, &events_peer) != 0)
		return -1;
	for (uint32_t i = 0; i < MAX_WATCHES; i++) {
		if (in_use(&watches[i]))
			continue;
		watches[i] = (struct watch){ cap, kind, index, ++generation };
		if (bind_kop(kind == PORT_WATCH_PROCESS ? ERIX_KOP_NOTIFY_END : ERIX_KOP_BIND, cap, badge_of(i)) != 0) {
			watches[i].cap = PROCD_NO_CAP;
			return -1;
		}
		return 0;
	}
	return -1;
}

void port_unwatch(procd_cap cap)
{
	/* An event still queued for it finds its badge stale and is dropped. */
	for (uint32_t i = 0; i < MAX_POLLED; i++)
		if (polled[i].cap == cap)
			polled[i].cap = PROCD_NO_CAP;
	for (uint32_t i = 0; i < MAX_WATCHES; i++)
		if (watches[i].cap == cap)
			watches[i].cap = PROCD_NO_CAP;
}

static void hand_over(struct procd *d, const struct watch *w, const void *msg, size_t len, const procd_cap *caps,
		      size_t ncaps, int truncated)
{
	if (w->kind == PORT_WATCH_ENDPOINT)
		procd_on_endpoint_message(d, w->index, msg, len, caps, ncaps, truncated);
	else
		procd_on_grant_message(d, w->index, msg, len, caps, ncaps, truncated);
}

static void hung_up(struct procd *d, const struct watch *w)
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
static int serve_polled(struct procd *d, const struct watch *w, uint32_t timeout_ms)
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
	long n = erix_syscall(ERIX_SYS_RECV, events, (long)buf, sizeof buf, (long)caps, MAX_RECV_CAPS, 0);
	size_t len, ncaps, accepted;
	int cut;
	uint32_t entry;
	const struct watch *w;

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
	entry = (uint32_t)(ev.badge & 0xffffffffu) - 1;
	w = entry < MAX_WATCHES ? &watches[entry] : 0;
	if (!w || !in_use(w) || w->generation != (uint32_t)(ev.badge >> 32)) {
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
		for (uint32_t i = 0; i < MAX_POLLED && !d->stopping; i++) {
			const struct watch *w = &polled[i];

			if (!in_use(w))
				continue;
			/* Blocking (briefly) only on the bootstrap endpoint. */
			serve_polled(d, w, w->index == 0 ? timeout : 0);
		}
		for (uint32_t i = 0; events != PROCD_NO_CAP && i < EVENTS_PER_TURN && !d->stopping; i++)
			if (!serve_event(d))
				break;
	}
	procd_shutdown(d);
}
