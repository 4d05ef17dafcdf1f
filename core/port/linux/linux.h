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

/* Sets up the request loop (epoll, signals); before procd_init. */
int linux_loop_init(void);

/* Whether fd is the loop's own machinery (epoll, signalfd): procd's, but
 * no authority, so the residual-capability check passes it. */
int linux_loop_owns(int fd);

/* Starts the spawner (spawner.c), which creates every child; after the
 * residual-capability check, before procd confines itself. */
int linux_spawn_init(void);

/* Ends the spawner and collects it; as procd exits. */
void linux_spawn_shutdown(void);

/* Serves until procd stops (its bootstrap peer hangs up, or SIGINT/SIGTERM). */
int linux_serve(struct procd *d);

#endif
