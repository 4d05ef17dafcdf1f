/* SPDX-License-Identifier: ISC */
/*
 * Writes the transfer fuzz target's seed corpus: short operation sequences
 * in the input format of tests/fuzz/transfer-input.h, one per scenario the
 * loader must handle (a transfer committed in one chunk or many, images with junk to
 * zero, a second BEGIN superseding the first, chunks out of order, plans
 * and images procd must refuse, roles and routes it must deny, loaderd
 * dying or replaced mid-transfer, idle reclaim, a full transfer table,
 * platform failures at each step, materialized children ending and
 * restarting). The checked-in corpus, tests/fuzz/corpus/transfer/, is
 * exactly this program's output: replay-transfer.sh regenerates it and
 * compares, and `make fuzz-corpus-transfer` rewrites it.
 *
 *   mkcorpus-transfer DIR
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tests/fuzz/fake_port.h"
#include "tests/fuzz/transfer-input.h"

struct seed {
	uint8_t b[1024];
	size_t len;
};

static void b8(struct seed *s, unsigned v)
{
	if (s->len < sizeof s->b)
		s->b[s->len++] = (uint8_t)v;
}

static void b16(struct seed *s, unsigned v)
{
	b8(s, v & 0xffu);
	b8(s, v >> 8);
}

/* Recipes (transfer-input.h): r0 picks PT_LOADs and extra headers. */
#define R0_HELPER 8u  /* 3 PT_LOADs and a PT_GNU_STACK: the helpers' layout */
#define R0_FOUR   9u  /* 4 PT_LOADs and a PT_GNU_STACK */
#define R0_FOUR_PAD 72u /* the same, 16 junk bytes before the header table */
#define R0_EIGHT  27u /* 8 PT_LOADs, 3 PT_GNU_STACKs */
#define R0_TWO    0u  /* text and data only */

struct recipe {
	uint8_t r[4];
};

static const struct recipe plain = { { R0_HELPER, 0, 16, 0 } };

/* The route byte, and the one extra byte a damaged header or an armed
 * failure asks for right after it. */
static void route_to(struct seed *s, unsigned route, unsigned extra)
{
	b8(s, route);
	if (route & (TF_DAMAGED | TF_FAULT))
		b8(s, extra);
}

/* role: an index into tf_roles, or (TF_NROLES and up) a role id itself. */
static void begin_via(struct seed *s, unsigned route, unsigned extra, unsigned role, struct recipe rc,
		      unsigned fields)
{
	b8(s, TF_BEGIN);
	route_to(s, route, extra);
	if (role < TF_NROLES) {
		b8(s, role);
	} else {
		b8(s, 0xff);
		b16(s, role);
	}
	for (unsigned i = 0; i < 4; i++)
		b8(s, rc.r[i]);
	b8(s, fields);
}

static void begin_as(struct seed *s, unsigned route, unsigned role, struct recipe rc, unsigned fields)
{
	begin_via(s, route, 0, role, rc, fields);
}

static void begin(struct seed *s, struct recipe rc)
{
	begin_as(s, 0, TF_ROLE_PHASE0_EXIT, rc, 0);
}

static void chunk_via(struct seed *s, unsigned route, unsigned extra, unsigned which, unsigned len, unsigned mode)
{
	b8(s, TF_CHUNK);
	route_to(s, route, extra);
	b8(s, which);
	b8(s, len);
	b8(s, mode);
}

static void chunk(struct seed *s, unsigned route, unsigned which, unsigned len, unsigned mode)
{
	chunk_via(s, route, 0, which, len, mode);
}

static void all(struct seed *s)
{
	chunk(s, 0, 0, 0, 0);
}

static void commit_via(struct seed *s, unsigned route, unsigned extra, unsigned which, unsigned plan)
{
	b8(s, TF_COMMIT);
	route_to(s, route, extra);
	b8(s, which);
	b8(s, plan);
}

static void commit(struct seed *s, unsigned route, unsigned which, unsigned plan)
{
	commit_via(s, route, 0, which, plan);
}

static void commit_newest(struct seed *s)
{
	commit(s, 0, 0, 0);
}

/* A platform failure armed for one message: call, and the nth such call. */
static unsigned fault(enum fake_call call, unsigned nth)
{
	return (unsigned)call | (nth - 1) << 4;
}

static void op(struct seed *s, enum tf_op o)
{
	b8(s, o);
}

static void ok_plain(struct seed *s)
{
	begin(s, plain);
	all(s);
	commit_newest(s);
}

static void ok_pieces(struct seed *s)
{
	begin(s, plain);
	for (unsigned i = 0; i < 3; i++)
		chunk(s, 0, 0, 16, 0); /* 128 bytes at a time */
	commit_newest(s);
	begin(s, plain);
	for (unsigned i = 0; i < 11; i++)
		chunk(s, 0, 0, 4, 0); /* 32 */
	commit_newest(s);
}

/* Junk before each segment and after the last; all of it must be zeroed. */
static void ok_junk(struct seed *s)
{
	begin(s, (struct recipe){ { R0_HELPER, 0xf4, 16, 20 } });
	all(s);
	commit_newest(s);
	begin(s, (struct recipe){ { R0_TWO, 0x53, 40, 63 } });
	chunk(s, 0, 0, 10, 0);
	all(s);
	commit_newest(s);
}

/* The text segment covers the headers (junk before the table included). */
static void ok_covers(struct seed *s)
{
	begin(s, (struct recipe){ { R0_FOUR_PAD, 0x12, 20, 0x40 | 8 } });
	all(s);
	commit_newest(s);
}

static void ok_bss(struct seed *s)
{
	begin(s, (struct recipe){ { R0_FOUR, 0x21, 16, 0x80 | 3 } });
	all(s);
	commit_newest(s);
}

static void ok_eight(struct seed *s)
{
	begin(s, (struct recipe){ { R0_EIGHT, 0xa2, 60, 6 } });
	all(s);
	commit_newest(s);
}

/* More than one PROCD_CHUNK_MAX of text: two full chunks. */
static void ok_big(struct seed *s)
{
	begin(s, (struct recipe){ { R0_HELPER, 0, 0x80 | 79, 1 } });
	all(s);
	all(s);
	commit_newest(s);
}

/* A second BEGIN for the role supersedes the first: its chunks and
 * commit are stale; the new one completes. */
static void stale_superseded(struct seed *s)
{
	begin(s, plain);
	chunk(s, 0, 0, 8, 0);
	begin(s, plain);
	chunk(s, 0, 1, 8, 0);
	commit(s, 0, 1, 0);
	all(s);
	commit_newest(s);
	chunk(s, 0, 0, 1, 0); /* after commit */
	commit_newest(s);
}

/* Out of order, overlapping, oversized, lying about its length, a gap;
 * then the right chunks still complete the transfer. */
static void bad_chunks(struct seed *s)
{
	begin(s, plain);
	chunk(s, 0, 0, 8, 1);
	b8(s, 8); /* offset + 8: a gap */
	chunk(s, 0, 0, 8, 0);
	chunk(s, 0, 0, 8, 3); /* back by 64: overlaps */
	chunk(s, 0, 0, 255, 0); /* PROCD_CHUNK_MAX + 1 */
	chunk(s, 0, 0, 4, 3 << 2);
	b8(s, 0xff); /* length field one short */
	chunk(s, 0, 0, 200, 0);
	b16(s, 4000); /* past the declared size */
	commit_newest(s); /* not all bytes yet */
	all(s);
	chunk(s, 0, 0, 1, 0); /* nothing left */
	commit_newest(s);
}

/* Plans that are not the image's: each refused, each transfer taken back. */
static void bad_plans(struct seed *s)
{
	static const uint8_t changes[][3] = {
		{ 1, 0 << 3 | 1, 0x10 }, /* segment 1 offset */
		{ 1, 1 << 3 | 0, 0x01 }, /* segment 0 vaddr */
		{ 1, 2 << 3 | 2, 0x04 }, /* segment 2 filesz */
		{ 1, 3 << 3 | 2, 0x10 }, /* segment 2 memsz */
		{ 1, 4 << 3 | 0, 0x02 }, /* segment 0 flags: W */
		{ 2, 2, 0 },             /* nsegments */
		{ 3, 1, 0 },             /* a reserved field */
		{ 4, 5, 0 },             /* a segment past nsegments */
	};

	for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
		begin(s, plain);
		all(s);
		commit(s, 0, 0, changes[i][0]);
		b8(s, changes[i][1]);
		if (changes[i][0] == 1)
			b8(s, changes[i][2]);
	}
	/* BEGIN's own declarations against the image's. */
	begin_as(s, 0, TF_ROLE_PHASE0_EXIT, plain, 2u << 2); /* one segment more */
	all(s);
	commit_newest(s);
	begin_as(s, 0, TF_ROLE_PHASE0_EXIT, plain, 1u << 4); /* entry + 4 */
	b8(s, 4);
	all(s);
	commit_newest(s);
	begin_as(s, 0, TF_ROLE_PHASE0_EXIT, plain, 1u); /* size - 1 */
	b8(s, 0xff);
	all(s);
	commit_newest(s);
}

/* Images breaking one rule each, with their own plans: refused. */
static void bad_images(struct seed *s)
{
	for (unsigned rule = 0; rule < 4; rule++) {
		begin(s, (struct recipe){ { R0_FOUR, 0, (uint8_t)(16 + rule), 0xc0 } });
		all(s);
		commit_newest(s);
	}
	/* Garbage where the image should be. */
	begin(s, plain);
	chunk(s, 0, 0, 2, 2 << 2);
	for (unsigned i = 0; i < 16; i++)
		b8(s, 0x41 + i);
	all(s);
	commit_newest(s);
	begin(s, plain);
	chunk(s, 0, 0, 0, 1 << 2);
	b16(s, 3);
	b8(s, 0x20);
	commit_newest(s);
}

/* Roles procd must not materialize, sizes and counts it must refuse. */
static void denied_roles(struct seed *s)
{
	begin_as(s, 0, TF_ROLE_TIMED, plain, 0);
	begin_as(s, 0, TF_ROLE_DRV_SERIAL, plain, 0);
	begin_as(s, 0, TF_ROLE_LOADERD, plain, 0);
	begin_as(s, 0, TF_ROLE_UNKNOWN, plain, 0);
	begin_as(s, 0, TF_ROLE_TIME_CLIENT, plain, 0); /* allowed: a helper */
	begin_as(s, 0, 0x0103, plain, 0); /* phase0-isolation-b, by its id */
	begin_as(s, 0, TF_ROLE_PHASE0_EXIT, plain, 3);     /* size 0 */
	begin_as(s, 0, TF_ROLE_PHASE0_EXIT, plain, 3 << 2); /* no segments */
	begin_as(s, 0, TF_ROLE_PHASE0_EXIT, plain, 1 << 2); /* nine */
	b8(s, 9);
	begin_as(s, 0, TF_ROLE_PHASE0_EXIT, plain, 2); /* more than an image may hold */
	for (unsigned i = 0; i < 8; i++)
		b8(s, i == 3 ? 0x04 : i == 0 ? 1 : 0);
	op(s, TF_RAW);
	b8(s, 0);
	b8(s, TF_RAW_LAUNCH);
	b16(s, 8);
	for (unsigned i = 0; i < 8; i++)
		b8(s, 0);
}

/* Transfer requests from rootd, on the driver endpoint, with a capability
 * attached, truncated or with a damaged header: refused, nothing changed. */
static void denied_routes(struct seed *s)
{
	begin_as(s, TF_FROM_ROOTD, TF_ROLE_PHASE0_EXIT, plain, 0);
	begin_as(s, TF_FROM_DRIVER, TF_ROLE_PHASE0_EXIT, plain, 0);
	begin_as(s, TF_WITH_CAP, TF_ROLE_PHASE0_EXIT, plain, 0);
	begin_as(s, TF_WITH_CAP | TF_CAP_IMAGE, TF_ROLE_PHASE0_EXIT, plain, 0);
	begin_as(s, TF_TRUNCATED, TF_ROLE_PHASE0_EXIT, plain, 0);
	begin_via(s, TF_DAMAGED, 0xfc, TF_ROLE_PHASE0_EXIT, plain, 0); /* length field - 4 */
	begin_via(s, TF_DAMAGED, 0, TF_ROLE_PHASE0_EXIT, plain, 0);    /* status field set */
	begin(s, plain);
	chunk(s, TF_FROM_ROOTD, 0, 0, 0);
	chunk(s, TF_WITH_CAP, 0, 0, 0);
	all(s);
	commit(s, TF_WITH_CAP | TF_CAP_IMAGE, 0, 0);
	commit(s, TF_FROM_ROOTD, 0, 0);
	commit(s, TF_TRUNCATED, 0, 0);
	commit_newest(s);
	op(s, TF_RAW);
	b8(s, 1);
	b8(s, TF_RAW_UNKNOWN);
	b16(s, 4);
	b16(s, 0);
	b16(s, 0);
}

/* loaderd dies mid-transfer (and is restarted): the transfer is
 * abandoned; its id is stale; a new one completes. */
static void loader_dies(struct seed *s)
{
	begin(s, plain);
	chunk(s, 0, 0, 8, 0);
	op(s, TF_LOADER_DIES);
	b8(s, 1); /* exit 1: restarted */
	chunk(s, 0, 0, 8, 0);
	begin(s, plain);
	all(s);
	op(s, TF_LOADER_DIES);
	b8(s, 0x80 | 9); /* killed: restarted after a backoff */
	op(s, TF_TIME_PASSES);
	b8(s, 127);
	commit_newest(s);
	begin(s, plain);
	all(s);
	commit_newest(s);
	op(s, TF_LOADER_DIES);
	b8(s, 0); /* exit 0: ended for good; late requests still arrive */
	begin(s, plain);
	all(s);
	commit_newest(s);
}

/* A transfer left idle is reclaimed; one that keeps moving is not. */
static void idle_reclaim(struct seed *s)
{
	begin(s, plain);
	chunk(s, 0, 0, 8, 0);
	op(s, TF_TIME_PASSES);
	b8(s, 0x80 | 63); /* just short of PROCD_TRANSFER_IDLE_MS */
	chunk(s, 0, 0, 8, 0);
	op(s, TF_TIME_PASSES);
	b8(s, 0x80 | 64); /* exactly PROCD_TRANSFER_IDLE_MS */
	chunk(s, 0, 0, 8, 0);
	commit_newest(s);
	begin(s, plain);
	op(s, TF_TIME_PASSES);
	b8(s, 0x80 | 65);
	all(s);
	begin(s, plain);
	all(s);
	commit_newest(s);
}

/* Four roles in transfer at once fill the table; a fifth is refused; a
 * second BEGIN for one of the four still supersedes it. */
static void no_space(struct seed *s)
{
	begin_as(s, 0, TF_ROLE_PHASE0_EXIT, plain, 0);
	begin_as(s, 0, TF_ROLE_PHASE0_FAULT_KILL, plain, 0);
	begin_as(s, 0, TF_ROLE_PHASE0_ISOLATION, plain, 0);
	begin_as(s, 0, TF_ROLE_TIME_CLIENT, plain, 0);
	begin_as(s, 0, 0x0103, plain, 0);
	begin_as(s, 0, TF_ROLE_PHASE0_FAULT_KILL, plain, 0);
	all(s);
	commit_newest(s);
	chunk(s, 0, 1, 0, 0);
	commit(s, 0, 1, 0);
}

/* A platform failure at each step of a transfer: each taken back whole. */
static void faults(struct seed *s)
{
	static const struct {
		enum fake_call call;
		unsigned nth;
	} at_commit[] = {
		{ FAKE_CALL_IMAGE_MAP, 1 },      { FAKE_CALL_ENDPOINT_PAIR, 1 }, { FAKE_CALL_ENDPOINT_PAIR, 2 },
		{ FAKE_CALL_WATCH, 1 },          { FAKE_CALL_WATCH, 2 },         { FAKE_CALL_IMAGE_ZERO, 1 },
		{ FAKE_CALL_IMAGE_ZERO, 2 },     { FAKE_CALL_IMAGE_TRIM, 1 },    { FAKE_CALL_IMAGE_SEAL, 1 },
		{ FAKE_CALL_PROCESS_START, 1 },  { FAKE_CALL_SEND, 1 },
	};
	static const struct recipe gaps = { { R0_HELPER, 0xf2, 16, 4 } };

	begin_via(s, TF_FAULT, fault(FAKE_CALL_IMAGE_CREATE, 1), TF_ROLE_PHASE0_EXIT, plain, 0);
	begin(s, plain);
	chunk_via(s, TF_FAULT, fault(FAKE_CALL_IMAGE_WRITE, 1), 0, 8, 0);
	chunk(s, 0, 0, 8, 0);
	for (size_t i = 0; i < sizeof at_commit / sizeof at_commit[0]; i++) {
		begin(s, gaps);
		all(s);
		commit_via(s, TF_FAULT, fault(at_commit[i].call, at_commit[i].nth), 0, 0);
	}
	begin(s, gaps);
	all(s);
	commit_newest(s);
}

/* Materialized children live like any other: they end, restart after a
 * fault (phase0-fault-kill restarts on failure), and are stopped. */
static void children(struct seed *s)
{
	begin_as(s, 0, TF_ROLE_PHASE0_FAULT_KILL, plain, 0);
	all(s);
	commit_newest(s);
	begin(s, (struct recipe){ { R0_TWO, 0x31, 16, 2 } });
	all(s);
	commit_newest(s);
	op(s, TF_CHILD_ENDS);
	b8(s, 0);
	b8(s, 0x80 | 11); /* SIGSEGV: restarted */
	op(s, TF_CHILD_ENDS);
	b8(s, 0);
	b8(s, 0x80 | 11);
	op(s, TF_TIME_PASSES);
	b8(s, 100);
	op(s, TF_CHILD_ENDS);
	b8(s, 1);
	b8(s, 0); /* phase0-exit exits 0: ended */
	for (unsigned what = 0; what < 8; what++) { /* loaderd has no say over them */
		op(s, TF_LOADER_ASKS);
		b8(s, what);
		b8(s, what);
	}
	op(s, TF_STOP_CHILD);
	b8(s, 1);
	op(s, TF_STOP_CHILD);
	b8(s, 0);
}

/* rootd replaces loaderd, or its alias hangs up, mid-transfer. */
static void loader_replaced(struct seed *s)
{
	begin(s, plain);
	chunk(s, 0, 0, 8, 0);
	op(s, TF_RESTAGE_LOADER);
	b8(s, 0);
	chunk(s, 0, 0, 8, 0);
	commit_newest(s);
	begin(s, plain);
	chunk(s, 0, 0, 8, 0);
	op(s, TF_LOADER_HANGS_UP);
	begin(s, plain);
	op(s, TF_RESTAGE_LOADER);
	b8(s, 0);
	begin(s, plain);
	all(s);
	commit_newest(s);
}

/* Two loaderds at once: each may use only its own transfers; a BEGIN from
 * either supersedes the other's transfer for the same role. */
static void two_loaders(struct seed *s)
{
	begin(s, plain);
	chunk(s, 0, 0, 8, 0);
	op(s, TF_RESTAGE_LOADER);
	b8(s, 1); /* keep the first */
	chunk(s, 0, 0, 8, 0); /* from the new one: another's transfer */
	commit(s, 0, 0, 0);
	chunk(s, TF_FROM_OTHER_LOADER, 0, 0, 0); /* from the first: its own */
	begin_as(s, 0, TF_ROLE_PHASE0_FAULT_KILL, plain, 0);
	all(s);
	commit(s, TF_FROM_OTHER_LOADER, 0, 0); /* the new one's */
	commit(s, TF_FROM_OTHER_LOADER, 1, 0); /* its own */
	commit_newest(s);
	begin(s, plain);
	chunk(s, TF_FROM_OTHER_LOADER, 0, 8, 0);
	begin_as(s, TF_FROM_OTHER_LOADER, TF_ROLE_PHASE0_EXIT, plain, 0); /* supersedes */
	chunk(s, 0, 1, 0, 0);
	op(s, TF_RESTAGE_LOADER);
	b8(s, 1); /* the first is stopped now, the second kept */
	chunk(s, TF_FROM_OTHER_LOADER, 0, 0, 0);
	commit(s, TF_FROM_OTHER_LOADER, 0, 0);
}

/* Raw bodies under the transfer ops, from loaderd. */
static void raw(struct seed *s)
{
	static const uint8_t body[] = { 0x00, 0x01, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00,
					0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00 };

	op(s, TF_RAW);
	b8(s, 0);
	b8(s, TF_RAW_BEGIN);
	b16(s, sizeof body);
	for (size_t i = 0; i < sizeof body; i++)
		b8(s, body[i]);
	op(s, TF_RAW);
	b8(s, 0);
	b8(s, TF_RAW_CHUNK);
	b16(s, 20);
	b8(s, 1); /* the first id procd issues */
	for (unsigned i = 1; i < 4; i++)
		b8(s, 0);
	b8(s, 4);
	for (unsigned i = 5; i < 16; i++)
		b8(s, 0);
	for (unsigned i = 0; i < 4; i++)
		b8(s, 0x7f);
	op(s, TF_RAW);
	b8(s, 0);
	b8(s, TF_RAW_COMMIT);
	b16(s, 12);
	b8(s, 1);
}

/*
 * A regression seed for a finding of this fuzzer: junk between the ELF
 * header and a program header table at e_phoff 80 was once kept in the
 * image procd seals and starts; core/transfer.c now zeroes it.
 */
static void regress_phdr_gap(struct seed *s)
{
	begin(s, (struct recipe){ { R0_FOUR_PAD, 0, 16, 0 } });
	all(s);
	commit_newest(s);
}

static const struct {
	const char *name;
	void (*make)(struct seed *s);
} seeds[] = {
	{ "ok-plain", ok_plain },
	{ "ok-pieces", ok_pieces },
	{ "ok-junk", ok_junk },
	{ "ok-covers", ok_covers },
	{ "ok-bss", ok_bss },
	{ "ok-eight", ok_eight },
	{ "ok-big", ok_big },
	{ "stale-superseded", stale_superseded },
	{ "bad-chunks", bad_chunks },
	{ "bad-plans", bad_plans },
	{ "bad-images", bad_images },
	{ "denied-roles", denied_roles },
	{ "denied-routes", denied_routes },
	{ "loader-dies", loader_dies },
	{ "loader-replaced", loader_replaced },
	{ "idle-reclaim", idle_reclaim },
	{ "no-space", no_space },
	{ "faults", faults },
	{ "children", children },
	{ "two-loaders", two_loaders },
	{ "raw", raw },
	{ "regress-phdr-gap", regress_phdr_gap },
};

int main(int argc, char **argv)
{
	unsigned n = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: mkcorpus-transfer DIR\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
		struct seed s = { .len = 0 };
		char path[4096];
		FILE *f;
		int ok;

		seeds[i].make(&s);
		if (s.len == sizeof s.b || snprintf(path, sizeof path, "%s/%s", argv[1], seeds[i].name) >= (int)sizeof path ||
		    !(f = fopen(path, "wb"))) {
			fprintf(stderr, "mkcorpus-transfer: cannot write %s into %s\n", seeds[i].name, argv[1]);
			return 1;
		}
		ok = fwrite(s.b, 1, s.len, f) == s.len;
		if (fclose(f) != 0 || !ok) {
			fprintf(stderr, "mkcorpus-transfer: cannot write %s into %s\n", seeds[i].name, argv[1]);
			return 1;
		}
		n++;
	}
	printf("mkcorpus-transfer: %u files in %s\n", n, argv[1]);
	return 0;
}
