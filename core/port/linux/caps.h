/* SPDX-License-Identifier: ISC */
/* Descriptors as capabilities on the hosted port (caps.c). */
#ifndef PROCD_PORT_LINUX_CAPS_H
#define PROCD_PORT_LINUX_CAPS_H

#include <stddef.h>
#include <sys/types.h>

/* Descriptor passing on SOCK_SEQPACKET, procd's and the spawner's one
 * way: a record with up to LINUX_MAX_PASSED descriptors.
 * Send: 0, or -1 with errno. Receive: the record's length (0 for an empty
 * record or end of stream), -1 with errno; descriptors beyond `max` are
 * closed, and *truncated says the record or its descriptors were cut. */
#define LINUX_MAX_PASSED 17
int linux_send_fds(int fd, const void *msg, size_t len, const int *fds, size_t nfds, int flags);
ssize_t linux_receive_fds(int fd, void *buf, size_t size, int *fds, size_t max, size_t *nfds, int *truncated,
			  int flags);

#endif
