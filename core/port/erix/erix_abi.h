/* SPDX-License-Identifier: ISC */
/*
 * The EriX kernel ABI this port assumes, in one place.
 *
 * No EriX kernel runs on our machines, so this header is the contract the
 * freestanding image is built against; a kernel that differs changes this
 * file and port.c, nothing above core/port.h.
 *
 * One system call entry: `syscall`, number in rax, arguments in rdi, rsi,
 * rdx, r10, r8, r9 (the SysV kernel convention); result in rax, negative
 * for an error. Only the IPC primitives are system calls. Every kernel
 * operation procd needs is an IPC call on its process-control endpoint
 * (SLOT_KERNEL_PROCESS_ENDPOINT, 2288): a request message whose first word
 * is an ERIX_KOP_* and whose reply's first word is a status (0 or -errno),
 * capabilities travelling beside the bytes.
 */
#ifndef PROCD_PORT_ERIX_ABI_H
#define PROCD_PORT_ERIX_ABI_H

#include <stdint.h>

/* System calls. */
#define ERIX_SYS_SEND  1 /* (slot, msg, len, caps, ncaps): never blocks; -EAGAIN if full */
#define ERIX_SYS_RECV  2 /* (slot, buf, size, caps_out, maxcaps, timeout_ms): -> length;
			    -ETIMEDOUT after timeout_ms (0: poll); caps land in free
			    slots of the receiver, their numbers in caps_out */
#define ERIX_SYS_CALL  3 /* (slot, msg, len, reply, size, caps_inout): SEND then RECV of the
			    reply on the same endpoint, atomically */
#define ERIX_SYS_QUERY_LOCAL_CAP 4 /* (slot) -> ERIX_CAP_* of the caller's own slot */
#define ERIX_SYS_EXIT  5 /* (status): does not return */
#define ERIX_SYS_DEBUG_WRITE 6 /* (buf, len): the kernel's debug console, for any process */
#define ERIX_SYS_WINDOW 7 /* () -> the caller's CSpace window (slots [0, window)) */
#define ERIX_SYS_DELETE 8 /* (slot): drop the caller's own capability */

#define ERIX_TIMEOUT_NEVER 0xffffffffu /* RECV: block until a message */

#define ERIX_ETIMEDOUT 110
#define ERIX_EAGAIN    11

/* Capability kinds QUERY_LOCAL_CAP reports. */
#define ERIX_CAP_EMPTY    0
#define ERIX_CAP_ENDPOINT 1 /* an endpoint, or a badged alias of one */
#define ERIX_CAP_FRAME    2 /* memory: boot module images are frames */
#define ERIX_CAP_PROCESS  3
#define ERIX_CAP_OTHER    4

/* Kernel operations on the process-control endpoint. */
#define ERIX_KOP_LOG          1 /* bytes: one line for the kernel console */
#define ERIX_KOP_TIME_MS      2 /* -> u64 milliseconds, monotonic */
#define ERIX_KOP_ENDPOINT     3 /* -> caps: [server, client alias] */
#define ERIX_KOP_COPY_CAP     4 /* cap -> a second local hold on it */
#define ERIX_KOP_DELETE_CAP   5 /* slot: drop the local hold */
#define ERIX_KOP_SPAWN        6 /* struct erix_spawn + caps (image, then the CSpace) -> caps: [process] */
#define ERIX_KOP_KILL         7 /* process slot */
#define ERIX_KOP_COLLECT      8 /* process slot, wait -> struct erix_end; -EAGAIN if running */
#define ERIX_KOP_LIST_LOCAL   9 /* from slot -> the next occupied local slot at or after it, or -1 */
#define ERIX_KOP_FRAME       10 /* value: bytes -> caps: [frame], zero filled, mapped nowhere */
#define ERIX_KOP_FRAME_WRITE 11 /* struct erix_frame_io + bytes: copy into the frame at offset */
#define ERIX_KOP_FRAME_SEAL  12 /* frame slot: no writer, ever again (procd included) */
#define ERIX_KOP_FRAME_MAP   13 /* frame slot, value: bytes -> the address of a read-only mapping */
#define ERIX_KOP_FRAME_UNMAP 14 /* value: the address returned by FRAME_MAP */
#define ERIX_KOP_FRAME_ZERO  15 /* struct erix_frame_io, length as a 64-bit value after it */
#define ERIX_KOP_FRAME_TRIM  16 /* frame slot, value: new size */
#define ERIX_KOP_SAME_CAP    17 /* arg: slot, value: slot -> value 1 if both name one object */


struct erix_kop {
	uint32_t op;
	uint32_t arg;   /* a slot or flag, per op */
	uint64_t value; /* per op */
};

/* ERIX_KOP_FRAME_WRITE: this header, then `length` bytes. */
struct erix_frame_io {
	struct erix_kop kop; /* arg: frame slot; value: offset */
	uint32_t length;     /* bytes following this header, at most ERIX_FRAME_IO_MAX */
	uint32_t reserved;
};
#define ERIX_FRAME_IO_MAX 4096u

/* ERIX_KOP_SPAWN: a new process from an image frame with a CSpace window;
 * slots[i] receives the i-th capability after the image. */
#define ERIX_SPAWN_MAX_CAPS 16
struct erix_spawn {
	struct erix_kop kop;
	uint32_t window;
	uint32_t ncaps;
	uint32_t slots[ERIX_SPAWN_MAX_CAPS];
};

/* ERIX_KOP_COLLECT reply. */
#define ERIX_END_EXITED 1
#define ERIX_END_FAULTED 2
#define ERIX_END_KILLED 3
struct erix_end {
	int32_t status;
	uint32_t how;  /* ERIX_END_* */
	int32_t code;  /* exit status or fault/kill number */
	uint32_t reserved;
};

#endif
