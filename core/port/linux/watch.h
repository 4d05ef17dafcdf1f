/* SPDX-License-Identifier: ISC */
/* What the hosted loop waits on (watch.c). */
#ifndef PROCD_PORT_LINUX_WATCH_H
#define PROCD_PORT_LINUX_WATCH_H

#include <stdint.h>

#include "core/port.h"

/* The watch set: port_watch's epoll set and SIGINT/SIGTERM.
 * Set up before procd_init. */
int linux_watch_init(void);

/* Whether fd is the watch set's own machinery (epoll, signalfd): procd's,
 * but no authority, so the residual-capability check passes it. */
int linux_watch_owns(int fd);

/* The spawner's channel, watched for its hang-up: the spawner gone. */
int linux_watch_spawner(int channel);

/* One readiness: of a watch core asked for (its kind, index, capability
 * and EPOLL* events); if `signalled`, of a signal to take; if
 * `spawner_gone`, of the spawner's end of its channel closed. */
struct linux_ready {
	int signalled;
	int spawner_gone;
	enum port_watch kind;
	uint32_t index;
	procd_cap cap;
	uint32_t events;
};

/* Waits up to timeout_ms (-1: no limit) for at most max readinesses;
 * how many, or -1 with errno. */
int linux_watch_wait(struct linux_ready *ready, int max, int timeout_ms);

/* The next signal that arrived (SIGINT or SIGTERM), or 0 if none is left. */
int linux_watch_signal(void);

#endif
