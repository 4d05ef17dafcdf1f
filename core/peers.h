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
#ifndef PROCD_CORE_PEERS_H
#define PROCD_CORE_PEERS_H

#include "core/authority.h"
#include "core/daemon.h"

/* Binds role's peer to cap if cap is that role's own endpoint; takes cap on
 * PROCD_OK only. */
uint32_t procd_peer_publish(struct procd *d, uint32_t role, procd_cap cap, struct procd_refusal *why);

/* The process `pid` ended or retired: if it was a bound peer, unbind it. */
void procd_peer_gone(struct procd *d, uint32_t pid);

/* Reports a fault or kill of p to crashd, if bound. */
void procd_peer_crash(struct procd *d, const struct procd_proc *p, uint32_t kind, int32_t code);

/* Sends one log line to logd, if bound (core/log.c calls this). */
void procd_peer_log(const char *line, size_t len);

/* Makes d the daemon whose logd procd_peer_log uses. */
void procd_peer_attach(struct procd *d);

/* Drops both peers (shutdown). */
void procd_peer_drop_all(struct procd *d);

#endif
