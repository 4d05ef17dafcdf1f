/* SPDX-License-Identifier: ISC */
/* The one system call entry, and the kernel-operation call built on it. */
#ifndef PROCD_PORT_ERIX_SYS_H
#define PROCD_PORT_ERIX_SYS_H

#include <stddef.h>
#include <stdint.h>

#include "core/daemon.h"
#include "core/port/erix/erix_abi.h"

long erix_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

/* Capabilities passed into a call and received from its reply. */
struct erix_caps {
	const procd_cap *in;
	size_t nin;
	procd_cap *out;
	size_t maxout;
	size_t nout;
};

/*
 * One kernel operation on the process-control endpoint: the request, and
 * its reply (whose first word is the status) into reply[0..size). Returns
 * the status.
 */
long erix_kop(const void *req, size_t len, void *reply, size_t size, struct erix_caps *caps);

/* Serves procd's endpoints until it stops. */
void erix_serve(struct procd *d);

_Noreturn void erix_exit(int status);

#endif
