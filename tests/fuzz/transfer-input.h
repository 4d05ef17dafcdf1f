/* SPDX-License-Identifier: ISC */
/*
 * How the transfer fuzz target (tests/fuzz/fuzz-transfer.c) reads its
 * input, shared with the corpus generator (tests/fuzz/mkcorpus-transfer.c).
 *
 * The input is a sequence of operations, read until the bytes run out (at
 * most TF_MAX_OPS); a read past the end yields zero bytes. Each operation
 * is one byte (its value modulo TF_OPS), then its operands. Multi-byte
 * operands are little-endian.
 *
 * A message operation (BEGIN, CHUNK, COMMIT, RAW) starts with a route byte:
 *   bits 0-2  who sends it: 0-4 loaderd (on its procd alias, badged
 *             ROLE_LOADERD), 5 an earlier loaderd rootd kept running (else
 *             loaderd), 6 rootd (procd's bootstrap endpoint, badged
 *             ROLE_ROOTD), 7 rootd on the driver endpoint
 *   bit 3     a capability rides along (bit 7 set: an image, else an endpoint)
 *   bit 4     the port reports the message truncated
 *   bit 5     the header is damaged; one byte follows: non-zero, added
 *             (signed) to the length field; zero, a non-zero status field
 *   bit 6     a platform failure is armed for this message; one byte
 *             follows: call (low nibble, modulo FAKE_CALLS of
 *             tests/fuzz/fake_port.h) and which call of that kind fails
 *             (high nibble + 1)
 *
 * TF_BEGIN   route, role, recipe[4], fields, then the extras fields asks for
 *            role: below TF_NROLES, tf_roles[role]; else a u16 role follows
 *            recipe: the image the transfer is meant to carry (below)
 *            fields bits 0-1 size: 0 the image's length, 1 the length plus
 *                   an i8 extra, 2 a u64 extra, 3 zero
 *                   bits 2-3 nsegments: 0 the image's, 1 a u8 extra, 2 the
 *                   image's plus one, 3 zero
 *                   bits 4-5 entry: 0 the image's, 1 plus an i8 extra,
 *                   2 a u64 extra, 3 zero
 * TF_CHUNK   route, which, len, mode, then the extras
 *            which: bit 7 clear, the (which % n)-th newest transfer id the
 *                   harness was given (0: the newest); set, a u32 id follows
 *            len: 0 all the bytes left (at most PROCD_CHUNK_MAX); 1-127
 *                 len * 8, at most what is left; 128-254 a u16 follows;
 *                 255 PROCD_CHUNK_MAX + 1
 *            mode bits 0-1 offset: 0 where the transfer stands, 1 plus an
 *                   i8 extra, 2 a u64 extra, 3 back by len (an overlap)
 *                 bits 2-3 bytes: 0 the image's, 1 the image's with one
 *                   byte changed (u16 position, u8 xor), 2 taken from the
 *                   input, 3 the image's, with an i8 extra added to the
 *                   length field
 * TF_COMMIT  route, which (as CHUNK), plan, then the extras
 *            plan (bits 0-2): 0, 6, 7 the image's own segments; 1 one field
 *                 of one segment changed (u8: segment in bits 0-2, field
 *                 in bits 3-5; u8 xor); 2 nsegments from a u8; 3 a
 *                 reserved field set (u8 segment); 4 a segment past
 *                 nsegments set (u8 segment); 5 the plan of another
 *                 transfer (u8 which)
 * TF_LOADER_DIES     how: bit 7 set, killed by signal how & 31; clear,
 *                    exited with status how & 127
 * TF_TIME_PASSES     t: below 128, t * 64 ms; else PROCD_TRANSFER_IDLE_MS
 *                    plus ((t & 127) - 64) * 16 ms
 * TF_CHILD_ENDS      which, how (as LOADER_DIES): a child (not loaderd) ends
 * TF_STOP_CHILD      which: rootd stops a child (not loaderd)
 * TF_RESTAGE_LOADER  keep: rootd stages a new loaderd; with bit 0 of keep
 *                    set the old one keeps running (one earlier loaderd
 *                    at most: an older one is stopped), else it is stopped
 * TF_LOADER_HANGS_UP loaderd's alias is closed by its peer
 * TF_RAW     route, op (u8: BEGIN, CHUNK, COMMIT, LAUNCH_LOADED_IMAGE or an
 *            unknown op, modulo 5), u16 body length (modulo 1024), body
 * TF_LOADER_ASKS     what, which: loaderd asks for authority it has not:
 *                    what % 8 is STOP, ABORT, START, QUERY, SET_RESTART,
 *                    GET_RESTART or WAIT for a child (which: as
 *                    TF_STOP_CHILD), or CREATE of tf_roles[which % TF_NROLES]
 *
 * The image recipe, four bytes r0-r3, always makes an image in memory:
 *   r0  PT_LOADs: 2 + r0 % 7; PT_GNU_STACK headers after them: (r0 >> 3) & 3;
 *       junk between the ELF header and the header table: ((r0 >> 5) & 7) * 8
 *   r1  junk before segment i: (r1 & 15) * 8 bytes if bit i % 4 of r1 >> 4
 *   r2  text: bit 7 set, ((r2 & 127) + 1) * 2 KiB; else 16 + (r2 & 127) bytes
 *   r3  junk after the last segment: (r3 & 63) * 4 bytes;
 *       r3 >> 6: 0 plain, 1 the text segment covers the headers (offset 0),
 *       2 the first middle segment is bss only, 3 broken, by the rule r2 & 3
 *       (0 writable+executable data, 1 segment file bytes in descending
 *       order, 2 the entry past the text, 3 less zero fill than the stack
 *       reserve)
 * The text, data and read-only segments hold non-zero bytes, and so does
 * every byte of junk, so a byte procd should have zeroed shows.
 */
#ifndef PROCD_TESTS_TRANSFER_INPUT_H
#define PROCD_TESTS_TRANSFER_INPUT_H

enum tf_op {
	TF_BEGIN,
	TF_CHUNK,
	TF_COMMIT,
	TF_LOADER_DIES,
	TF_TIME_PASSES,
	TF_CHILD_ENDS,
	TF_STOP_CHILD,
	TF_RESTAGE_LOADER,
	TF_LOADER_HANGS_UP,
	TF_RAW,
	TF_LOADER_ASKS,
	TF_OPS
};

#define TF_MAX_OPS 256

/* Route bits. */
#define TF_FROM_OTHER_LOADER 5u
#define TF_FROM_ROOTD   6u
#define TF_FROM_DRIVER  7u
#define TF_WITH_CAP     0x08u
#define TF_TRUNCATED    0x10u
#define TF_DAMAGED      0x20u
#define TF_FAULT        0x40u
#define TF_CAP_IMAGE    0x80u

/* Roles by index (the role byte of TF_BEGIN). */
#define TF_ROLE_PHASE0_EXIT       0u
#define TF_ROLE_PHASE0_FAULT_KILL 1u
#define TF_ROLE_PHASE0_ISOLATION  2u
#define TF_ROLE_TIMED             3u
#define TF_ROLE_DRV_SERIAL        4u
#define TF_ROLE_LOADERD           5u
#define TF_ROLE_UNKNOWN           6u
#define TF_ROLE_TIME_CLIENT       7u
#define TF_NROLES                 8u

/* TF_RAW op selector. */
#define TF_RAW_BEGIN   0u
#define TF_RAW_CHUNK   1u
#define TF_RAW_COMMIT  2u
#define TF_RAW_LAUNCH  3u
#define TF_RAW_UNKNOWN 4u

/* Recipe shapes (r3 >> 6) and broken rules (r2 & 3). */
#define TF_SHAPE_PLAIN   0u
#define TF_SHAPE_COVERS  1u
#define TF_SHAPE_BSS     2u
#define TF_SHAPE_BROKEN  3u
#define TF_BROKEN_WX      0u
#define TF_BROKEN_ORDER   1u
#define TF_BROKEN_ENTRY   2u
#define TF_BROKEN_RESERVE 3u

#endif
