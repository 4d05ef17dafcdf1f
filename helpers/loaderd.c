/* SPDX-License-Identifier: ISC */
/*
 * loaderd (stand-in): the loader service reduced to what procd's transfer
 * contract needs. rootd (procd-boot, or a test) sends HELPER_OP_LOAD with
 * a file attached (hosted, a descriptor stands in for a file reached
 * through e2fsd); loaderd reads the image's ELF header for its segment
 * plan, then hands procd the bytes in order and the plan, over the
 * bootstrap alias procd minted for it at SLOT_PROCD_ENDPOINT. procd
 * validates both and owns everything after; loaderd gets back a process
 * id and nothing else.
 */
#include "helpers/helper.h"

#define NAME "loaderd"
#define HEADER_MAX (64 + 16 * 56)

/* Little-endian fields at byte offsets: loaderd trusts nothing here either;
 * procd's validator has the last word on every one. */
static uint64_t le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

struct plan {
	uint64_t size, entry;
	uint32_t n;
	struct procd_msg_segment seg[PROCD_LOADER_SEGMENTS_MAX];
};

/* [offset, offset + n) lies within a file of `size` bytes. */
static int within(uint64_t offset, uint64_t n, uint64_t size)
{
	return offset <= size && n <= size - offset;
}

static int read_plan(int file, struct plan *pl)
{
	static unsigned char hdr[HEADER_MAX];
	long size = rt_file_size(file);
	uint64_t phoff, phnum, phentsize, end;

	/* Nothing of an earlier file's plan may reach this one's COMMIT. */
	memset(pl, 0, sizeof *pl);
	if (size < 64 || rt_pread(file, hdr, sizeof hdr < (size_t)size ? sizeof hdr : (size_t)size, 0) < 64)
		return -1;
	pl->entry = le(hdr + 24, 8);
	phoff = le(hdr + 32, 8);
	phentsize = le(hdr + 54, 2);
	phnum = le(hdr + 56, 2);
	/* The program headers in what was read, and in the file itself (not
	 * bytes left in hdr by an earlier, longer file). */
	if (phentsize != 56 || phnum > 16 || !within(phoff, phnum * 56, sizeof hdr) ||
	    !within(phoff, phnum * 56, (uint64_t)size))
		return -1;
	end = phoff + phnum * 56;
	pl->n = 0;
	for (uint64_t i = 0; i < phnum; i++) {
		const unsigned char *ph = hdr + phoff + i * 56;
		struct procd_msg_segment *s = &pl->seg[pl->n];

		if (le(ph, 4) != 1) /* PT_LOAD */
			continue;
		if (pl->n == PROCD_LOADER_SEGMENTS_MAX)
			return -1;
		s->flags = (uint32_t)le(ph + 4, 4);
		s->offset = le(ph + 8, 8);
		s->vaddr = le(ph + 16, 8);
		s->filesz = le(ph + 32, 8);
		s->memsz = le(ph + 40, 8);
		s->reserved = 0;
		if (!within(s->offset, s->filesz, (uint64_t)size))
			return -1; /* the file is cut short: nothing to send */
		if (s->offset + s->filesz > end)
			end = s->offset + s->filesz;
		pl->n++;
	}
	/* Only what procd keeps: the headers and each loaded segment's file
	 * bytes. Section headers, symbols and debug data after them stay
	 * behind (procd would zero them), often most of a file's size. */
	pl->size = end;
	return pl->n ? 0 : -1;
}

/* One exchange with procd; returns procd's status or PROCD_E_IO. */
static uint32_t call(const void *req, void *reply, size_t reply_len)
{
	const struct procd_msg_header *h = reply;

	if (helper_call(NAME, SLOT_PROCD_ENDPOINT, req, reply, reply_len) != HELPER_EXIT_OK)
		return PROCD_E_IO;
	return h->status;
}

/* Chunks go out without waiting for each answer, up to this many ahead:
 * a reply per chunk would cost a wake-up each way per chunk. The window
 * keeps procd's answers well within loaderd's receive buffer (procd never
 * blocks to deliver one). */
#define CHUNK_WINDOW 8

/* Sends one chunk record: a header and its bytes, in one or two pieces. */
static int send_chunk(const void *head, size_t hlen, const void *data, size_t dlen)
{
	long n = data ? rt_send2(SLOT_PROCD_ENDPOINT, head, hlen, data, dlen)
		      : rt_send(SLOT_PROCD_ENDPOINT, head, hlen + dlen);

	return n == (long)(hlen + dlen) ? 0 : -1;
}

/* procd's answer to the oldest chunk not yet answered. */
static uint32_t chunk_answer(void)
{
	struct { struct procd_msg_header h; struct procd_msg_transfer t; } ack;
	int flags;
	long n = rt_recv(SLOT_PROCD_ENDPOINT, &ack, sizeof ack, &flags);

	if (n < (long)sizeof ack.h || flags || ack.h.op != PROCD_OP_SEND_LOADER_IMAGE_CHUNK)
		return PROCD_E_IO;
	return ack.h.status;
}

/* Every chunk of the image, in order, then every answer to them; returns
 * the first refusal, or PROCD_OK. view: the file's bytes, or NULL to read
 * them piece by piece. */
static uint32_t send_chunks(int file, const unsigned char *view, uint64_t size, uint32_t transfer_id,
			    uint32_t chunk_max, uint32_t chunk_size)
{
	static struct {
		struct procd_msg_header h;
		struct procd_msg_transfer_chunk c;
		unsigned char bytes[PROCD_CHUNK_MAX];
	} chunk;
	uint32_t outstanding = 0, first_failure = PROCD_OK, status;

	for (uint64_t off = 0; off < size;) {
		uint64_t want = size - off;
		uint32_t n = want > chunk_max ? chunk_max : (uint32_t)want;

		if (n > PROCD_CHUNK_MAX)
			n = PROCD_CHUNK_MAX;
		if (chunk_size && n > chunk_size)
			n = chunk_size;
		chunk.h = (struct procd_msg_header){ PROCD_OP_SEND_LOADER_IMAGE_CHUNK,
						     (uint32_t)(sizeof chunk.h + sizeof chunk.c + n), 2, 0 };
		chunk.c = (struct procd_msg_transfer_chunk){ transfer_id, n, off };
		if (outstanding == CHUNK_WINDOW) {
			status = chunk_answer();
			outstanding--;
			if (status != PROCD_OK && first_failure == PROCD_OK)
				first_failure = status;
		}
		if (first_failure != PROCD_OK)
			break;
		/* A failure here still waits for the answers owed, below, so
		 * that none is taken for the next load's. */
		if ((!view && rt_pread(file, chunk.bytes, n, off) != (long)n) ||
		    send_chunk(&chunk, sizeof chunk.h + sizeof chunk.c, view ? view + off : 0, n) != 0) {
			first_failure = PROCD_E_IO;
			break;
		}
		outstanding++;
		off += n;
	}
	/* Every chunk answered before the commit, which must follow them. */
	while (outstanding > 0) {
		status = chunk_answer();
		outstanding--;
		if (status != PROCD_OK && first_failure == PROCD_OK)
			first_failure = status;
	}
	return first_failure;
}

static uint32_t transfer(int file, uint32_t role, uint32_t chunk_size, uint32_t *pid)
{
	static struct plan pl;
	const unsigned char *view;
	struct { struct procd_msg_header h; struct procd_msg_transfer_begin b; } begin;
	struct { struct procd_msg_header h; struct procd_msg_transfer t; } begun;
	struct { struct procd_msg_header h; struct procd_msg_transfer_commit c; } commit;
	struct { struct procd_msg_header h; struct procd_msg_pid p; } started;
	uint32_t status;

	if (read_plan(file, &pl) != 0)
		return PROCD_E_INVALID;
	begin.h = (struct procd_msg_header){ PROCD_OP_BEGIN_LOADER_IMAGE_TRANSFER, sizeof begin, 1, 0 };
	begin.b = (struct procd_msg_transfer_begin){ role, pl.n, pl.size, pl.entry };
	status = call(&begin, &begun, sizeof begun);
	if (status != PROCD_OK)
		return status;
	/* Sent straight from a view of the file where there is one, saving a
	 * copy; read piece by piece otherwise. */
	view = rt_map(file, (size_t)pl.size);
	status = send_chunks(file, view, pl.size, begun.t.transfer, begun.t.chunk_max, chunk_size);
	if (status == PROCD_OK) {
		memset(&commit, 0, sizeof commit);
		commit.h = (struct procd_msg_header){ PROCD_OP_COMMIT_LOADER_IMAGE_TRANSFER, sizeof commit, 3, 0 };
		commit.c.transfer = begun.t.transfer;
		commit.c.nsegments = pl.n;
		memcpy(commit.c.seg, pl.seg, sizeof pl.seg);
		status = call(&commit, &started, sizeof started);
		if (status == PROCD_OK)
			*pid = started.p.pid;
	}
	/* The view goes with the transfer (after the commit, so the child's
	 * start need not wait for it): loaderd keeps nothing of an image. */
	if (view)
		rt_unmap(view, (size_t)pl.size);
	return status;
}

int helper_main(void)
{
	for (;;) {
		struct helper_load_msg m;
		struct helper_load_reply r;
		int flags, file;
		long n = rt_recv_cap(SLOT_SELF_ENDPOINT, &m, sizeof m, &flags, &file);

		if (n == 0)
			return HELPER_EXIT_OK; /* rootd hung up: nothing more to load */
		if (n < 0)
			return HELPER_EXIT_FAILED;
		memset(&r, 0, sizeof r);
		r.h = (struct procd_msg_header){ HELPER_OP_LOAD, sizeof r, m.h.tag, PROCD_E_INVALID };
		if (n == sizeof m && m.h.op == HELPER_OP_LOAD && m.h.length == sizeof m && file >= 0 &&
		    !(flags & RT_MSG_TRUNC))
			r.h.status = transfer(file, m.role, m.chunk, &r.pid);
		if (file >= 0)
			rt_close(file);
		rt_say(NAME ": load of role 0x%x: status %u, pid %u\n", m.role, r.h.status, r.pid);
		if (rt_send(SLOT_SELF_ENDPOINT, &r, sizeof r) != (long)sizeof r)
			return HELPER_EXIT_FAILED;
	}
}
