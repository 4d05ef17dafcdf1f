/* SPDX-License-Identifier: ISC */
/*
 * The EriX kernel contract procd and the helpers are built against, whole.
 * A kernel author implements from this file (and man/procd.8, KERNEL
 * CONTRACT, which says the same in prose) without reading port.c; the
 * model in tests/erix-model/ implements it and runs the unchanged images.
 * Every type below is fixed-size; nothing here is a port's private type.
 *
 * SYSTEM CALLS. One entry: the `syscall` instruction, number in rax,
 * arguments in rdi, rsi, rdx, r10, r8, r9; result in rax, an ERIX_E* error
 * as its negative. rcx and r11 are clobbered, every other register kept.
 * Slots are CSpace positions of the calling process. A slot at or beyond
 * the caller's window, or below ERIX_SLOT_FIRST, names nothing: calls on it
 * fail with -ERIX_EBADF, QUERY_LOCAL_CAP reports it ERIX_CAP_EMPTY.
 *
 * ENDPOINTS. An endpoint has two ends; what is sent on one end is queued
 * at the other, in order, at most ERIX_QUEUE_MAX messages of at most
 * ERIX_MSG_MAX bytes and ERIX_MSG_CAPS capabilities each. Each end is its
 * own capability (ERIX_KOP_SAME_CAP is 0 for the two ends of one
 * endpoint). An end is *hung up* once no process holds the other end any
 * more (every slot holding it deleted, its holders ended) and its queue is
 * drained: RECV on it then returns -ERIX_EPIPE at once, blocked receivers
 * wake with it, and SEND on it returns -ERIX_EPIPE.
 *
 * CAPABILITY TRANSFER. Capabilities travel beside the bytes as a list of
 * the sender's slots. Transfer COPIES: the sender keeps its holds (SEND,
 * CALL and SPAWN alike; procd restarts a child from the same CSpace). A
 * slot in the list that is empty makes the whole call fail with
 * -ERIX_EBADF, nothing sent. A receiver accepts at most `maxcaps`; each
 * accepted capability lands in the receiver's lowest free slot at or above
 * ERIX_SLOT_FIRST inside its window, and its slot number is written to the
 * receiver's array (uint32_t each, the first min(offered, maxcaps) entries
 * always written: ERIX_NO_SLOT where no free slot was left). Capabilities
 * past `maxcaps`, or without a free slot, are not installed anywhere (the
 * sender still holds its own); the result still counts them, so the
 * receiver sees the cut-off.
 *
 * THE RECEIVE RESULT (RECV and CALL): (offered << 32) | length, where
 * `length` is the full length of the message as sent (only min(length,
 * size) bytes are copied: length > size means it was cut) and `offered`
 * the number of capabilities it carried (accepted: min(offered, maxcaps),
 * less the ERIX_NO_SLOT entries; CALL also writes the count to nrecv). A
 * zero-length message without capabilities is 0; a hang-up is never 0.
 *
 * KERNEL OPERATIONS are CALLs on a process-control endpoint, which rootd
 * gives procd at SLOT_KERNEL_PROCESS_ENDPOINT (2288); no other process
 * holds one. The request starts with struct erix_kop; the reply is struct
 * erix_kop_reply (16 bytes) unless said otherwise, its status 0 or
 * -ERIX_E*. A CALL on the control endpoint never blocks except
 * ERIX_KOP_COLLECT with wait set. Capabilities the op returns come back as
 * received capabilities of the CALL (struct erix_call_caps), in the order
 * named below; an op that fails returns none and changes nothing. If the
 * caller's max_recv or free slots cannot take what the op returns, the
 * CALL fails with -ERIX_ENOSPC before the op does anything. A malformed
 * CALL (unreadable request or lists, an empty slot in the send list)
 * fails as a whole with the CALL's own -ERIX_EFAULT / -ERIX_EBADF.
 *
 * PROCESSES start at their ELF entry with rdi = 0 (procd: the envelope's
 * address), rsp unspecified (images move to their own stack_top), every
 * other register zero. A process ends by ERIX_SYS_EXIT (ERIX_END_EXITED,
 * code: the status), by a fault (ERIX_END_FAULTED, code: an ERIX_FAULT_*),
 * or by ERIX_KOP_KILL (ERIX_END_KILLED, code ERIX_KILLED_BY_KILL). On its
 * end the kernel deletes every capability it held (ends it held hang up
 * for their peers). Its process capability stays valid until deleted; its
 * end is collected once (ERIX_KOP_COLLECT), and, if asked for with
 * ERIX_KOP_NOTIFY_END, also delivered as a message.
 *
 * THE ENVELOPE. rootd maps procd's startup envelope (core/abi/
 * procd_envelope.h) read-only into procd before procd's first instruction
 * and passes its address in rdi. It stays mapped, unchanged, for procd's
 * whole life; procd reads it only during startup. It names every
 * capability procd holds at entry; procd holds nothing else.
 */
#ifndef PROCD_PORT_ERIX_ABI_H
#define PROCD_PORT_ERIX_ABI_H

#include <stdint.h>

#define ERIX_SLOT_FIRST 16u      /* slots 0-15 are never capabilities */
#define ERIX_NO_SLOT    0xffffffffu /* in a receive array: accepted, but no slot was free */
#define ERIX_MSG_MAX    135168u  /* bytes: a loader chunk and its header fit */
#define ERIX_MSG_CAPS   16u      /* capabilities one message carries */
#define ERIX_QUEUE_MAX  64u      /* messages queued at one end */

/* System calls. */
#define ERIX_SYS_SEND  1 /* (slot, msg, len, caps, ncaps): caps a uint32_t[ncaps] of slots. Queues
			    the message at the other end; never blocks. -> 0; -EAGAIN: the
			    queue is full; -EPIPE: hung up; -EMSGSIZE: len or ncaps too big */
#define ERIX_SYS_RECV  2 /* (slot, buf, size, caps_out, maxcaps, timeout_ms) -> the receive result;
			    -ETIMEDOUT: nothing within timeout_ms (0: do not wait at all);
			    -EPIPE: hung up, nothing queued */
#define ERIX_SYS_CALL  3 /* (slot, msg, len, reply, size, struct erix_call_caps *caps or 0): SEND
			    then RECV (no timeout) on the same slot -> the receive result of the
			    reply. On the control endpoint: a kernel operation, answered at once */
#define ERIX_SYS_QUERY_LOCAL_CAP 4 /* (slot) -> ERIX_CAP_* of the caller's own slot; never fails */
#define ERIX_SYS_EXIT  5 /* (status): ends the caller (ERIX_END_EXITED); does not return */
#define ERIX_SYS_DEBUG_WRITE 6 /* (buf, len) -> len written to the kernel's debug console
			    (at most 4096 bytes a call); any process may */
#define ERIX_SYS_WINDOW 7 /* () -> the caller's CSpace window: it sees slots [0, window) */
#define ERIX_SYS_DELETE 8 /* (slot) -> 0: deletes the caller's capability there; -EBADF if
			    empty. The one way any process (procd included) deletes one */

#define ERIX_TIMEOUT_NEVER 0xffffffffu /* RECV: block until a message or a hang-up */

/* Error values (results are their negatives). */
#define ERIX_EPERM     1  /* not allowed: a sealed frame written, a non-control CALL as a kop */
#define ERIX_EBADF     9  /* the slot is empty, outside the window, or of the wrong kind */
#define ERIX_EAGAIN    11 /* SEND: the queue is full; COLLECT: it has not ended */
#define ERIX_ENOMEM    12 /* no memory for the frame, or for the process */
#define ERIX_EFAULT    14 /* an address argument does not point at the caller's memory */
#define ERIX_EINVAL    22 /* a malformed request: lengths that disagree, an unknown op */
#define ERIX_ENOSPC    28 /* no free slot for a capability the op returns */
#define ERIX_EPIPE     32 /* the other end is hung up */
#define ERIX_ENOSYS    38 /* no such system call */
#define ERIX_EMSGSIZE  90 /* more bytes or capabilities than a message carries */
#define ERIX_ETIMEDOUT 110

/* Capability kinds QUERY_LOCAL_CAP reports. */
#define ERIX_CAP_EMPTY    0
#define ERIX_CAP_ENDPOINT 1 /* an endpoint end, or the process-control endpoint */
#define ERIX_CAP_FRAME    2 /* memory: boot module images are sealed frames */
#define ERIX_CAP_PROCESS  3
#define ERIX_CAP_OTHER    4 /* anything else */

/* CALL's capabilities: what goes out with the request, where the reply's
 * capabilities are to be accepted. */
struct erix_call_caps {
	uint64_t send;     /* address of uint32_t[nsend]: the caller's slots sent with the request */
	uint32_t nsend;
	uint32_t max_recv; /* at most this many accepted from the reply */
	uint64_t recv;     /* address of uint32_t[max_recv]: the slots they landed in */
	uint32_t nrecv;    /* written by the kernel: how many were accepted */
	uint32_t reserved; /* 0 */
};

/* Kernel operations on the process-control endpoint. */
#define ERIX_KOP_LOG          1 /* arg: n; n bytes of one line follow the kop (no newline); the
				   message is exactly 16 + n bytes, n <= ERIX_LOG_MAX */
#define ERIX_KOP_TIME_MS      2 /* -> value: milliseconds on a clock that never goes back */
#define ERIX_KOP_ENDPOINT     3 /* -> caps: [end A, end B] of a new endpoint (procd serves A) */
#define ERIX_KOP_COPY_CAP     4 /* arg: slot -> caps: [a second hold on the same object] */
/* 5 is retired (it was a second deletion path): -EINVAL */
#define ERIX_KOP_SPAWN        6 /* struct erix_spawn; sent caps: [image frame (sealed), then ncaps
				   capabilities] -> value: the OS id, caps: [process] */
#define ERIX_KOP_KILL         7 /* arg: process slot: ends it now (ERIX_END_KILLED); 0 also if it
				   had ended already */
#define ERIX_KOP_COLLECT      8 /* arg: process slot, value: wait (0/1) -> reply struct erix_end;
				   -EAGAIN if not ended and wait is 0; -EINVAL if collected before */
#define ERIX_KOP_LIST_LOCAL   9 /* arg: from -> value: the first occupied slot >= from of the
				   caller, or UINT64_MAX if none (walks stop at the window) */
#define ERIX_KOP_FRAME       10 /* value: bytes (<= ERIX_FRAME_MAX) -> caps: [frame], zero filled */
#define ERIX_KOP_FRAME_WRITE 11 /* struct erix_frame_io + length bytes: copied in at offset */
#define ERIX_KOP_FRAME_SEAL  12 /* arg: frame slot: never written again, by anyone */
#define ERIX_KOP_FRAME_MAP   13 /* arg: frame slot, value: bytes -> value: the address of a read-only
				   mapping of the frame's first `bytes` in the caller */
#define ERIX_KOP_FRAME_UNMAP 14 /* value: an address FRAME_MAP returned */
#define ERIX_KOP_FRAME_ZERO  15 /* struct erix_frame_io, length 8, then a uint64_t count: zeroes
				   [offset, offset + count) */
#define ERIX_KOP_FRAME_TRIM  16 /* arg: frame slot, value: new size (<= size; unsealed only) */
#define ERIX_KOP_SAME_CAP    17 /* arg: slot, value: slot -> value 1 if both hold one object
				   (copies of one end, however they travelled), else 0; the
				   two ends of one endpoint are two objects: 0 */
#define ERIX_KOP_NOTIFY_END  18 /* arg: process slot, value: badge (non-zero); sent caps: [a
				   receive end R]: when the process ends (at once if it has), the
				   kernel queues at R an event ERIX_EVENT_END with this badge,
				   followed by struct erix_end; once. A later request for the
				   same process replaces it */
#define ERIX_KOP_BIND        19 /* arg: end slot E, value: badge (non-zero); sent caps: [a receive
				   end R]: from now on (and for what is queued at E now) every
				   message arriving at E is queued at R instead, as an event
				   ERIX_EVENT_MESSAGE with this badge followed by the message
				   (its capabilities as sent), and E's hang-up arrives at R as an
				   event ERIX_EVENT_HANGUP. Sending on E is unchanged; RECV on E
				   returns -EINVAL. R must not be bound itself; a bound E cannot
				   be bound again (-EINVAL) */

/*
 * RECEIVE ENDS. Binding ends to one receive end R lets a server take every
 * request, hang-up and process end of all its clients with one RECV on R,
 * the badge naming which, so its cost per turn does not grow with them.
 * Each event at R is one message that starts with struct erix_event; the
 * receive result's length counts the event header. Events at R are queued
 * in arrival order, up to ERIX_RECEIVE_QUEUE_MAX (beyond that the sender
 * of a message gets -EAGAIN; hang-up and end events are never dropped).
 * R is an ordinary end: it hangs up like any other once nobody holds its
 * other end, so its server keeps that end.
 */
#define ERIX_RECEIVE_QUEUE_MAX 4096u
#define ERIX_EVENT_MESSAGE 1
#define ERIX_EVENT_HANGUP  2
#define ERIX_EVENT_END     3
struct erix_event {
	uint64_t badge;
	uint32_t event;    /* ERIX_EVENT_* */
	uint32_t reserved; /* 0 */
};

#define ERIX_LOG_MAX   200u
#define ERIX_FRAME_MAX (64u << 20)

struct erix_kop {
	uint32_t op;
	uint32_t arg;   /* a slot or flag, per op */
	uint64_t value; /* per op */
};

struct erix_kop_reply {
	int32_t status; /* 0 or -ERIX_E* */
	uint32_t reserved;
	uint64_t value; /* per op */
};

/* ERIX_KOP_FRAME_WRITE / _ZERO: this header, then `length` bytes. */
struct erix_frame_io {
	struct erix_kop kop; /* arg: frame slot; value: offset */
	uint32_t length;     /* bytes following this header, at most ERIX_FRAME_IO_MAX */
	uint32_t reserved;
};
#define ERIX_FRAME_IO_MAX 4096u

/* ERIX_KOP_SPAWN: a new process from an image frame with a CSpace window;
 * slots[i] (>= ERIX_SLOT_FIRST, < window, distinct) receives the i-th
 * capability sent after the image. The image is a static ELF64 x86-64
 * executable; the process holds nothing else. */
#define ERIX_SPAWN_MAX_CAPS 16
struct erix_spawn {
	struct erix_kop kop;
	uint32_t window; /* <= ERIX_WINDOW_MAX */
	uint32_t ncaps;
	uint32_t slots[ERIX_SPAWN_MAX_CAPS];
};
#define ERIX_WINDOW_MAX 4096u

/* How a process ended: ERIX_KOP_COLLECT's reply, and in end notices. */
#define ERIX_END_EXITED 1
#define ERIX_END_FAULTED 2
#define ERIX_END_KILLED 3
struct erix_end {
	int32_t status; /* the kop status: 0 */
	uint32_t how;   /* ERIX_END_* */
	int32_t code;   /* EXITED: the exit status; FAULTED: ERIX_FAULT_*; KILLED: ERIX_KILLED_BY_KILL */
	uint32_t reserved;
};

/* Fault numbers. They are the POSIX signal numbers of the same faults, so
 * procd's lines ("faulted with signal 11") read alike on both platforms. */
#define ERIX_FAULT_INSTRUCTION 4  /* invalid or privileged instruction (#UD, ud2) */
#define ERIX_FAULT_BREAKPOINT  5  /* int3, debug trap */
#define ERIX_FAULT_ARITHMETIC  8  /* divide error, x87/SIMD exception */
#define ERIX_FAULT_MEMORY      11 /* page fault or protection fault */
#define ERIX_FAULT_BUS         7  /* misaligned or nonexistent memory */
#define ERIX_KILLED_BY_KILL    9  /* ERIX_KOP_KILL */

#endif
