/* SPDX-License-Identifier: ISC */
/*
 * Op registry: one descriptor per operation procd serves, gathered at link
 * time like policies. The descriptor declares where the op is accepted (a
 * mask of PROCD_EP_*) and from which caller roles; the dispatcher enforces
 * both before the handler runs. A reserved op is registered with
 * PROCD_OP_DENY so the table itself shows that it is refused.
 *
 *     PROCD_OP(stop_process) = {
 *             .id = PROCD_OP_STOP_PROCESS, .name = "STOP_PROCESS",
 *             .endpoints = PROCD_EP_ALL, .callers = { PROCD_CALLER_ANY },
 *             .request_size = sizeof(struct procd_msg_pid),
 *             .handler = handle_stop_process,
 *     };
 *
 * The handler pointer is the descriptor's only pointer and its last field;
 * procd-policy ignores it.
 */
#ifndef PROCD_CORE_OP_H
#define PROCD_CORE_OP_H

#include <stdint.h>

#include "core/abi/procd_ops.h"
#include "core/abi/procd_roles.h"
#include "core/section.h"

#define PROCD_OP_NAME_MAX 40
#define PROCD_OP_CALLERS  8

/* Any caller role; the target role's policy still decides. */
#define PROCD_CALLER_ANY 0xffffffffu

/* Op flags. */
#define PROCD_OP_DENY       0x1u /* reserved: always refused before mutation */
#define PROCD_OP_TRAILING   0x2u /* request_size, then up to PROCD_CHUNK_MAX bytes */
#define PROCD_OP_TAKES_CAP  0x4u /* carries exactly one capability (all others: none) */
#define PROCD_OP_FLAGS_KNOWN (PROCD_OP_DENY | PROCD_OP_TRAILING | PROCD_OP_TAKES_CAP)

struct procd;
struct procd_request;
typedef uint32_t (*procd_op_handler)(struct procd *, struct procd_request *);

struct procd_op {
	char name[PROCD_OP_NAME_MAX];
	uint32_t id;
	uint8_t endpoints;                 /* PROCD_EP_* mask */
	uint8_t flags;                     /* PROCD_OP_* */
	uint16_t request_size;             /* body bytes after the header */
	uint32_t callers[PROCD_OP_CALLERS]; /* roles, or PROCD_CALLER_ANY; 0 ends */
	uint8_t reserved[40];
	procd_op_handler handler;
} __attribute__((aligned(PROCD_SET_ALIGN)));

_Static_assert(sizeof(struct procd_op) == 128, "op layout is ABI for procd-policy");

#define PROCD_OP(ident)                                                        \
	PROCD_SET_ENTRY(procd_ops) const struct procd_op procd_op_##ident

PROCD_SET_BOUNDS(struct procd_op, procd_ops);

#endif
