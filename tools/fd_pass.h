/* SPDX-License-Identifier: ISC */
/*
 * Descriptors passed beside a record on a Unix socket (SCM_RIGHTS), as the
 * tools and tests do it when they play rootd or a helper's peers. procd's
 * own side has its port's routines; the no-libc helpers have their runtime's.
 */
#ifndef PROCD_TOOLS_FD_PASS_H
#define PROCD_TOOLS_FD_PASS_H

#include <stddef.h>
#include <sys/types.h>

/* The most descriptors one record carries (procd's port takes as many). */
#define FD_PASS_MAX 8

/* Sends the record whole with nfds descriptors (the sender keeps its own);
 * a peer that has gone is an error, not a SIGPIPE. 0, or -1 with errno
 * (EINVAL: more than FD_PASS_MAX; EMSGSIZE: sent short). */
int fd_pass_send(int sock, const void *msg, size_t len, const int *fds, size_t nfds);

/*
 * Receives one record into buf, retrying when a signal interrupts. Its
 * descriptors (close-on-exec) go to fds, up to max; any beyond are closed.
 * *truncated says the record is not what its sender meant: longer than
 * size, or more descriptors than max (or than FD_PASS_MAX) came with it.
 * Returns the record's length (0: the peer hung up) or -1 with errno.
 */
ssize_t fd_pass_receive(int sock, void *buf, size_t size, int *fds, size_t max, size_t *nfds,
			int *truncated);

#endif
