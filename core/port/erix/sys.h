/* SPDX-License-Identifier: ISC */
/* The one system call entry, and the kernel-operation call built on it. */
#ifndef PROCD_PORT_ERIX_SYS_H
#define PROCD_PORT_ERIX_SYS_H

#include <stddef.h>
#include <stdint.h>

#include "core/port.h"
#include "core/port/erix/erix_abi.h"

long erix_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

/*
 * One kernel operation on the process-control endpoint: the request, and
 * its reply (whose first word is the status) into reply[0..size), with
 * capabilities as erix_abi.h's struct erix_call_caps says (caps may be 0).
 * Returns the status.
 */
long erix_kop(const void *req, size_t len, void *reply, size_t size, struct erix_call_caps *caps);

/* The capability lists of a kernel operation, in procd's own types. */
static inline struct erix_call_caps erix_caps(const procd_cap *send, uint32_t nsend, procd_cap *recv, uint32_t max_recv)
{
	_Static_assert(sizeof(procd_cap) == sizeof(uint32_t), "a slot list is uint32_t each");
	return (struct erix_call_caps){ .send = (uint64_t)(uintptr_t)send, .nsend = nsend,
					.max_recv = max_recv, .recv = (uint64_t)(uintptr_t)recv };
}

_Noreturn void erix_exit(int status);

#endif
