/* SPDX-License-Identifier: ISC */
/*
 * procd's own foundation peers: logd (its lifecycle lines) and crashd (the
 * faults and kills of its children). They are late-bound: authority only
 * once named has published the endpoint of exactly that role, which procd
 * recognises as the one it issued when that role was created. Any transport
 * failure, or the peer's process ending, unbinds the peer and drops the
 * capability before anything else is sent; only a new publication binds it
 * again, so procd never keeps talking to a stale peer.
 */
#ifndef PROCD_ROLES_FOUNDATION_PEERS_H
#define PROCD_ROLES_FOUNDATION_PEERS_H

#include "core/authority.h"
#include "core/daemon.h"

/* Binds role's peer to cap if cap is that role's own endpoint; takes cap on
 * PROCD_OK only. */
uint32_t procd_peer_publish(struct procd *d, uint32_t role, procd_cap cap, struct procd_refusal *why);

/* A foundation peer procd itself talks to (logd, crashd), bound only once
 * named has published that role's own endpoint. */
struct procd_peer {
	procd_cap cap; /* PROCD_NO_CAP: unbound */
	uint32_t pid;  /* the process whose endpoint it is */
};

/* The rest (unbinding when a peer's process ends, crash reports, log
 * lines to logd, dropping both at shutdown) is this module's hook set. */

#endif
