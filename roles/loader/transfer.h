/* SPDX-License-Identifier: ISC */
/*
 * Loader image transfers: procd-owned materialization of filesystem bytes
 * (the seed's Phase 4.7.8). loaderd supplies the bytes of one static ELF
 * image, in order, and its segment plan; procd owns everything after that:
 * the memory the bytes are staged in, validation, the image memory the
 * child runs from (allocated, written and sealed by procd), the child, its
 * start, its events and every cleanup. loaderd never holds any of it.
 *
 * A transfer is named by an id built like a process id (generation ×
 * slots + index + 1), so a superseded transfer's id is stale, not reused.
 */
#ifndef PROCD_ROLES_LOADER_TRANSFER_H
#define PROCD_ROLES_LOADER_TRANSFER_H

#include "core/authority.h"
#include "core/daemon.h"

/* A loader image transfer under way. */
#define PROCD_MAX_TRANSFERS 4u
struct procd_transfer {
	uint32_t id;       /* 0: free */
	uint32_t ep;       /* the endpoint loaderd sent it on */
	const struct procd_policy *policy;
	uint64_t size;
	uint64_t received;
	uint64_t entry;
	uint32_t nsegments;
	procd_cap staging; /* procd's memory holding the bytes so far */
	uint64_t last_ms;
};

/* The loader role's state: its own, not core's (tests read it). */
struct procd_loader {
	struct procd_transfer transfers[PROCD_MAX_TRANSFERS];
	uint16_t generation[PROCD_MAX_TRANSFERS];
};
extern struct procd_loader procd_loader;

/* How long a transfer may sit without a chunk before it is reclaimed. */
#define PROCD_TRANSFER_IDLE_MS 30000u

uint32_t procd_transfer_begin(struct procd *d, uint32_t ep, const struct procd_policy *policy,
			      const struct procd_msg_transfer_begin *m, uint32_t *id, struct procd_refusal *why);
uint32_t procd_transfer_chunk(struct procd *d, uint32_t ep, const struct procd_msg_transfer_chunk *m,
			      const unsigned char *bytes, uint32_t len, uint64_t *received, struct procd_refusal *why);
/* Validates, materializes, starts; on success *pid is the child's. */
uint32_t procd_transfer_commit(struct procd *d, uint32_t ep, const struct procd_msg_transfer_commit *m,
			       uint32_t *pid, struct procd_refusal *why);

/* How many transfers are open (for tests). */
uint32_t procd_transfers_open(void);

#endif
