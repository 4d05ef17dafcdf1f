/* SPDX-License-Identifier: ISC */
/*
 * The request path shared by every op handler: a decoded request, its
 * reply under construction, and the mechanism handlers call.
 */
#ifndef PROCD_CORE_DISPATCH_H
#define PROCD_CORE_DISPATCH_H

#include "core/abi/procd_status.h"
#include "core/authority.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/reply.h"

struct procd_request {
	uint32_t ep;                      /* endpoint index it arrived on */
	const struct procd_endpoint *from; /* kind and caller role (badge) */
	struct procd_msg_header hdr;
	union {                           /* the body, copied aligned */
		struct procd_msg_spawn spawn;
		struct procd_msg_create create;
		struct procd_msg_start start;
		struct procd_msg_pid pid;
		struct procd_msg_wait wait;
		struct procd_msg_restart restart;
		struct procd_msg_transfer_begin begin;
		struct procd_msg_transfer_chunk chunk;
		struct procd_msg_transfer_commit commit;
		struct procd_msg_foundation foundation;
		struct procd_msg_peer peer;
		struct procd_msg_probe_done probe;
		unsigned char raw[PROCD_MSG_MAX];
	} body;
	const unsigned char *trailing; /* PROCD_OP_TRAILING: the bytes after the body */
	uint32_t trailing_len;
	procd_cap cap;                 /* PROCD_OP_TAKES_CAP: the one capability */
	int cap_kept;                  /* the handler kept it; else it is dropped */
	/* The reply a handler fills in. */
	union {
		struct procd_msg_pid pid;
		struct procd_msg_created created;
		struct procd_msg_event event;
		struct procd_msg_info info;
		struct procd_msg_restart restart;
		struct procd_msg_transfer transfer;
	} out;
	uint32_t out_len;
	procd_cap out_caps[2];
	uint32_t nout_caps;
	uint32_t created_pid; /* retired again if the reply cannot be delivered */
	int deferred;         /* the reply is sent later (a parked WAIT) */
	struct procd_refusal refusal; /* why it was refused, for the denial log */
};


/* One request that arrived on endpoint entry ep, end to end: admitted,
 * handled, answered; every attached capability kept or dropped. */
void procd_dispatch(struct procd *d, uint32_t ep, const void *msg, size_t len, const procd_cap *caps,
		    size_t ncaps, int truncated);

/* A process the caller may act on, or NULL with *status set: unknown or
 * stale ids are PROCD_E_NOT_FOUND; the rest is procd_may_manage's. */
struct procd_proc *procd_target(struct procd *d, struct procd_request *rq, uint32_t pid,
				uint32_t *status);

#endif
