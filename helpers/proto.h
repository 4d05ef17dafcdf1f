/* SPDX-License-Identifier: ISC */
/*
 * The helper test protocol: what the extension/test helpers and the peers
 * that test them say to each other on the helpers' endpoints.
 *
 * Framing is procd's (core/abi/procd_msg.h): one SOCK_SEQPACKET record per
 * message, a procd_msg_header whose length covers the whole record, then the
 * op's fixed body. A reply echoes the request's op and tag and carries a
 * status (PROCD_OK or PROCD_E_*). A record of the wrong length, or one that
 * carries capabilities nobody asked for, is malformed.
 *
 * The op ids are assigned here, in the 0x500 range, away from procd's own
 * 0x4xx lifecycle ops so a helper message can never be mistaken for a
 * request to procd.
 */
#ifndef HELPERS_PROTO_H
#define HELPERS_PROTO_H

#include <stdint.h>

#include "core/abi/procd_msg.h"
#include "core/abi/procd_ops.h"
#include "core/abi/procd_roles.h"
#include "core/abi/procd_slots.h"
#include "core/abi/procd_status.h"

/* To a helper's own endpoint (SLOT_SELF_ENDPOINT): exit with code. No reply. */
#define HELPER_OP_EXIT       0x500u
/* phase0-probe -> SLOT_PROBE_NOTIFY: probing finished. No reply. This is
 * procd's own op on the notify alias procd mints at that slot. */
#define HELPER_OP_PROBE_DONE PROCD_OP_PROBE_COMPLETE
/* phase1-lookup-client -> SLOT_NAMED_ENDPOINT: is name registered?
 * Reply: header only, status PROCD_OK when found. */
#define HELPER_OP_LOOKUP     0x502u
/* phase1-time-client -> SLOT_KERNEL_TIME_ENDPOINT: no body.
 * Reply: helper_time_reply. */
#define HELPER_OP_TIME       0x503u
/* phase2-irq-client -> SLOT_KERNEL_IRQ_ENDPOINT: claim irq.
 * Reply: header only, status PROCD_OK when granted. */
#define HELPER_OP_IRQ        0x504u

/* rootd -> loaderd's endpoint: load the attached file (a descriptor, the
 * hosted stand-in for a file reached through e2fsd) as role. Reply:
 * helper_load_reply; status is procd's answer to the transfer. */
#define HELPER_OP_LOAD       0x505u

/* To named's own endpoint: publish again, to procd, the logd and crashd
 * endpoints named holds (as at its start). No body, no reply. */
#define HELPER_OP_REPUBLISH  0x506u

/* deviced -> SLOT_KERNEL_LOG_ENDPOINT (its kernel query endpoint): which
 * devices are there to drive? No body. Reply: helper_devices_reply, the
 * role of the driver for each (procd-boot answers from the manifest's
 * `driver` lines). */
#define HELPER_OP_DEVICES    0x507u
#define HELPER_DEVICES_MAX   8u

struct helper_devices_reply {
	struct procd_msg_header h;
	uint32_t count;
	uint32_t roles[HELPER_DEVICES_MAX];
};

#define HELPER_NAME_MAX 32u /* lookup names, NUL-padded */

struct helper_load_msg {
	struct procd_msg_header h;
	uint32_t role;
	uint32_t chunk; /* bytes per chunk; 0: the most procd takes */
};

struct helper_load_reply {
	struct procd_msg_header h;
	uint32_t pid;
	uint32_t reserved;
};

struct helper_exit_msg {
	struct procd_msg_header h;
	int32_t code;
};

struct helper_probe_done_msg {
	struct procd_msg_header h;
	uint32_t pid;  /* 0: procd knows who sent it */
	uint32_t role; /* the sender's role: ROLE_PHASE0_PROBE */
};

struct helper_lookup_msg {
	struct procd_msg_header h;
	char name[HELPER_NAME_MAX];
};

struct helper_irq_msg {
	struct procd_msg_header h;
	uint32_t irq;
};

struct helper_time_reply {
	struct procd_msg_header h;
	uint64_t monotonic_ns;
};

/* The wire sizes are the struct sizes: no implicit padding anywhere. */
_Static_assert(sizeof(struct procd_msg_header) == 16, "header is 16 bytes");
_Static_assert(sizeof(struct helper_exit_msg) == 20, "EXIT is header + 4");
_Static_assert(sizeof(struct helper_probe_done_msg) == 24, "PROBE_DONE is header + struct procd_msg_probe_done");
_Static_assert(sizeof(struct helper_lookup_msg) == 48, "LOOKUP is header + 32");
_Static_assert(sizeof(struct helper_irq_msg) == 20, "IRQ is header + 4");
_Static_assert(sizeof(struct helper_time_reply) == 24, "TIME reply is header + 8");
_Static_assert(sizeof(struct helper_load_msg) == 24, "LOAD is header + 8");
_Static_assert(sizeof(struct helper_load_reply) == 24, "LOAD reply is header + 8");

#endif
