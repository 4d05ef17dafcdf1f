/* SPDX-License-Identifier: ISC */
/* Shared by the files of the hosted port. */
#ifndef PROCD_PORT_LINUX_H
#define PROCD_PORT_LINUX_H

#include <stddef.h>
#include <sys/types.h>

#include "core/daemon.h"

/* The descriptor that carries the startup envelope from rootd. */
#define PROCD_ENVELOPE_FD 3

/* Log lines naming a failed system call: "<what>: <strerror(err)>". */
void linux_log_errno(const char *what, int err);
void linux_log_step(const char *what, const char *step, int err);

/* procd's own non-blocking hold on stderr (log.c); before procd_init. */
int linux_log_init(void);
/* Whether fd is that hold: procd's, but no authority. */
int linux_log_owns(int fd);

/* Descriptor passing on SOCK_SEQPACKET (caps.c), procd's and the
 * spawner's one way: a record with up to LINUX_MAX_PASSED descriptors.
 * Send: 0, or -1 with errno. Receive: the record's length (0 for an empty
 * record or end of stream), -1 with errno; descriptors beyond `max` are
 * closed, and *truncated says the record or its descriptors were cut. */
#define LINUX_MAX_PASSED 17
int linux_send_fds(int fd, const void *msg, size_t len, const int *fds, size_t nfds, int flags);
ssize_t linux_receive_fds(int fd, void *buf, size_t size, int *fds, size_t max, size_t *nfds, int *truncated,
			  int flags);

/* The watch set (watch.c): port_watch's epoll set and SIGINT/SIGTERM.
 * Set up before procd_init. */
int linux_watch_init(void);

/* Whether fd is the watch set's own machinery (epoll, signalfd): procd's,
 * but no authority, so the residual-capability check passes it. */
int linux_watch_owns(int fd);

/* One readiness: of a watch core asked for (its kind, index, capability
 * and EPOLL* events), or, if `signalled`, of a signal to take. */
struct linux_ready {
	int signalled;
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

/* Starts the spawner (spawner.c), which creates every child; after the
 * residual-capability check, before procd confines itself. */
int linux_spawn_init(void);

/* Ends the spawner and collects it; as procd exits. */
void linux_spawn_shutdown(void);

/* The request loop (loop.c): serves until procd stops (its bootstrap peer hangs up, or SIGINT/SIGTERM). */
int linux_serve(struct procd *d);

#endif
