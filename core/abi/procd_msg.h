/* SPDX-License-Identifier: ISC */
/*
 * procd wire ABI: message layouts.
 *
 * Every message is one datagram (hosted: one SOCK_SEQPACKET record): a
 * 16-byte header, then the op's fixed-size body (SEND_LOADER_IMAGE_CHUNK
 * alone has up to PROCD_CHUNK_MAX image bytes after it). All fields are
 * little-endian, naturally aligned, with no implicit padding. procd refuses
 * a message whose length is not exactly that, and any reserved field that
 * is not zero. Capabilities travel beside the bytes
 * (hosted: SCM_RIGHTS); a request that carries capabilities it should not
 * is refused and the capabilities are dropped.
 *
 * Requests go to procd's bootstrap/service endpoint or its driver endpoint;
 * installs go to a staged child's install grant. Every reply echoes the
 * request's op and tag and carries a status (procd_status.h).
 */
#ifndef PROCD_ABI_MSG_H
#define PROCD_ABI_MSG_H

#include <stdint.h>

#define PROCD_MSG_MAX 512u /* no fixed-size request or reply is longer */
/* SEND_LOADER_IMAGE_CHUNK alone carries bytes after its fixed body. */
#define PROCD_CHUNK_MAX     131072u /* within a default SEQPACKET send buffer */
#define PROCD_MSG_LARGE_MAX (PROCD_MSG_MAX + PROCD_CHUNK_MAX)

struct procd_msg_header {
	uint32_t op;     /* PROCD_OP_* */
	uint32_t length; /* of the whole message, header included */
	uint32_t tag;    /* chosen by the caller, echoed in the reply */
	uint32_t status; /* 0 in requests; PROCD_OK or PROCD_E_* in replies */
};

/* SPAWN (legacy Phase0SpawnRequestV1, extension roles only) and
 * SPAWN_SERVICE: create and start in one request, with the capabilities
 * rootd transferred to procd installed as the policy allows. Reply:
 * procd_msg_pid + the child's endpoint alias. */
struct procd_msg_spawn {
	uint32_t role;
	uint32_t image_module; /* index in procd's boot module table */
};

/* CREATE_STAGED_PROCESS. Reply: procd_msg_created + two capabilities:
 * [0] the child's endpoint alias, [1] its install grant. */
struct procd_msg_create {
	uint32_t role;
	uint32_t reserved;
};

struct procd_msg_created {
	uint32_t pid;
	uint32_t window;
};

/* START_STAGED_PROCESS: start pid from procd's own image module. */
struct procd_msg_start {
	uint32_t pid;
	uint32_t image_module; /* an index, or PROCD_IMAGE_OF_ROLE */
};

/* The boot module the role's policy names as its image: a caller need not
 * know procd's module table. */
#define PROCD_IMAGE_OF_ROLE 0xffffffffu

/*
 * Process ids are procd's own, 32-bit, and never handed out twice within
 * one procd lifetime: an id that names no live child (retired, or never
 * issued) is PROCD_E_NOT_FOUND, never another child. Each process table
 * entry yields ids until the next would not fit in 32 bits and is then
 * retired for good, so a procd that has issued about 2^32 ids has no
 * entries left and answers PROCD_E_NO_SPACE.
 */

/* ABORT_STAGED_PROCESS, STOP_PROCESS, QUERY_PROCESS,
 * GET_RESTART_POLICY; and the reply of SPAWN, START, ABORT, STOP. */
struct procd_msg_pid {
	uint32_t pid;
	uint32_t reserved;
};

/* Process lifecycle events, in the order a process sees them. */
#define PROCD_EVENT_NONE      0u
#define PROCD_EVENT_STARTED   1u /* code: the instance number (0 first) */
#define PROCD_EVENT_EXITED    2u /* code: exit status */
#define PROCD_EVENT_FAULTED   3u /* code: the signal of the fault */
#define PROCD_EVENT_KILLED    4u /* code: the signal that ended it */
#define PROCD_EVENT_RESTARTED 5u /* code: restarts so far */
#define PROCD_EVENT_GAVE_UP   6u /* code: restarts made before giving up */
#define PROCD_EVENT_STOPPED   7u /* retired by STOP_PROCESS */

/* WAIT_PROCESS_EVENT: the first event of pid numbered after after_seq,
 * waiting up to timeout_ms for it (0: do not wait). Reply: procd_msg_event,
 * or status PROCD_E_TIMEOUT. */
struct procd_msg_wait {
	uint32_t pid;
	uint32_t after_seq;
	uint32_t timeout_ms;
	uint32_t reserved;
};

struct procd_msg_event {
	uint32_t pid;
	uint32_t seq;  /* 1, 2, ... per process */
	uint32_t kind; /* PROCD_EVENT_* */
	int32_t code;
};

/* Process states. */
#define PROCD_STATE_STAGED   1u
#define PROCD_STATE_RUNNING  2u
#define PROCD_STATE_BACKOFF  3u /* ended; waiting to be restarted */
#define PROCD_STATE_ENDED    4u /* ended for good; awaits STOP to retire */

/* QUERY_PROCESS reply. */
struct procd_msg_info {
	uint32_t pid;
	uint32_t role;
	uint32_t state;     /* PROCD_STATE_* */
	uint32_t restarts;  /* restarts made so far */
	uint32_t last_seq;  /* seq of the last event, 0 if none */
	uint32_t last_kind; /* PROCD_EVENT_* of the last event */
	int32_t last_code;
	uint32_t reserved;
};

/* Restart policies. */
#define PROCD_RESTART_NEVER      0u
#define PROCD_RESTART_ON_FAILURE 1u /* after a non-zero exit, a fault or a kill */
#define PROCD_RESTART_ALWAYS     2u

/* SET_RESTART_POLICY request, GET_RESTART_POLICY reply. At most
 * max_restarts restarts within window_ms; past that procd gives up and
 * reports PROCD_EVENT_GAVE_UP. Restart n waits
 * min(backoff_min_ms << n, backoff_max_ms). */
struct procd_msg_restart {
	uint32_t pid;
	uint32_t policy;
	uint32_t max_restarts;
	uint32_t window_ms;
	uint32_t backoff_min_ms;
	uint32_t backoff_max_ms;
};

/*
 * Loader image transfer (loaderd -> procd, bootstrap endpoint only). The
 * bytes of one static ELF image arrive in order, then the segment plan;
 * procd validates both and owns everything after: the image memory, the
 * copy, the child, its start. Nothing of the child is handed to loaderd.
 */
#define PROCD_LOADER_SEGMENTS_MAX 8u
#define PROCD_LOADER_IMAGE_MAX    (64u << 20) /* bytes in one image */

/* BEGIN_LOADER_IMAGE_TRANSFER. Reply: procd_msg_transfer. A second BEGIN
 * for the same role supersedes the first. */
struct procd_msg_transfer_begin {
	uint32_t role;      /* the role the image will run as */
	uint32_t nsegments; /* PT_LOAD segments COMMIT will describe */
	uint64_t size;      /* total image bytes */
	uint64_t entry;     /* the ELF entry the image declares */
};

struct procd_msg_transfer {
	uint32_t transfer;  /* names this transfer in CHUNK and COMMIT */
	uint32_t chunk_max; /* the most bytes one CHUNK may carry */
};

/* SEND_LOADER_IMAGE_CHUNK: this fixed part, then `length` image bytes,
 * which must start exactly where the previous chunk ended. Reply:
 * procd_msg_transfer (chunk_max: bytes received so far, capped). */
struct procd_msg_transfer_chunk {
	uint32_t transfer;
	uint32_t length;
	uint64_t offset;
};

struct procd_msg_segment {
	uint64_t offset; /* in the image */
	uint64_t vaddr;
	uint64_t filesz;
	uint64_t memsz;
	uint32_t flags;  /* ELF PF_R 4 | PF_W 2 | PF_X 1 */
	uint32_t reserved;
};

/* COMMIT_LOADER_IMAGE_TRANSFER: the segment plan, which must be exactly the
 * image's own. Reply: procd_msg_pid of the started child. */
struct procd_msg_transfer_commit {
	uint32_t transfer;
	uint32_t nsegments;
	struct procd_msg_segment seg[PROCD_LOADER_SEGMENTS_MAX];
};

/* UPDATE_FOUNDATION_ENDPOINTS (rootd, bootstrap endpoint): this body and
 * exactly one capability, the kernel endpoint for `slot`, which procd did
 * not have at startup (pagerd = 0). Reply: header only. */
struct procd_msg_foundation {
	uint32_t slot;
	uint32_t reserved;
};

/* PUBLISH_FOUNDATION_PEER (named, bootstrap endpoint): this body and
 * exactly one capability, the endpoint of `role` (ROLE_LOGD or
 * ROLE_CRASHD). procd binds it only if it is that role's. Reply: header. */
struct procd_msg_peer {
	uint32_t role;
	uint32_t reserved;
};

/* PROBE_COMPLETE, on a child's notify alias; and procd's notice to rootd. */
struct procd_msg_probe_done {
	uint32_t pid;  /* 0 from the child; procd fills it in for rootd */
	uint32_t role;
};

/* PROCD_PEER_CRASH body. */
struct procd_msg_crash {
	uint32_t pid;
	uint32_t role;
	uint32_t kind; /* PROCD_EVENT_FAULTED or PROCD_EVENT_KILLED */
	int32_t code;  /* the signal */
};

/* PROCD_PEER_LOG: the header, then up to this many bytes of text. */
#define PROCD_PEER_LOG_MAX 200u

/* On an install grant: place the attached capability at slot in the staged
 * child's CSpace. For SLOT_PROCD_ENDPOINT, SLOT_PROCD_DRIVER_ENDPOINT and
 * SLOT_PROBE_NOTIFY nothing is attached: procd mints an alias of its own
 * endpoint for the child. Reply: header only. */
#define PROCD_GRANT_INSTALL 0x480u
struct procd_msg_install {
	uint32_t slot;
	uint32_t reserved;
};

#endif
