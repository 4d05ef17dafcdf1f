/* SPDX-License-Identifier: ISC */
/*
 * The loader transfer state machine's fuzz entry (BEGIN, CHUNK and
 * COMMIT), shared by the libFuzzer target (built with --enable-fuzzing,
 * libFuzzer supplies main) and the plain replay driver (tests/fuzz/replay.c,
 * built and run by every make check), so both run exactly this code.
 *
 * The real core (core/, roles/, the linked policies) runs on the in-memory
 * port of tests/fuzz/fake_port.c. procd starts through its real startup
 * (procd_init with an envelope the fake port backs: bootstrap and driver
 * endpoints, local control, boot modules "loaderd" and "phase0-exit"), and
 * rootd stages and starts loaderd with a minted alias of procd's bootstrap
 * endpoint (badged ROLE_LOADERD); that happens once, and every input begins
 * from exactly that state (start_or_restore). Each input then plays its
 * operations (tests/fuzz/transfer-input.h): BEGIN, CHUNK and COMMIT from
 * loaderd (or from rootd, with a capability attached, truncated, damaged,
 * or with a platform failure armed), carrying images built in memory in
 * the helpers' layout (often valid, often with junk procd must zero,
 * sometimes broken), or raw bytes; loaderd dying, hanging up or being
 * replaced; children ending or being stopped; time passing. Then procd
 * shuts down.
 *
 * Not only "does not crash": the harness keeps its own account of every
 * transfer id it was given (live or dead) and checks procd against it and
 * against the fake port's record of what exists. Any breach aborts, which
 * libFuzzer reports as a finding and the replay driver as a failed test:
 *  - every request gets exactly one reply, on the endpoint it came in on:
 *    a well-formed header echoing the request's op and tag, a status of
 *    core/abi/procd_status.h, a body only on success and of the op's size,
 *    no capability beside a transfer reply;
 *  - a request not from loaderd's alias, or carrying a capability, or
 *    truncated or malformed, or LAUNCH_LOADED_IMAGE, is refused and
 *    changes nothing (the transfer table, the process table and the port's
 *    objects are as before); an attached capability is dropped;
 *  - an id procd never issued is never accepted; an id that is dead
 *    (superseded by a newer BEGIN for its role, committed, reclaimed idle,
 *    abandoned with its sender, or ended by a failed copy) is refused as
 *    PROCD_E_STALE, whatever the request;
 *  - a correct chunk of a live transfer is accepted (unless the platform
 *    failed), reports the bytes received so far, and lands where it says;
 *    a chunk out of order, overlapping, past the size or with a lying
 *    length is refused as PROCD_E_INVALID and changes nothing;
 *  - a complete transfer of a valid image with its own plan commits (unless
 *    the platform failed or a table is full); a COMMIT that succeeds started
 *    exactly one process, of the role begun, managed by procd (never by
 *    loaderd), from a sealed image whose bytes are exactly the validated
 *    header and segments with every other byte zero and nothing after the
 *    last, holding only slots its policy allows, within its window, and the
 *    plan it was committed with keeps every promise of core/elf_check.h
 *    (checked by tests/fuzz/elf-image.c, not by core); a COMMIT that fails
 *    leaves no process record and no object it made behind;
 *  - after every operation: transfers open <= PROCD_MAX_TRANSFERS, and
 *    exactly the harness's live ones; each holds one unsealed image and no
 *    other unsealed image exists (the fake port also checks this at each
 *    image it creates); each materialized child holds one sealed image and
 *    no other exists; nothing is mapped; every process that has not been
 *    collected is a running child procd watches; the tick leaves nothing
 *    due undone;
 *  - after shutdown: no capability procd held is left, every process is
 *    collected, no transfer and no record remains.
 * The fake port aborts on any misuse of the port itself (fake_port.h).
 *
 * PROCD_FUZZ_TRACE=1 in the environment prints each operation, reply and
 * log line to stderr, to read a reproducer.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi/procd_envelope.h"
#include "core/abi/procd_ops.h"
#include "core/abi/procd_roles.h"
#include "core/abi/procd_slots.h"
#include "core/abi/procd_status.h"
#include "core/daemon.h"
#include "core/elf64.h"
#include "core/registry.h"
#include "roles/loader/transfer.h"
#include "tests/fuzz/elf-image.h"
#include "tests/fuzz/fake_port.h"
#include "tests/fuzz/transfer-input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PAGE           4096u
#define IMAGE_BASE     0x400000u
#define HDR            ((size_t)sizeof(struct procd_msg_header))
#define BOOTSTRAP_SLOT 100
#define MAX_SEEN       (TF_MAX_OPS + 8)

static const uint32_t tf_roles[TF_NROLES] = {
	[TF_ROLE_PHASE0_EXIT] = ROLE_PHASE0_EXIT,
	[TF_ROLE_PHASE0_FAULT_KILL] = ROLE_PHASE0_FAULT_KILL,
	[TF_ROLE_PHASE0_ISOLATION] = ROLE_PHASE0_ISOLATION_A,
	[TF_ROLE_TIMED] = ROLE_TIMED,
	[TF_ROLE_DRV_SERIAL] = ROLE_DRV_SERIAL,
	[TF_ROLE_LOADERD] = ROLE_LOADERD,
	[TF_ROLE_UNKNOWN] = 0x0777u,
	[TF_ROLE_TIME_CLIENT] = ROLE_PHASE1_TIME_CLIENT,
};

/* An image the harness built, and the plan COMMIT should carry for it. */
struct tf_image {
	unsigned char *bytes; /* NULL: none (a raw BEGIN) */
	size_t len;
	uint64_t entry;
	uint32_t nsegments;
	struct procd_msg_segment seg[PROCD_LOADER_SEGMENTS_MAX];
	int broken; /* built to break one validation rule */
};

enum { TF_LIVE = 1, TF_DEAD };

/* The harness's account of one transfer id procd issued. */
struct tf_transfer {
	uint32_t id;
	int state;
	uint32_t ep;
	uint32_t role;
	uint64_t size, received, entry, last_ms;
	uint32_t nsegments;
	unsigned char *shadow; /* the bytes procd accepted, [0, received) */
	struct tf_image image;
};

struct tf_reply {
	uint32_t status;
	size_t body_len;
	unsigned char body[PROCD_MSG_MAX];
	size_t ncaps;
	uint32_t cap_objs[FAKE_SEND_CAPS];
};

struct route {
	uint32_t ep;
	int usable;
	enum fake_kind gift;
	int truncated;
	int len_delta;
	int bad_status;
	int fault;
	enum fake_call fault_call;
	unsigned fault_nth;
};

static struct procd d;

static struct {
	const uint8_t *p;
	size_t n;
	int trace;
	uint32_t tag;
	int have_loader;   /* loaderd's record exists and its alias is open */
	uint32_t loader_pid;
	uint32_t loader_ep;
	uint32_t other_pid; /* an earlier loaderd rootd kept running, or 0 */
	uint32_t other_ep;
	struct tf_transfer t[MAX_SEEN];
	uint32_t nt;
	struct tf_image pending; /* built by the BEGIN being sent */
	int faulted;       /* the last delivery saw an armed failure fire */
} h;

static uint64_t msgbuf[(PROCD_MSG_LARGE_MAX + 64) / 8];

static void must(int ok, const char *what, long detail)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz-transfer: %s (%ld)\n", what, detail);
	abort();
}

static void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void trace(const char *fmt, ...)
{
	va_list ap;

	if (!h.trace)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* ---- input ---- */

static uint8_t take8(void)
{
	if (h.n == 0)
		return 0;
	h.n--;
	return *h.p++;
}

static uint16_t take16(void)
{
	uint16_t lo = take8();

	return (uint16_t)(lo | (uint16_t)take8() << 8);
}

static uint32_t take32(void)
{
	uint32_t lo = take16();

	return lo | (uint32_t)take16() << 16;
}

static uint64_t take64(void)
{
	uint64_t lo = take32();

	return lo | (uint64_t)take32() << 32;
}

/* ---- images ---- */

static uint64_t page_up(uint64_t a)
{
	return (a + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

static void image_free(struct tf_image *im)
{
	free(im->bytes);
	memset(im, 0, sizeof *im);
}

/* Non-zero bytes that differ from their neighbours (period 256), so a
 * byte out of place shows; loops only over the first 256. */
static void fill(unsigned char *b, size_t n, unsigned seed)
{
	size_t done = n < 256 ? n : 256;

	for (size_t i = 0; i < done; i++)
		b[i] = (unsigned char)(1u + (i * 37u + seed) % 255u);
	while (done < n) {
		size_t k = n - done < done ? n - done : done;

		memcpy(b + done, b, k);
		done += k;
	}
}

/* The recipe's image (tests/fuzz/transfer-input.h); the helpers' layout,
 * with junk where procd must not keep anything. */
static void build_image(struct tf_image *im, const uint8_t r[4])
{
	unsigned nloads = 2u + r[0] % 7u, nextra = (r[0] >> 3) & 3u, phnum = nloads + nextra;
	uint64_t phoff = 64u + ((r[0] >> 5) & 7u) * 8u, table_end = phoff + (uint64_t)phnum * 56u;
	uint64_t gap = (r[1] & 15u) * 8u;
	uint64_t text = (r[2] & 0x80u) ? ((uint64_t)(r[2] & 0x7fu) + 1) * 2048u : 16u + (r[2] & 0x7fu);
	uint64_t trail = (uint64_t)(r[3] & 63u) * 4u, off = table_end, end = 0, base = IMAGE_BASE;
	unsigned shape = r[3] >> 6, rule = r[2] & 3u;
	struct procd_elf64_ehdr eh;
	struct procd_msg_segment *s = im->seg;

	memset(im, 0, sizeof *im);
	if (shape == TF_SHAPE_BROKEN && rule == TF_BROKEN_ORDER && nloads < 4)
		rule = TF_BROKEN_WX;
	/* File layout: text, read-only data (or bss), writable data. */
	for (unsigned i = 0; i < nloads; i++) {
		if ((r[1] >> 4) & (1u << (i % 4)))
			off += gap;
		s[i].offset = off;
		if (i == 0) {
			s[i].flags = PROCD_PF_R | PROCD_PF_X;
			s[i].filesz = text;
			if (shape == TF_SHAPE_COVERS) {
				s[i].offset = 0;
				s[i].filesz = off + text;
			}
		} else if (i + 1 < nloads) {
			s[i].flags = PROCD_PF_R;
			s[i].filesz = shape == TF_SHAPE_BSS && i == 1 ? 0 : 16;
		} else {
			s[i].flags = PROCD_PF_R | PROCD_PF_W;
			s[i].filesz = 16;
		}
		s[i].memsz = s[i].filesz ? s[i].filesz : 32;
		off = s[i].offset + s[i].filesz;
		if (off > end)
			end = off;
	}
	if (shape == TF_SHAPE_BROKEN && rule == TF_BROKEN_ORDER) {
		uint64_t o = s[1].offset;

		s[1].offset = s[2].offset;
		s[2].offset = o;
		s[1].filesz = s[2].filesz = s[1].memsz = s[2].memsz = 16;
	}
	/* Addresses: each segment on pages of its own, congruent to its offset. */
	for (unsigned i = 0; i < nloads; i++) {
		s[i].vaddr = base + s[i].offset % PAGE;
		if (i + 1 == nloads) {
			uint64_t reserve = TEST_ELF_RESERVE;

			if (shape == TF_SHAPE_BROKEN && rule == TF_BROKEN_RESERVE)
				reserve -= 16;
			s[i].memsz = s[i].filesz + reserve;
			s[i].memsz += (16 - (s[i].vaddr + s[i].memsz) % 16) % 16;
			if (shape == TF_SHAPE_BROKEN && rule == TF_BROKEN_WX)
				s[i].flags |= PROCD_PF_X;
		}
		base = page_up(s[i].vaddr + s[i].memsz) + PAGE;
	}
	im->len = (size_t)(end + trail);
	im->bytes = malloc(im->len);
	if (!im->bytes)
		abort();
	fill(im->bytes, im->len, 0x80u | r[1]);
	for (unsigned i = 0; i < nloads; i++) {
		uint64_t from = i == 0 && shape == TF_SHAPE_COVERS ? table_end : s[i].offset;

		if (from < s[i].offset + s[i].filesz)
			fill(im->bytes + from, (size_t)(s[i].offset + s[i].filesz - from), i == 0 ? 0x0cu : 0x40u + i);
	}
	memset(&eh, 0, sizeof eh);
	memcpy(eh.e_ident, PROCD_ELFMAG, PROCD_SELFMAG);
	eh.e_ident[PROCD_EI_CLASS] = PROCD_ELFCLASS64;
	eh.e_ident[PROCD_EI_DATA] = PROCD_ELFDATA2LSB;
	eh.e_ident[PROCD_EI_VERSION] = PROCD_EV_CURRENT;
	eh.e_type = PROCD_ET_EXEC;
	eh.e_machine = PROCD_EM_X86_64;
	eh.e_version = PROCD_EV_CURRENT;
	eh.e_entry = s[0].vaddr + (shape == TF_SHAPE_COVERS ? s[0].filesz - text : 0);
	if (shape == TF_SHAPE_BROKEN && rule == TF_BROKEN_ENTRY)
		eh.e_entry = s[0].vaddr + s[0].filesz;
	eh.e_phoff = phoff;
	eh.e_ehsize = PROCD_ELF64_EHDR_SIZE;
	eh.e_phentsize = PROCD_ELF64_PHDR_SIZE;
	eh.e_phnum = (uint16_t)phnum;
	eh.e_shentsize = 64;
	memcpy(im->bytes, &eh, sizeof eh);
	for (unsigned i = 0; i < phnum; i++) {
		struct procd_elf64_phdr ph;

		memset(&ph, 0, sizeof ph);
		if (i < nloads) {
			ph.p_type = PROCD_PT_LOAD;
			ph.p_flags = s[i].flags;
			ph.p_offset = s[i].offset;
			ph.p_vaddr = ph.p_paddr = s[i].vaddr;
			ph.p_filesz = s[i].filesz;
			ph.p_memsz = s[i].memsz;
			ph.p_align = PAGE;
		} else {
			ph.p_type = PROCD_PT_GNU_STACK;
			ph.p_flags = PROCD_PF_R | PROCD_PF_W;
			ph.p_align = 16;
		}
		memcpy(im->bytes + phoff + (uint64_t)i * sizeof ph, &ph, sizeof ph);
	}
	im->entry = eh.e_entry;
	im->nsegments = nloads;
	im->broken = shape == TF_SHAPE_BROKEN;
}

/*
 * What the image procd starts must hold, from the bytes it accepted: the
 * ELF header, the program header table and each PT_LOAD's file bytes, as
 * sent; every other byte zero; nothing past the last of them. Read from
 * the accepted bytes independently of core (validation accepted them, so
 * the header and table lie inside). Returns the size.
 */
static uint64_t expected_image(const unsigned char *src, uint64_t size, unsigned char *out)
{
	struct procd_elf64_ehdr eh;
	uint64_t table, end;

	memcpy(&eh, src, sizeof eh);
	table = eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(struct procd_elf64_phdr);
	end = table;
	memset(out, 0, (size_t)size);
	memcpy(out, src, sizeof eh);
	memcpy(out + eh.e_phoff, src + eh.e_phoff, (size_t)(table - eh.e_phoff));
	/* (tests/fuzz/corpus/transfer/regress-phdr-gap: bytes between the
	 * ELF header and a program header table placed after it were once
	 * kept; they must be zero like every byte nothing validated.) */
	for (uint32_t i = 0; i < eh.e_phnum; i++) {
		struct procd_elf64_phdr ph;

		memcpy(&ph, src + eh.e_phoff + (uint64_t)i * sizeof ph, sizeof ph);
		if (ph.p_type != PROCD_PT_LOAD || ph.p_filesz == 0)
			continue;
		must(ph.p_offset <= size && ph.p_filesz <= size - ph.p_offset,
		     "an accepted image has a segment outside its bytes", (long)i);
		memcpy(out + ph.p_offset, src + ph.p_offset, (size_t)ph.p_filesz);
		if (ph.p_offset + ph.p_filesz > end)
			end = ph.p_offset + ph.p_filesz;
	}
	return end;
}

/* ---- the account of transfers ---- */

static struct tf_transfer *account(uint32_t id)
{
	for (uint32_t i = 0; i < h.nt; i++)
		if (h.t[i].id == id)
			return &h.t[i];
	return NULL;
}

static void kill_account(struct tf_transfer *t, const char *why)
{
	if (t->state != TF_LIVE)
		return;
	trace("    transfer %u dead: %s\n", t->id, why);
	t->state = TF_DEAD;
	free(t->shadow);
	t->shadow = NULL;
	image_free(&t->image);
}

/* Where the spec leaves a refusal's effect open (a COMMIT that fails, a
 * platform failure), procd's own table says whether the id lives on. */
static void settle_account(struct tf_transfer *t)
{
	if (t->state != TF_LIVE)
		return;
	for (uint32_t i = 0; i < PROCD_MAX_TRANSFERS; i++)
		if (procd_loader.transfers[i].id == t->id) {
			must(procd_loader.transfers[i].received == t->received, "a transfer's byte count moved on a refusal",
			     (long)t->id);
			return;
		}
	kill_account(t, "ended by a failure");
}

static void kill_accounts_of_ep(uint32_t ep, const char *why)
{
	for (uint32_t i = 0; i < h.nt; i++)
		if (h.t[i].ep == ep)
			kill_account(&h.t[i], why);
}

static uint32_t live_accounts(void)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < h.nt; i++)
		n += h.t[i].state == TF_LIVE;
	return n;
}

static void forget_all(void)
{
	for (uint32_t i = 0; i < h.nt; i++)
		kill_account(&h.t[i], "the run is over");
	h.nt = 0;
	image_free(&h.pending);
}

/* The (which % n)-th newest id, or a raw one. */
static uint32_t pick_id(void)
{
	uint8_t which = take8();

	if (which & 0x80)
		return take32();
	if (h.nt == 0)
		return (uint32_t)which + 1;
	return h.t[h.nt - 1 - which % h.nt].id;
}

/* ---- requests and replies ---- */

static int is_loader_ep(uint32_t ep)
{
	const struct procd_endpoint *e = procd_endpoint_open(&d.endpoints, ep);

	return e && e->role == ROLE_LOADERD && e->kind == PROCD_EP_BOOTSTRAP;
}

static void check_reply(const struct fake_send *s, const unsigned char *msg, size_t len, struct tf_reply *out)
{
	struct procd_msg_header rh, q = { 0 };

	if (len >= HDR)
		memcpy(&q, msg, HDR);
	must(s->len >= HDR, "a reply shorter than a header", (long)s->len);
	memcpy(&rh, s->msg, HDR);
	must(rh.length == s->len, "a reply whose length field is not its length", (long)rh.length);
	must(rh.status <= PROCD_E_QUOTA, "a reply status outside core/abi/procd_status.h", (long)rh.status);
	must(rh.op == q.op, "a reply that does not echo the request's op", (long)rh.op);
	must(rh.tag == q.tag, "a reply that does not echo the request's tag", (long)rh.tag);
	must(rh.status == PROCD_OK || (s->len == HDR && s->ncaps == 0), "a refusal with a body or capabilities",
	     (long)rh.status);
	out->status = rh.status;
	out->body_len = s->len - HDR;
	memcpy(out->body, s->msg + HDR, out->body_len);
	out->ncaps = s->ncaps;
	for (size_t i = 0; i < s->ncaps; i++)
		out->cap_objs[i] = fake_obj_of(s->caps[i]);
}

/*
 * Hands one message to procd on endpoint `ep`, as the port would, and
 * returns its one reply (checked). A capability rides along if the route
 * says so; a platform failure is armed for the call if it says so.
 */
static void deliver(const struct route *r, const unsigned char *msg, size_t len, struct tf_reply *out)
{
	procd_cap gift = r->gift != FAKE_NONE ? fake_gift(r->gift) : PROCD_NO_CAP;
	uint32_t gift_obj = fake_obj_of(gift), ep_obj = fake_obj_of(procd_endpoint_at(&d.endpoints, r->ep)->cap);
	unsigned fired = fake_fired();
	const struct fake_send *reply = NULL;

	fake_sends_clear();
	if (r->fault)
		fake_arm(r->fault_call, r->fault_nth);
	procd_on_endpoint_message(&d, r->ep, msg, len, gift != PROCD_NO_CAP ? &gift : NULL,
				  gift != PROCD_NO_CAP ? 1 : 0, r->truncated);
	fake_disarm();
	h.faulted = fake_fired() != fired;
	must(gift_obj == FAKE_NO_OBJ || fake_obj(gift_obj)->holds == 0,
	     "a capability attached to a request was kept", (long)gift);
	for (size_t i = 0; i < fake_nsends(); i++) {
		const struct fake_send *s = fake_send_at(i);

		if (s->ep_obj != ep_obj)
			continue;
		must(reply == NULL, "two replies to one request", (long)r->ep);
		reply = s;
	}
	must(reply != NULL, "a request without a reply", (long)r->ep);
	check_reply(reply, msg, len, out);
	trace("    reply %u, %zu body bytes%s\n", out->status, out->body_len, h.faulted ? " (platform failure)" : "");
}

static size_t put_header(uint32_t op, size_t body)
{
	struct procd_msg_header q = { .op = op, .length = (uint32_t)(HDR + body), .tag = ++h.tag };

	memcpy(msgbuf, &q, HDR);
	return HDR + body;
}

/* A request from rootd on procd's bootstrap endpoint, nothing attached. */
static uint32_t rootd_request(uint32_t op, const void *body, size_t blen, struct tf_reply *out)
{
	struct route r = { .ep = 0, .usable = 1 };
	size_t len = put_header(op, blen);

	memcpy((unsigned char *)msgbuf + HDR, body, blen);
	deliver(&r, (const unsigned char *)msgbuf, len, out);
	return out->status;
}

/* ---- loaderd ---- */

static struct procd_proc *proc_of(uint32_t pid)
{
	return procd_proc_find(&d.table, pid);
}

/* rootd stages loaderd, installs its procd alias and starts it; the
 * harness then finds the endpoint procd serves that alias on, the way a
 * request from loaderd reaches it. Returns 0, or -1 if procd refused. */
static int stage_loader(void)
{
	struct procd_msg_create create = { .role = ROLE_LOADERD };
	struct procd_msg_created created;
	struct procd_msg_install install = { .slot = SLOT_PROCD_ENDPOINT };
	struct procd_msg_start start = { 0 };
	struct procd_msg_header gh = { .op = PROCD_GRANT_INSTALL,
				       .length = (uint32_t)(HDR + sizeof install), .tag = 7 };
	unsigned char grant_msg[HDR + sizeof install];
	struct tf_reply rep;
	const struct fake_obj *grant, *child;
	struct procd_proc *p;
	uint32_t index = 0, ep = 0;
	int found = 0;

	h.have_loader = 0;
	if (rootd_request(PROCD_OP_CREATE_STAGED_PROCESS, &create, sizeof create, &rep) != PROCD_OK)
		return -1;
	must(rep.body_len == sizeof created && rep.ncaps == 2, "CREATE replied without pid, alias and grant",
	     (long)rep.body_len);
	memcpy(&created, rep.body, sizeof created);
	grant = fake_obj(rep.cap_objs[1]);
	must(grant && grant->kind == FAKE_ENDPOINT &&
		     fake_watch_of(grant->peer, PORT_WATCH_GRANT, &index) == 0,
	     "CREATE's grant is not an endpoint procd watches", (long)created.pid);
	memcpy(grant_msg, &gh, HDR);
	memcpy(grant_msg + HDR, &install, sizeof install);
	fake_sends_clear();
	procd_on_grant_message(&d, index, grant_msg, sizeof grant_msg, NULL, 0, 0);
	must(fake_nsends() == 1 && fake_send_at(0)->len == HDR, "an install without one header-only reply",
	     (long)fake_nsends());
	memcpy(&gh, fake_send_at(0)->msg, HDR);
	start.pid = created.pid;
	start.image_module = 0; /* "loaderd" */
	if (gh.status != PROCD_OK ||
	    rootd_request(PROCD_OP_START_STAGED_PROCESS, &start, sizeof start, &rep) != PROCD_OK) {
		struct procd_msg_pid stop = { .pid = created.pid };
		uint32_t status = rootd_request(PROCD_OP_STOP_PROCESS, &stop, sizeof stop, &rep);

		must(status == PROCD_OK, "rootd could not take back a loaderd it staged", (long)status);
		return -1;
	}
	p = proc_of(created.pid);
	must(p && p->handle != PROCD_NO_CAP, "loaderd started but has no running record", (long)created.pid);
	child = fake_obj(fake_obj_of(p->handle));
	for (uint32_t i = 0; child && i < child->ncaps; i++)
		if (child->slots[i] == SLOT_PROCD_ENDPOINT)
			found = fake_watch_of(fake_obj(child->cap_objs[i])->peer, PORT_WATCH_ENDPOINT, &ep) == 0;
	must(found && is_loader_ep(ep), "loaderd's procd alias is not an endpoint badged ROLE_LOADERD",
	     (long)created.pid);
	h.loader_pid = created.pid;
	h.loader_ep = ep;
	h.have_loader = 1;
	trace("    loaderd is pid %u on endpoint %u\n", h.loader_pid, h.loader_ep);
	return 0;
}

static void loader_check(void)
{
	if (h.have_loader && (!proc_of(h.loader_pid) || !is_loader_ep(h.loader_ep)))
		h.have_loader = 0;
	if (h.other_pid && (!proc_of(h.other_pid) || !is_loader_ep(h.other_ep)))
		h.other_pid = 0;
}

/* ---- the transfer ops ---- */

static void take_route(struct route *r)
{
	uint8_t b = take8();
	unsigned who = b & 7u;

	memset(r, 0, sizeof *r);
	r->gift = (b & TF_WITH_CAP) ? ((b & TF_CAP_IMAGE) ? FAKE_IMAGE : FAKE_ENDPOINT) : FAKE_NONE;
	r->truncated = (b & TF_TRUNCATED) != 0;
	if (b & TF_DAMAGED) {
		uint8_t x = take8();

		if (x)
			r->len_delta = (int8_t)x;
		else
			r->bad_status = 1;
	}
	if (b & TF_FAULT) {
		uint8_t f = take8();

		r->fault = 1;
		r->fault_call = (enum fake_call)((f & 15u) % FAKE_CALLS);
		r->fault_nth = (f >> 4) + 1u;
	}
	loader_check();
	if (who == TF_FROM_ROOTD || who == TF_FROM_DRIVER) {
		r->ep = who == TF_FROM_ROOTD ? 0 : 1;
		r->usable = procd_endpoint_open(&d.endpoints, r->ep) != 0;
	} else if (who == TF_FROM_OTHER_LOADER && h.other_pid) {
		r->ep = h.other_ep;
		r->usable = 1;
	} else {
		r->ep = h.loader_ep;
		r->usable = h.have_loader;
	}
}

static void damage(const struct route *r, unsigned char *msg, size_t len)
{
	struct procd_msg_header q;

	if (len < HDR)
		return;
	memcpy(&q, msg, HDR);
	q.length = (uint32_t)((int64_t)q.length + r->len_delta);
	if (r->bad_status)
		q.status = 1;
	memcpy(msg, &q, HDR);
}

/* State that a refused request must leave exactly as it was. */
struct snapshot {
	struct procd_transfer transfers[PROCD_MAX_TRANSFERS];
	uint16_t generation[PROCD_MAX_TRANSFERS];
	uint32_t used;
	uint32_t nobjs;
};

static void take_snapshot(struct snapshot *s)
{
	memcpy(s->transfers, procd_loader.transfers, sizeof s->transfers);
	memcpy(s->generation, procd_loader.generation, sizeof s->generation);
	s->used = d.table.used;
	s->nobjs = fake_nobjs();
}

/* Nothing changed: procd's transfers and records, and no port object made
 * since (a gift made for the request itself is gone again). */
static void unchanged(const struct snapshot *s, const char *what)
{
	must(memcmp(s->transfers, procd_loader.transfers, sizeof s->transfers) == 0 &&
		     memcmp(s->generation, procd_loader.generation, sizeof s->generation) == 0,
	     what, 1);
	must(s->used == d.table.used, what, 2);
	for (uint32_t i = s->nobjs; i < fake_nobjs(); i++)
		must(fake_obj(i)->gone, what, 3);
}

/* Every object made since the snapshot is gone again (a failed COMMIT). */
static void nothing_left_since(const struct snapshot *s, const char *what)
{
	must(s->used == d.table.used, what, 1);
	for (uint32_t i = s->nobjs; i < fake_nobjs(); i++)
		must(fake_obj(i)->gone, what, 2);
}

/* The sender's role holds its quota of transfers, or the bytes would pass
 * it (core/authority.c; loaderd's policy declares none: the defaults). */
static int over_transfer_quota(uint32_t ep, uint64_t size, const struct snapshot *snap)
{
	uint32_t role = procd_endpoint_at(&d.endpoints, ep)->role, n = 0;
	uint64_t bytes = 0;

	for (uint32_t i = 0; i < PROCD_MAX_TRANSFERS; i++)
		if (snap->transfers[i].id != 0 &&
		    procd_endpoint_at(&d.endpoints, snap->transfers[i].ep)->role == role) {
			n++;
			bytes += snap->transfers[i].size;
		}
	return n >= PROCD_QUOTA_TRANSFERS_DEFAULT || bytes + size > (uint64_t)PROCD_QUOTA_IMAGE_KIB_DEFAULT * 1024u;
}

static void model_begin(uint32_t ep, const unsigned char *msg, const struct tf_reply *rep,
			const struct snapshot *snap)
{
	struct procd_msg_transfer_begin m;
	struct procd_msg_transfer out;
	const struct procd_policy *pol;
	struct tf_transfer *t;
	int admissible;

	memcpy(&m, msg + HDR, sizeof m);
	pol = procd_policy_by_role(&d.reg, m.role);
	admissible = pol && (pol->flags & PROCD_POLICY_LOADER_LAUNCH) && pol->endpoint == PROCD_EP_BOOTSTRAP &&
		     m.size != 0 && m.size <= PROCD_LOADER_IMAGE_MAX && m.nsegments != 0 &&
		     m.nsegments <= PROCD_LOADER_SEGMENTS_MAX;
	if (!admissible) {
		must(rep->status == PROCD_E_NOT_FOUND || rep->status == PROCD_E_DENIED ||
			     rep->status == PROCD_E_INVALID,
		     "a BEGIN for a role, size or segment count procd must refuse was not refused", (long)rep->status);
		unchanged(snap, "a refused BEGIN changed something");
		return;
	}
	if (over_transfer_quota(ep, m.size, snap)) {
		must(rep->status == PROCD_E_QUOTA, "a BEGIN past the sender's quota was not refused", (long)rep->status);
		unchanged(snap, "a BEGIN refused for its quota changed something");
		return;
	}
	must(rep->status == PROCD_OK || rep->status == PROCD_E_NO_SPACE || rep->status == PROCD_E_IO,
	     "an admissible BEGIN refused as malformed, denied or over quota", (long)rep->status);
	if (rep->status != PROCD_OK) {
		int open_before = 0;

		for (uint32_t i = 0; i < PROCD_MAX_TRANSFERS; i++)
			open_before += snap->transfers[i].id != 0;
		must(h.faulted || !fake_image_fits(m.size) || open_before == PROCD_MAX_TRANSFERS,
		     "an admissible BEGIN refused with room for it", (long)rep->status);
		for (uint32_t i = 0; i < h.nt; i++)
			if (h.t[i].role == m.role)
				settle_account(&h.t[i]);
		return;
	}
	must(rep->body_len == sizeof out, "a BEGIN reply without its body", (long)rep->body_len);
	memcpy(&out, rep->body, sizeof out);
	must(out.transfer != 0, "transfer id 0 issued", 0);
	must(out.chunk_max == PROCD_CHUNK_MAX, "BEGIN's chunk_max is not PROCD_CHUNK_MAX", (long)out.chunk_max);
	must(account(out.transfer) == NULL, "a transfer id issued twice", (long)out.transfer);
	must(h.nt < MAX_SEEN, "more transfers than the harness counts", (long)h.nt);
	/* The newest BEGIN for a role wins: older ids of it are dead. */
	for (uint32_t i = 0; i < h.nt; i++)
		if (h.t[i].role == m.role)
			kill_account(&h.t[i], "superseded");
	t = &h.t[h.nt++];
	memset(t, 0, sizeof *t);
	t->id = out.transfer;
	t->state = TF_LIVE;
	t->ep = ep;
	t->role = m.role;
	t->size = m.size;
	t->entry = m.entry;
	t->nsegments = m.nsegments;
	t->last_ms = fake_now();
	t->shadow = calloc(1, (size_t)m.size);
	must(t->shadow != NULL, "out of memory for a shadow", (long)m.size);
	t->image = h.pending;
	memset(&h.pending, 0, sizeof h.pending);
	trace("    transfer %u live: role 0x%x, %llu bytes\n", t->id, t->role, (unsigned long long)t->size);
}

static void model_chunk(uint32_t ep, const unsigned char *msg, size_t len, const struct tf_reply *rep,
			const struct snapshot *snap)
{
	struct procd_msg_transfer_chunk m;
	struct procd_msg_transfer out;
	size_t n = len - HDR - sizeof m;
	struct tf_transfer *t;

	memcpy(&m, msg + HDR, sizeof m);
	t = account(m.transfer);
	if (!t) {
		must(rep->status != PROCD_OK, "a CHUNK for an id procd never issued was accepted", (long)m.transfer);
		unchanged(snap, "a CHUNK for an id never issued changed something");
		return;
	}
	if (t->state == TF_DEAD) {
		must(rep->status == PROCD_E_STALE, "a CHUNK for a dead transfer id was not refused as stale",
		     (long)rep->status);
		unchanged(snap, "a stale CHUNK changed something");
		return;
	}
	if (t->ep != ep) {
		must(rep->status == PROCD_E_DENIED, "a CHUNK of another loaderd's transfer was not denied",
		     (long)rep->status);
		unchanged(snap, "a CHUNK of another loaderd's transfer changed something");
		return;
	}
	if (m.length != n || n == 0 || m.offset != t->received || n > t->size - t->received) {
		must(rep->status == PROCD_E_INVALID, "a CHUNK out of order, overlapping, too long or lying was not refused",
		     (long)rep->status);
		unchanged(snap, "a refused CHUNK changed something");
		return;
	}
	if (rep->status != PROCD_OK) {
		must(h.faulted, "a correct CHUNK of a live transfer was refused", (long)rep->status);
		settle_account(t);
		return;
	}
	must(rep->body_len == sizeof out, "a CHUNK reply without its body", (long)rep->body_len);
	memcpy(&out, rep->body, sizeof out);
	memcpy(t->shadow + t->received, msg + HDR + sizeof m, n);
	t->received += n;
	t->last_ms = fake_now();
	must(out.transfer == m.transfer, "a CHUNK reply names another transfer", (long)out.transfer);
	must(out.chunk_max == (t->received > UINT32_MAX ? UINT32_MAX : (uint32_t)t->received),
	     "a CHUNK reply does not count the bytes received", (long)out.chunk_max);
}

static int plan_is_images(const struct procd_msg_transfer_commit *m, const struct tf_image *im)
{
	struct procd_msg_transfer_commit want;

	if (!im->bytes)
		return 0;
	memset(&want, 0, sizeof want);
	want.transfer = m->transfer;
	want.nsegments = im->nsegments;
	memcpy(want.seg, im->seg, sizeof want.seg);
	return memcmp(&want, m, sizeof want) == 0;
}

/* A COMMIT procd accepted: one child, exactly as promised. */
static void check_committed(struct tf_transfer *t, const struct procd_msg_transfer_commit *m,
			    const struct tf_reply *rep, const struct snapshot *snap)
{
	struct procd_msg_pid out;
	const struct procd_policy *pol = procd_policy_by_role(&d.reg, t->role);
	const struct fake_obj *child = NULL, *image;
	uint32_t child_obj = FAKE_NO_OBJ;
	struct procd_elf_plan plan;
	struct procd_proc *p;
	unsigned char *want;
	uint64_t want_size;
	const char *why;
	int self = 0;

	must(rep->body_len == sizeof out, "a COMMIT reply without its body", (long)rep->body_len);
	memcpy(&out, rep->body, sizeof out);
	must(out.pid != 0 && out.reserved == 0, "a COMMIT reply with no pid", (long)out.pid);
	p = proc_of(out.pid);
	must(p && p->state == PROCD_STATE_RUNNING, "a committed pid that is not a running child", (long)out.pid);
	must(p->policy == pol, "a committed child of another role than begun", (long)out.pid);
	must(p->creator_role != ROLE_LOADERD, "a committed child managed by loaderd", (long)out.pid);
	for (uint32_t i = snap->nobjs; i < fake_nobjs(); i++) {
		if (fake_obj(i)->kind != FAKE_PROCESS)
			continue;
		must(child == NULL, "a COMMIT started more than one process", (long)i);
		child = fake_obj(i);
		child_obj = i;
	}
	must(child != NULL && child->state == FAKE_RUNNING, "a COMMIT started no process", (long)out.pid);
	must(fake_obj_of(p->handle) == child_obj, "the committed pid is not the process started",
	     (long)out.pid);
	image = fake_obj(child->image);
	must(image && image->kind == FAKE_IMAGE && image->sealed && !image->module,
	     "a committed child runs from something but a sealed materialized image", (long)out.pid);
	must(fake_obj_of(p->own_image) == child->image, "a committed child's record holds another image",
	     (long)out.pid);
	want = malloc((size_t)t->size);
	must(want != NULL, "out of memory", (long)t->size);
	want_size = expected_image(t->shadow, t->size, want);
	if (image->size != want_size || memcmp(image->bytes, want, (size_t)want_size) != 0) {
		uint64_t at = 0;

		while (at < want_size && at < image->size && image->bytes[at] == want[at])
			at++;
		fprintf(stderr, "fuzz-transfer: image of %llu bytes, expected %llu; first difference at %llu\n",
			(unsigned long long)image->size, (unsigned long long)want_size, (unsigned long long)at);
		must(0, "a committed image is not exactly the validated header and segments, zero elsewhere",
		     (long)out.pid);
	}
	free(want);
	must(child->window == pol->window, "a committed child's window is not its policy's", (long)child->window);
	for (uint32_t i = 0; i < child->ncaps; i++) {
		int allowed = 0;

		for (uint32_t k = 0; k < PROCD_POLICY_SLOTS && pol->slots[k] != 0; k++)
			allowed |= pol->slots[k] == child->slots[i];
		must(allowed, "a committed child holds a slot its policy does not grant", (long)child->slots[i]);
		self |= child->slots[i] == SLOT_SELF_ENDPOINT;
	}
	must(self, "a committed child without its own endpoint", (long)out.pid);
	/* The plan it was committed with, checked by the tests' own reading. */
	memset(&plan, 0, sizeof plan);
	plan.entry = t->entry;
	plan.nsegments = m->nsegments;
	for (uint32_t i = 0; i < m->nsegments && i < PROCD_ELF_MAX_SEGMENTS; i++) {
		plan.seg[i].offset = m->seg[i].offset;
		plan.seg[i].vaddr = m->seg[i].vaddr;
		plan.seg[i].filesz = m->seg[i].filesz;
		plan.seg[i].memsz = m->seg[i].memsz;
		plan.seg[i].flags = m->seg[i].flags;
	}
	if (m->nsegments >= 1 && m->nsegments <= PROCD_ELF_MAX_SEGMENTS)
		plan.vaddr_end = plan.seg[m->nsegments - 1].vaddr + plan.seg[m->nsegments - 1].memsz;
	why = test_elf_plan_broken(t->shadow, (size_t)t->size, TEST_ELF_RESERVE, &plan);
	if (why)
		fprintf(stderr, "fuzz-transfer: %s\n", why);
	must(why == NULL, "a COMMIT accepted a plan that breaks a promise of core/elf_check.h", (long)out.pid);
	trace("    committed: pid %u\n", out.pid);
}

static void model_commit(uint32_t ep, const unsigned char *msg, const struct tf_reply *rep,
			 const struct snapshot *snap)
{
	struct procd_msg_transfer_commit m;
	struct tf_transfer *t;
	int expect_ok;

	memcpy(&m, msg + HDR, sizeof m);
	t = account(m.transfer);
	if (!t) {
		must(rep->status != PROCD_OK, "a COMMIT for an id procd never issued was accepted", (long)m.transfer);
		unchanged(snap, "a COMMIT for an id never issued changed something");
		return;
	}
	if (t->state == TF_DEAD) {
		must(rep->status == PROCD_E_STALE, "a COMMIT for a dead transfer id was not refused as stale",
		     (long)rep->status);
		unchanged(snap, "a stale COMMIT changed something");
		return;
	}
	if (t->ep != ep) {
		must(rep->status == PROCD_E_DENIED, "a COMMIT of another loaderd's transfer was not denied",
		     (long)rep->status);
		unchanged(snap, "a COMMIT of another loaderd's transfer changed something");
		return;
	}
	if (rep->status == PROCD_OK) {
		check_committed(t, &m, rep, snap);
		kill_account(t, "committed");
		return;
	}
	expect_ok = t->received == t->size && t->image.bytes && !t->image.broken && t->size == t->image.len &&
		    t->entry == t->image.entry && t->nsegments == t->image.nsegments &&
		    memcmp(t->shadow, t->image.bytes, (size_t)t->size) == 0 && plan_is_images(&m, &t->image) &&
		    !h.faulted && d.table.used < PROCD_MAX_PROCESSES && fake_nobjs() + 16 < FAKE_OBJS;
	must(!expect_ok, "a complete transfer of a valid image with its own plan was not committed",
	     (long)rep->status);
	nothing_left_since(snap, "a failed COMMIT left a record or an object behind");
	settle_account(t);
}

/* Sends one transfer request and checks procd's answer against the
 * account; for any request that is not a well-formed transfer op from
 * loaderd's alias, that it was refused and changed nothing. */
static void transfer_request(const struct route *r, unsigned char *msg, size_t len)
{
	struct procd_msg_header q = { 0 };
	struct tf_reply rep;
	struct snapshot snap;
	size_t body = len >= HDR ? len - HDR : 0;
	int clean;

	damage(r, msg, len);
	if (len >= HDR)
		memcpy(&q, msg, HDR);
	clean = !r->truncated && r->gift == FAKE_NONE && len >= HDR && q.length == len && q.status == 0 &&
		is_loader_ep(r->ep) &&
		((q.op == PROCD_OP_BEGIN_LOADER_IMAGE_TRANSFER && body == sizeof(struct procd_msg_transfer_begin)) ||
		 (q.op == PROCD_OP_COMMIT_LOADER_IMAGE_TRANSFER && body == sizeof(struct procd_msg_transfer_commit)) ||
		 (q.op == PROCD_OP_SEND_LOADER_IMAGE_CHUNK && body >= sizeof(struct procd_msg_transfer_chunk) &&
		  body - sizeof(struct procd_msg_transfer_chunk) <= PROCD_CHUNK_MAX));
	take_snapshot(&snap);
	deliver(r, msg, len, &rep);
	if (rep.status == PROCD_OK)
		must(rep.ncaps == 0, "a transfer reply carries a capability", (long)rep.ncaps);
	if (!clean) {
		must(rep.status != PROCD_OK, "a request not from loaderd, or not well-formed, was accepted",
		     (long)q.op);
		unchanged(&snap, "a refused request changed something");
		return;
	}
	if (q.op == PROCD_OP_BEGIN_LOADER_IMAGE_TRANSFER)
		model_begin(r->ep, msg, &rep, &snap);
	else if (q.op == PROCD_OP_SEND_LOADER_IMAGE_CHUNK)
		model_chunk(r->ep, msg, len, &rep, &snap);
	else
		model_commit(r->ep, msg, &rep, &snap);
}

static uint64_t with_i8(uint64_t v)
{
	return v + (uint64_t)(int64_t)(int8_t)take8();
}

static void op_begin(void)
{
	struct route r;
	struct procd_msg_transfer_begin m = { 0 };
	uint8_t role = 0, recipe[4], fields;
	size_t len;

	take_route(&r);
	role = take8();
	m.role = role < TF_NROLES ? tf_roles[role] : take16();
	for (unsigned i = 0; i < 4; i++)
		recipe[i] = take8();
	fields = take8();
	image_free(&h.pending);
	build_image(&h.pending, recipe);
	switch (fields & 3u) {
	case 0: m.size = h.pending.len; break;
	case 1: m.size = with_i8(h.pending.len); break;
	case 2: m.size = take64(); break;
	default: m.size = 0; break;
	}
	switch ((fields >> 2) & 3u) {
	case 0: m.nsegments = h.pending.nsegments; break;
	case 1: m.nsegments = take8(); break;
	case 2: m.nsegments = h.pending.nsegments + 1; break;
	default: m.nsegments = 0; break;
	}
	switch ((fields >> 4) & 3u) {
	case 0: m.entry = h.pending.entry; break;
	case 1: m.entry = with_i8(h.pending.entry); break;
	case 2: m.entry = take64(); break;
	default: m.entry = 0; break;
	}
	trace("BEGIN role 0x%x size %llu nsegments %u (image %zu bytes%s)\n", m.role, (unsigned long long)m.size,
	      m.nsegments, h.pending.len, h.pending.broken ? ", broken" : "");
	if (!r.usable)
		return;
	len = put_header(PROCD_OP_BEGIN_LOADER_IMAGE_TRANSFER, sizeof m);
	memcpy((unsigned char *)msgbuf + HDR, &m, sizeof m);
	transfer_request(&r, (unsigned char *)msgbuf, len);
	image_free(&h.pending);
}

static void op_chunk(void)
{
	struct route r;
	struct procd_msg_transfer_chunk m = { 0 };
	struct tf_transfer *t;
	uint8_t lsel, mode;
	uint64_t left, n;
	unsigned char *bytes;
	size_t len;

	take_route(&r);
	m.transfer = pick_id();
	lsel = take8();
	mode = take8();
	t = account(m.transfer);
	left = t && t->state == TF_LIVE ? t->size - t->received : 0;
	if (lsel == 0)
		n = left < PROCD_CHUNK_MAX ? left : PROCD_CHUNK_MAX;
	else if (lsel < 128)
		n = left && left < lsel * 8u ? left : lsel * 8u;
	else if (lsel < 255)
		n = take16();
	else
		n = PROCD_CHUNK_MAX + 1;
	switch (mode & 3u) {
	case 0: m.offset = t ? t->received : 0; break;
	case 1: m.offset = with_i8(t ? t->received : 0); break;
	case 2: m.offset = take64(); break;
	default: m.offset = (t ? t->received : 0) - n; break;
	}
	m.length = (uint32_t)n;
	bytes = (unsigned char *)msgbuf + HDR + sizeof m;
	/* The bytes at that offset of the image the transfer is meant to carry. */
	memset(bytes, 0, (size_t)n);
	if (t && t->image.bytes && m.offset < t->image.len)
		memcpy(bytes, t->image.bytes + m.offset,
		       (size_t)(n < t->image.len - m.offset ? n : t->image.len - m.offset));
	switch ((mode >> 2) & 3u) {
	case 1: {
		uint16_t pos = take16();
		uint8_t x = take8();

		if (n)
			bytes[pos % n] ^= x ? x : 1;
		break;
	}
	case 2:
		for (uint64_t i = 0; i < n; i++)
			bytes[i] = take8();
		break;
	case 3:
		m.length = (uint32_t)with_i8(m.length);
		break;
	default:
		break;
	}
	trace("CHUNK transfer %u offset %llu length %u (%llu bytes)\n", m.transfer, (unsigned long long)m.offset,
	      m.length, (unsigned long long)n);
	if (!r.usable)
		return;
	len = put_header(PROCD_OP_SEND_LOADER_IMAGE_CHUNK, sizeof m + (size_t)n);
	memcpy((unsigned char *)msgbuf + HDR, &m, sizeof m);
	transfer_request(&r, (unsigned char *)msgbuf, len);
}

static void op_commit(void)
{
	struct route r;
	struct procd_msg_transfer_commit m;
	struct tf_transfer *t;
	uint8_t plan;
	size_t len;

	take_route(&r);
	memset(&m, 0, sizeof m);
	m.transfer = pick_id();
	plan = take8();
	t = account(m.transfer);
	if (t && t->image.bytes) {
		m.nsegments = t->image.nsegments;
		memcpy(m.seg, t->image.seg, sizeof m.seg);
	}
	switch (plan & 7u) {
	case 1: {
		uint8_t which = take8(), x = take8();
		struct procd_msg_segment *s = &m.seg[which & 7u];

		x = x ? x : 1;
		switch ((which >> 3) & 7u) {
		case 0: s->offset ^= x; break;
		case 1: s->vaddr ^= x; break;
		case 2: s->filesz ^= x; break;
		case 3: s->memsz ^= x; break;
		case 4: s->flags ^= x; break;
		default: s->vaddr += (uint64_t)x * PAGE; break;
		}
		break;
	}
	case 2:
		m.nsegments = take8();
		break;
	case 3:
		m.seg[take8() & 7u].reserved = 1;
		break;
	case 4: {
		uint8_t k = take8() & 7u;

		if (k >= m.nsegments)
			m.seg[k].memsz = 1;
		else
			m.seg[k].reserved = 2;
		break;
	}
	case 5: {
		uint8_t which = take8();
		const struct tf_transfer *o = h.nt ? &h.t[h.nt - 1 - which % h.nt] : NULL;

		memset(m.seg, 0, sizeof m.seg);
		m.nsegments = 0;
		if (o && o->image.bytes) {
			m.nsegments = o->image.nsegments;
			memcpy(m.seg, o->image.seg, sizeof m.seg);
		}
		break;
	}
	default:
		break;
	}
	trace("COMMIT transfer %u nsegments %u (plan %u)\n", m.transfer, m.nsegments, plan & 7u);
	if (!r.usable)
		return;
	len = put_header(PROCD_OP_COMMIT_LOADER_IMAGE_TRANSFER, sizeof m);
	memcpy((unsigned char *)msgbuf + HDR, &m, sizeof m);
	transfer_request(&r, (unsigned char *)msgbuf, len);
}

static void op_raw(void)
{
	static const uint32_t ops[] = { PROCD_OP_BEGIN_LOADER_IMAGE_TRANSFER, PROCD_OP_SEND_LOADER_IMAGE_CHUNK,
					PROCD_OP_COMMIT_LOADER_IMAGE_TRANSFER, PROCD_OP_LAUNCH_LOADED_IMAGE, 0x4ffu };
	struct route r;
	uint32_t op;
	size_t n, len;

	take_route(&r);
	op = ops[take8() % 5u];
	n = take16() % 1024u;
	len = put_header(op, n);
	for (size_t i = 0; i < n; i++)
		((unsigned char *)msgbuf)[HDR + i] = take8();
	trace("RAW op 0x%x, %zu body bytes\n", op, n);
	if (!r.usable)
		return;
	transfer_request(&r, (unsigned char *)msgbuf, len);
}

/* ---- processes and time ---- */

static void end_how(uint8_t how, uint32_t *kind, int32_t *code)
{
	*kind = (how & 0x80) ? PROCD_EVENT_KILLED : PROCD_EVENT_EXITED;
	*code = (how & 0x80) ? (int32_t)(how & 31u) : (int32_t)(how & 127u);
}

/* Ends the running instance of p, and tells procd the way the loop does. */
static void end_process(struct procd_proc *p, uint8_t how)
{
	uint32_t kind, index = procd_proc_index(&d.table, p);
	int32_t code;

	end_how(how, &kind, &code);
	fake_end_process(fake_obj_of(p->handle), kind, code);
	fake_sends_clear();
	procd_on_process_end(&d, index);
}

static void op_loader_dies(void)
{
	uint8_t how = take8();
	struct procd_proc *p;

	loader_check();
	p = h.have_loader ? proc_of(h.loader_pid) : NULL;
	trace("loaderd dies (%u)\n", how);
	if (!p || p->handle == PROCD_NO_CAP)
		return;
	/* What it sent through its alias dies with it. */
	kill_accounts_of_ep(h.loader_ep, "its sender ended");
	end_process(p, how);
}

static void op_time_passes(void)
{
	uint8_t t = take8();
	uint64_t step = t < 128 ? (uint64_t)t * 64u
				: (uint64_t)((int64_t)PROCD_TRANSFER_IDLE_MS + ((int64_t)(t & 127) - 64) * 16);
	uint64_t now = fake_now() + step, next;

	trace("time passes: %llu ms\n", (unsigned long long)step);
	fake_set_now(now);
	for (uint32_t i = 0; i < h.nt; i++)
		if (h.t[i].state == TF_LIVE && now >= h.t[i].last_ms + PROCD_TRANSFER_IDLE_MS)
			kill_account(&h.t[i], "idle too long");
	fake_sends_clear();
	next = procd_on_tick(&d, now);
	must(next > now, "the tick left something due undone", (long)(next - now));
}

static int is_loaderd(uint32_t pid)
{
	return pid == h.loader_pid || (h.other_pid && pid == h.other_pid);
}

/* The (which % n)-th child in the table that is not loaderd, or NULL. */
static struct procd_proc *pick_child(uint8_t which, int running)
{
	uint32_t n = 0, k;

	for (uint32_t i = 0; i < PROCD_MAX_PROCESSES; i++) {
		const struct procd_proc *p = &d.table.procs[i];

		n += p->pid != 0 && !is_loaderd(p->pid) && (!running || p->handle != PROCD_NO_CAP);
	}
	if (n == 0)
		return NULL;
	k = which % n;
	for (uint32_t i = 0; i < PROCD_MAX_PROCESSES; i++) {
		struct procd_proc *p = &d.table.procs[i];

		if (p->pid != 0 && !is_loaderd(p->pid) && (!running || p->handle != PROCD_NO_CAP) && k-- == 0)
			return p;
	}
	return NULL;
}

static void op_child_ends(void)
{
	uint8_t which = take8(), how = take8();
	struct procd_proc *p = pick_child(which, 1);

	trace("a child ends (%u)\n", how);
	if (p)
		end_process(p, how);
}

static void op_stop_child(void)
{
	struct procd_proc *p = pick_child(take8(), 0);
	struct procd_msg_pid stop = { 0 };
	struct tf_reply rep;
	uint32_t status;

	trace("rootd stops a child\n");
	if (!p)
		return;
	stop.pid = p->pid;
	status = rootd_request(PROCD_OP_STOP_PROCESS, &stop, sizeof stop, &rep);
	must(status == PROCD_OK, "rootd could not stop a child", (long)status);
	must(proc_of(stop.pid) == NULL, "a stopped child still has a record", (long)stop.pid);
}

/* loaderd asks to act on a child (a materialized one, most often) or to
 * create one: it holds no such authority, so procd must refuse and change
 * nothing. */
static void op_loader_asks(void)
{
	static const uint32_t ops[] = { PROCD_OP_STOP_PROCESS, PROCD_OP_ABORT_STAGED_PROCESS,
					PROCD_OP_START_STAGED_PROCESS, PROCD_OP_QUERY_PROCESS,
					PROCD_OP_SET_RESTART_POLICY, PROCD_OP_GET_RESTART_POLICY,
					PROCD_OP_WAIT_PROCESS_EVENT, PROCD_OP_CREATE_STAGED_PROCESS };
	uint8_t what = take8() % 8u, which = take8();
	struct procd_proc *p = pick_child(which, 0);
	struct route r = { .ep = h.loader_ep };
	union {
		struct procd_msg_pid pid;
		struct procd_msg_start start;
		struct procd_msg_restart restart;
		struct procd_msg_wait wait;
		struct procd_msg_create create;
	} body;
	size_t blen;
	struct tf_reply rep;
	struct snapshot snap;

	memset(&body, 0, sizeof body);
	switch (ops[what]) {
	case PROCD_OP_START_STAGED_PROCESS:
		body.start.pid = p ? p->pid : which;
		blen = sizeof body.start;
		break;
	case PROCD_OP_SET_RESTART_POLICY:
		body.restart.pid = p ? p->pid : which;
		body.restart.policy = PROCD_RESTART_ALWAYS;
		body.restart.max_restarts = 1;
		body.restart.window_ms = 1000;
		body.restart.backoff_min_ms = 1;
		body.restart.backoff_max_ms = 1;
		blen = sizeof body.restart;
		break;
	case PROCD_OP_WAIT_PROCESS_EVENT:
		body.wait.pid = p ? p->pid : which;
		body.wait.timeout_ms = 1000;
		blen = sizeof body.wait;
		break;
	case PROCD_OP_CREATE_STAGED_PROCESS:
		body.create.role = tf_roles[which % TF_NROLES];
		blen = sizeof body.create;
		break;
	default:
		body.pid.pid = p ? p->pid : which;
		blen = sizeof body.pid;
		break;
	}
	loader_check();
	trace("loaderd asks for op 0x%x\n", ops[what]);
	if (!h.have_loader)
		return;
	r.usable = 1;
	memcpy((unsigned char *)msgbuf + HDR, &body, blen);
	take_snapshot(&snap);
	deliver(&r, (const unsigned char *)msgbuf, put_header(ops[what], blen), &rep);
	must(rep.status != PROCD_OK, "loaderd was given authority over a process", (long)ops[what]);
	must(!p || ops[what] == PROCD_OP_CREATE_STAGED_PROCESS || rep.status == PROCD_E_DENIED,
	     "loaderd acting on a child was not denied", (long)rep.status);
	unchanged(&snap, "loaderd asking for authority changed something");
}

/* rootd stops a loaderd; what it sent dies with it. */
static void stop_loader(uint32_t pid, uint32_t ep)
{
	struct procd_msg_pid stop = { .pid = pid };
	struct tf_reply rep;
	uint32_t status;

	if (!pid || !proc_of(pid))
		return;
	kill_accounts_of_ep(ep, "its sender was stopped");
	status = rootd_request(PROCD_OP_STOP_PROCESS, &stop, sizeof stop, &rep);
	must(status == PROCD_OK, "rootd could not stop loaderd", (long)status);
}

static void op_restage_loader(void)
{
	int keep = take8() & 1;

	trace("rootd stages a new loaderd%s\n", keep ? ", keeping the old one" : "");
	loader_check();
	if (keep && proc_of(h.loader_pid) && is_loader_ep(h.loader_ep)) {
		stop_loader(h.other_pid, h.other_ep);
		h.other_pid = h.loader_pid;
		h.other_ep = h.loader_ep;
	} else {
		stop_loader(h.loader_pid, h.loader_ep);
	}
	h.loader_pid = 0;
	stage_loader();
}

static void op_loader_hangs_up(void)
{
	loader_check();
	trace("loaderd's alias hangs up\n");
	if (!h.have_loader)
		return;
	kill_accounts_of_ep(h.loader_ep, "its sender hung up");
	fake_sends_clear();
	procd_on_endpoint_closed(&d, h.loader_ep);
	h.have_loader = 0;
}

/* ---- invariants ---- */

static void check_state(void)
{
	uint32_t open = procd_transfers_open(), unsealed = 0, sealed = 0, owned = 0;

	must(open <= PROCD_MAX_TRANSFERS, "more transfers open than PROCD_MAX_TRANSFERS", (long)open);
	must(open == live_accounts(), "procd's open transfers are not the live ones", (long)open);
	for (uint32_t i = 0; i < PROCD_MAX_TRANSFERS; i++)
		if (procd_loader.transfers[i].id != 0)
			must(account(procd_loader.transfers[i].id) && account(procd_loader.transfers[i].id)->state == TF_LIVE,
			     "procd holds a transfer the harness counts as dead", (long)procd_loader.transfers[i].id);
	for (uint32_t i = 0; i < fake_nobjs(); i++) {
		const struct fake_obj *o = fake_obj(i);

		if (o->gone)
			continue;
		if (o->kind == FAKE_IMAGE) {
			must(o->maps == 0, "image memory left mapped", (long)i);
			if (!o->module && !o->gift) {
				unsealed += !o->sealed;
				sealed += o->sealed;
			}
		}
		if (o->kind == FAKE_PROCESS && o->state != FAKE_COLLECTED) {
			uint32_t index;

			must(o->state == FAKE_RUNNING, "a process ended and never collected (a zombie)", (long)i);
			must(fake_watch_of(i, PORT_WATCH_PROCESS, &index) == 0 && index < PROCD_MAX_PROCESSES &&
				     fake_obj_of(d.table.procs[index].handle) == i &&
				     d.table.procs[index].state == PROCD_STATE_RUNNING,
			     "a running process procd does not manage (a stray)", (long)i);
			must(fake_obj(o->image)->sealed, "a process runs from an unsealed image", (long)i);
		}
	}
	for (uint32_t i = 0; i < PROCD_MAX_PROCESSES; i++) {
		const struct procd_proc *p = &d.table.procs[i];
		const struct fake_obj *run = fake_obj(fake_obj_of(p->handle));

		if (p->pid != 0 && p->handle != PROCD_NO_CAP)
			must(run && run->kind == FAKE_PROCESS && run->state == FAKE_RUNNING,
			     "a record holds the handle of a process that is not running", (long)i);
	}
	for (uint32_t i = 0; i < PROCD_MAX_PROCESSES; i++)
		if (d.table.procs[i].pid != 0 && d.table.procs[i].own_image != PROCD_NO_CAP) {
			const struct fake_cap *fc = fake_cap(d.table.procs[i].own_image);

			must(fc && fc->holder == FAKE_PROCD && fake_obj(fc->obj)->sealed,
			     "a child's materialized image is not a sealed image procd holds", (long)i);
			owned++;
		}
	must(unsealed == open, "unsealed image memory that no open transfer holds", (long)unsealed);
	must(sealed == owned, "sealed image memory that no child holds", (long)sealed);
}

static void check_shutdown(void)
{
	must(procd_transfers_open() == 0, "a transfer open after shutdown", (long)procd_transfers_open());
	must(procd_process_count(&d) == 0, "a process record after shutdown", (long)procd_process_count(&d));
	for (procd_cap c = 0; c < fake_cap_end(); c++)
		must(fake_cap(c)->holder != FAKE_PROCD, "a capability procd still holds after shutdown", c);
	for (uint32_t i = 0; i < fake_nobjs(); i++) {
		const struct fake_obj *o = fake_obj(i);

		must(o->kind != FAKE_PROCESS || o->state == FAKE_COLLECTED, "a process not collected after shutdown",
		     (long)i);
		must(o->kind != FAKE_IMAGE || o->maps == 0, "image memory mapped after shutdown", (long)i);
	}
}

/* ---- the run ---- */

static void start(void)
{
	static const char *const modules[] = { "loaderd", "phase0-exit" };
	unsigned char env[512];
	size_t len;

	fake_reset();
	fake_set_trace(h.trace);
	fake_set_now(1000);
	len = fake_intake(BOOTSTRAP_SLOT, modules, 2, env, sizeof env);
	must(len != 0, "the fake intake could not be placed", 0);
	must(procd_init(&d, env, len) == 0, "procd refused the fake startup envelope", 0);
	/* From here on every unsealed image procd makes is a staging one. */
	/* One more than the table: BEGIN allocates the new transfer's memory
	 * before it supersedes the old, so that a failed BEGIN changes nothing. */
	fake_set_staging_limit(PROCD_MAX_TRANSFERS + 1);
	h.tag = 0;
	h.loader_pid = 0;
	must(stage_loader() == 0, "rootd could not stage and start loaderd", 0);
	check_state();
}

/*
 * Each input starts from procd started and loaderd running. Starting is
 * deterministic, so it runs once (start) and each later input restores
 * that state exactly: procd's (a copy of the static struct procd), the
 * fake port's (capabilities, objects, image bytes) and the harness's.
 * procd_init clears and rebuilds some 180 KB byte by byte, which under
 * coverage instrumentation would cost more than the rest of an input.
 */
static void start_or_restore(void)
{
	static struct procd started;
	static struct procd_loader started_loader;
	static uint32_t tag, loader_pid, loader_ep;
	static int have;

	if (!have) {
		start();
		memcpy(&started, &d, sizeof d);
		memcpy(&started_loader, &procd_loader, sizeof procd_loader);
		tag = h.tag;
		loader_pid = h.loader_pid;
		loader_ep = h.loader_ep;
		fake_save();
		have = 1;
	} else {
		fake_restore();
		fake_set_trace(h.trace);
		memcpy(&d, &started, sizeof d);
		memcpy(&procd_loader, &started_loader, sizeof procd_loader);
		h.tag = tag;
		h.loader_pid = loader_pid;
		h.loader_ep = loader_ep;
	}
	h.have_loader = 1;
	h.other_pid = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int trace_env = -1;

	if (trace_env < 0) {
		const char *e = getenv("PROCD_FUZZ_TRACE");

		trace_env = e && *e && strcmp(e, "0") != 0;
	}
	h.trace = trace_env;
	h.p = data;
	h.n = size;
	h.nt = 0;
	start_or_restore();
	for (unsigned ops = 0; h.n > 0 && ops < TF_MAX_OPS; ops++) {
		switch ((enum tf_op)(take8() % TF_OPS)) {
		case TF_BEGIN: op_begin(); break;
		case TF_CHUNK: op_chunk(); break;
		case TF_COMMIT: op_commit(); break;
		case TF_LOADER_DIES: op_loader_dies(); break;
		case TF_TIME_PASSES: op_time_passes(); break;
		case TF_CHILD_ENDS: op_child_ends(); break;
		case TF_STOP_CHILD: op_stop_child(); break;
		case TF_RESTAGE_LOADER: op_restage_loader(); break;
		case TF_LOADER_HANGS_UP: op_loader_hangs_up(); break;
		case TF_LOADER_ASKS: op_loader_asks(); break;
		default: op_raw(); break;
		}
		check_state();
	}
	trace("shutdown\n");
	fake_sends_clear();
	procd_shutdown(&d);
	check_shutdown();
	forget_all();
	fake_reset();
	return 0;
}
