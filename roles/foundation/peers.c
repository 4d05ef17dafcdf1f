/* SPDX-License-Identifier: ISC */
#include "core/abi/procd_status.h"
#include "core/authority.h"
#include "core/hooks.h"
#include "core/log.h"
#include "core/text.h"
#include "roles/foundation/peers.h"

static struct procd_peer logd, crashd;
static int logging_to_peer; /* a failure logged from inside a peer send */

static struct procd_peer *peer_of(uint32_t role)
{
	return role == ROLE_LOGD ? &logd : role == ROLE_CRASHD ? &crashd : 0;
}

static void unbind(struct procd_peer *peer, const char *name, const char *why)
{
	char buf[160];
	struct procd_text t;

	if (peer->cap == PROCD_NO_CAP)
		return;
	/* The capability goes first, so nothing more is ever sent on it. */
	port_cap_drop(peer->cap);
	peer->cap = PROCD_NO_CAP;
	peer->pid = 0;
	procd_text_init(&t, buf, sizeof buf);
	procd_text_str(&t, "procd: ");
	procd_text_str(&t, name);
	procd_text_str(&t, " unbound: ");
	procd_text_str(&t, why);
	procd_text_str(&t, "; waiting for named to publish it again");
	port_log_line(t.buf, t.len);
}

uint32_t procd_peer_publish(struct procd *d, uint32_t role, procd_cap cap, struct procd_refusal *why)
{
	struct procd_peer *peer = peer_of(role);
	struct procd_proc *p;

	if (!peer || port_cap_kind(cap) != PROCD_CAP_ENDPOINT)
		return PROCD_E_INVALID;
	/* Bound only to an endpoint procd issued to a live process of that
	 * very role. */
	for (uint32_t i = 0; (p = procd_proc_next_live(&d->table, &i)) != 0;) {
		if (p->policy->role != role || p->kept_alias == PROCD_NO_CAP ||
		    !port_cap_same(cap, p->kept_alias))
			continue;
		if (peer->cap != PROCD_NO_CAP)
			port_cap_drop(peer->cap);
		peer->cap = cap;
		peer->pid = p->pid;
		procd_log_proc(p, "bound as procd's peer", ", published by named");
		return PROCD_OK;
	}
	return procd_may_bind_peer(role, 0, why);
}

/* The process p ended or retired: if it was a bound peer, unbind it. */
static void peer_gone(struct procd *d, const struct procd_proc *p)
{
	(void)d;
	if (p->pid != 0 && logd.pid == p->pid)
		unbind(&logd, "logd", "its process ended");
	if (p->pid != 0 && crashd.pid == p->pid)
		unbind(&crashd, "crashd", "its process ended");
}

static int peer_send(struct procd_peer *peer, const char *name, uint32_t op, const void *body, uint32_t len)
{
	uint64_t buf[(sizeof(struct procd_msg_header) + PROCD_PEER_LOG_MAX + 7) / 8];
	struct procd_msg_header h = { .op = op, .length = (uint32_t)sizeof h + len };

	if (peer->cap == PROCD_NO_CAP)
		return 0;
	procd_bytes_copy(buf, &h, sizeof h);
	procd_bytes_copy((unsigned char *)buf + sizeof h, body, len);
	if (port_send(peer->cap, buf, h.length, 0, 0) != 0) {
		unbind(peer, name, "transport failure");
		return -1;
	}
	return 0;
}

static void log_to_logd(const char *line, size_t len)
{
	if (logging_to_peer)
		return;
	if (len > PROCD_PEER_LOG_MAX)
		len = PROCD_PEER_LOG_MAX;
	logging_to_peer = 1;
	peer_send(&logd, "logd", PROCD_PEER_LOG, line, (uint32_t)len);
	logging_to_peer = 0;
}

/* An end: a peer's process is no longer it; a fault or kill goes to crashd. */
static void ended(struct procd *d, const struct procd_proc *p, uint32_t kind, int32_t code)
{
	struct procd_msg_crash c = { .pid = p->pid, .role = p->policy->role, .kind = kind, .code = code };

	peer_gone(d, p);
	if (kind != PROCD_EVENT_EXITED)
		peer_send(&crashd, "crashd", PROCD_PEER_CRASH, &c, sizeof c);
}

static void drop_all(struct procd *d)
{
	(void)d;
	port_cap_drop(logd.cap);
	port_cap_drop(crashd.cap);
	logd.cap = crashd.cap = PROCD_NO_CAP;
	logd.pid = crashd.pid = 0;
}

static void reset(struct procd *d)
{
	(void)d;
	logd.cap = crashd.cap = PROCD_NO_CAP;
	logd.pid = crashd.pid = 0;
	logging_to_peer = 0;
}

PROCD_HOOKS(foundation_peers) = {
	.name = "foundation-peers",
	.init = reset,
	.ended = ended,
	.retiring = peer_gone,
	.shutdown = drop_all,
	.log_line = log_to_logd,
};
