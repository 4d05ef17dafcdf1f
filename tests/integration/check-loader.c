/* SPDX-License-Identifier: ISC */
/*
 * Loader image transfer with real processes. The test speaks as loaderd
 * through the relay (procd minted loaderd's bootstrap alias; the relay
 * forwards), or runs the loaderd stand-in itself, and checks what users
 * rely on: an image from disk runs as a child holding exactly its policy's
 * descriptors; every malformed transfer or image is refused with nothing
 * left behind; loaderd gets no authority over anything.
 *
 * With LOADER_FAULT=<point> (a procd built with --enable-fault-injection,
 * see tests/build/loader-faults.sh) it checks instead that a failure after
 * that step of materialization leaves procd exactly as before.
 */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/proto.h"
#include "tests/integration/rig.h"

static struct rig r;
static int loaderd; /* the test's line to loaderd (through the relay) */
static uint32_t loaderd_pid;

/* procd holds no image memory (memfd) at all. */
static int procd_memfds(void)
{
	char dir[64], link[512], target[256];
	DIR *d;
	struct dirent *de;
	int n = 0;

	snprintf(dir, sizeof dir, "/proc/%d/fd", (int)r.procd);
	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		ssize_t len;

		snprintf(link, sizeof link, "%s/%s", dir, de->d_name);
		len = readlink(link, target, sizeof target - 1);
		if (len > 0) {
			target[len] = '\0';
			n += strstr(target, "memfd:procd-image") != NULL;
		}
	}
	closedir(d);
	return n;
}

/* Launches procd, then stages and starts loaderd (the relay) with procd's
 * bootstrap alias minted for it. */
static void up_with(char *const env[])
{
	int grant;
	pid_t known[8];

	rig_up_with(&r, "tests/integration/relay", env);
	ck_assert_int_eq(rig_create(r.ep, ROLE_LOADERD, &loaderd_pid, &loaderd, &grant), PROCD_OK);
	ck_assert_int_eq(boot_install(grant, SLOT_PROCD_ENDPOINT, -1), PROCD_OK);
	close(grant);
	ck_assert_int_eq(rig_start(&r, r.ep, loaderd_pid, "loaderd"), PROCD_OK);
	ck_assert_int_gt(new_child(r.procd, known, 0), 0);
}

static void up(void) { up_with(NULL); }

/* An image file's bytes. */
struct image {
	unsigned char *bytes;
	size_t size;
	uint64_t entry;
	uint32_t nseg;
	struct procd_msg_segment seg[PROCD_LOADER_SEGMENTS_MAX];
};

static uint64_t le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void image_plan(struct image *im)
{
	uint64_t phoff = le(im->bytes + 32, 8), phnum = le(im->bytes + 56, 2);

	im->entry = le(im->bytes + 24, 8);
	im->nseg = 0;
	memset(im->seg, 0, sizeof im->seg);
	for (uint64_t i = 0; i < phnum; i++) {
		const unsigned char *ph = im->bytes + phoff + i * 56;
		struct procd_msg_segment *s = &im->seg[im->nseg];

		if (le(ph, 4) != 1)
			continue;
		*s = (struct procd_msg_segment){ le(ph + 8, 8), le(ph + 16, 8), le(ph + 32, 8), le(ph + 40, 8),
						 (uint32_t)le(ph + 4, 4), 0 };
		im->nseg++;
	}
}

static void load_file(struct image *im, const char *name)
{
	char path[4096];
	struct stat st;
	int fd;

	snprintf(path, sizeof path, "%s/%s", getenv("abs_top_builddir"), name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "%s", path);
	ck_assert_int_eq(fstat(fd, &st), 0);
	im->size = (size_t)st.st_size;
	im->bytes = malloc(im->size);
	ck_assert_int_eq(read(fd, im->bytes, im->size), (ssize_t)im->size);
	close(fd);
	image_plan(im);
}

static int64_t begin(uint32_t role, const struct image *im, uint32_t *id)
{
	struct procd_msg_transfer_begin b = { role, im->nseg, im->size, im->entry };
	struct procd_msg_transfer out;
	int64_t st = boot_call(loaderd, PROCD_OP_BEGIN_LOADER_IMAGE_TRANSFER, &b, sizeof b, &out, sizeof out,
			       NULL, 0, NULL);

	if (st == PROCD_OK)
		*id = out.transfer;
	return st;
}

static int64_t chunk(uint32_t id, uint64_t off, const void *bytes, uint32_t len)
{
	static unsigned char buf[sizeof(struct procd_msg_transfer_chunk) + PROCD_CHUNK_MAX];
	struct procd_msg_transfer_chunk c = { id, len, off };
	struct procd_msg_transfer out;

	memcpy(buf, &c, sizeof c);
	memcpy(buf + sizeof c, bytes, len);
	return boot_call(loaderd, PROCD_OP_SEND_LOADER_IMAGE_CHUNK, buf, sizeof c + len, &out, sizeof out,
			 NULL, 0, NULL);
}

static int64_t send_all(uint32_t id, const struct image *im)
{
	for (size_t off = 0; off < im->size; off += PROCD_CHUNK_MAX) {
		uint32_t n = im->size - off > PROCD_CHUNK_MAX ? PROCD_CHUNK_MAX : (uint32_t)(im->size - off);
		int64_t st = chunk(id, off, im->bytes + off, n);

		if (st != PROCD_OK)
			return st;
	}
	return PROCD_OK;
}

static int64_t commit(uint32_t id, const struct image *im, uint32_t *pid)
{
	struct procd_msg_transfer_commit c;
	struct procd_msg_pid out;
	int64_t st;

	memset(&c, 0, sizeof c);
	c.transfer = id;
	c.nsegments = im->nseg;
	memcpy(c.seg, im->seg, sizeof im->seg);
	st = boot_call(loaderd, PROCD_OP_COMMIT_LOADER_IMAGE_TRANSFER, &c, sizeof c, &out, sizeof out, NULL, 0,
		       NULL);
	if (st == PROCD_OK)
		*pid = out.pid;
	return st;
}

static int64_t transfer(uint32_t role, const struct image *im, uint32_t *pid)
{
	uint32_t id;
	int64_t st = begin(role, im, &id);

	if (st == PROCD_OK)
		st = send_all(id, im);
	if (st == PROCD_OK)
		st = commit(id, im, pid);
	return st;
}

/* ------------------------------------------------------------- happy path */

/* procd up, and helpers/phase0-exit transferred by the test's loaderd and
 * started: its process, and its procd id in *pid. */
static pid_t up_with_loaded_child(struct image *im, uint32_t *pid)
{
	pid_t known[8], child;
	size_t nknown;

	up();
	load_file(im, "helpers/phase0-exit");
	nknown = boot_children_of(r.procd, known, 8);
	ck_assert_int_eq(transfer(ROLE_PHASE0_EXIT, im, pid), PROCD_OK);
	child = new_child(r.procd, known, nknown);
	ck_assert_int_gt(child, 0);
	return child;
}

/* rootd stops the loaded child: it is gone, and procd holds no image
 * memory for it any more. Then procd goes down. */
static void down_with_loaded_child(struct image *im, uint32_t pid, pid_t child)
{
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_STOP_PROCESS, pid), PROCD_OK);
	ck_assert(process_gone(child));
	ck_assert_int_eq(procd_memfds(), 0);
	free(im->bytes);
	rig_down(&r);
}

START_TEST(an_image_from_disk_runs_holding_exactly_its_policy)
{
	static const int want[] = { 0, 1, 2, SLOT_SELF_ENDPOINT };
	struct image im;
	struct procd_msg_info info;
	uint32_t pid;
	pid_t child = up_with_loaded_child(&im, &pid);

	rig_assert_fds(child, want, 4);
	ck_assert_int_eq(nofile_limit(child), PROCD_WINDOW_SERVICE);
	/* Tracked like any child, managed by rootd; procd alone holds its
	 * image memory, sealed. */
	ck_assert_int_eq(rig_query(r.ep, pid, &info), PROCD_OK);
	ck_assert_uint_eq(info.state, PROCD_STATE_RUNNING);
	ck_assert_uint_eq(info.role, ROLE_PHASE0_EXIT);
	ck_assert_int_eq(procd_memfds(), 1);
	/* loaderd may not manage what it loaded. */
	ck_assert_int_eq(rig_pid_op(loaderd, PROCD_OP_STOP_PROCESS, pid), PROCD_E_DENIED);
	down_with_loaded_child(&im, pid, child);
}
END_TEST

/* Whether /proc/PID/<name> (cmdline, environ) holds no string but empty
 * ones: an empty argv reads as one empty argv[0], which Linux has supplied
 * since 5.18. */
static int proc_strings_empty(pid_t pid, const char *name)
{
	char path[64], buf[256];
	size_t total = 0;
	int empty = 1;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "%s", path);
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			empty &= buf[i] == '\0';
		total += (size_t)n;
	}
	ck_assert_int_eq(n, 0);
	close(fd);
	return empty && total <= 1;
}

START_TEST(a_loaded_child_starts_bare_and_restarts_from_its_sealed_image)
{
	static const int want[] = { 0, 1, 2, SLOT_SELF_ENDPOINT };
	struct procd_msg_restart rp = { .policy = PROCD_RESTART_ON_FAILURE, .max_restarts = 5,
					.window_ms = 60000, .backoff_min_ms = 20, .backoff_max_ms = 100 };
	struct procd_msg_info info;
	struct image im;
	uint32_t pid, seq = 0;
	pid_t first = up_with_loaded_child(&im, &pid), known[8], second;
	size_t nknown;

	/* Deterministic: no arguments, no environment, nothing of procd's. */
	ck_assert_msg(proc_strings_empty(first, "cmdline"), "the child has arguments");
	ck_assert_msg(proc_strings_empty(first, "environ"), "the child has an environment");
	/* rootd manages it like any child: a restart policy, then a kill. */
	ck_assert_int_eq(rig_set_restart(r.ep, pid, &rp), PROCD_OK);
	nknown = boot_children_of(r.procd, known, 8);
	ck_assert_int_eq(kill(first, SIGKILL), 0);
	ck_assert_int_eq(rig_wait_for(r.ep, pid, PROCD_EVENT_RESTARTED, &seq), 1);
	second = new_child(r.procd, known, nknown);
	ck_assert_int_gt(second, 0);
	rig_assert_fds(second, want, 4);
	ck_assert_msg(proc_strings_empty(second, "environ"), "the restarted child has an environment");
	/* From the same sealed image: no new image memory, and loaderd had no
	 * part in it. */
	ck_assert_int_eq(procd_memfds(), 1);
	ck_assert_int_eq(rig_query(r.ep, pid, &info), PROCD_OK);
	ck_assert_uint_eq(info.state, PROCD_STATE_RUNNING);
	ck_assert_uint_eq(info.restarts, 1);
	down_with_loaded_child(&im, pid, second);
}
END_TEST

/* Whether process pid maps a file whose path ends in `name`. */
static int maps_file(pid_t pid, const char *name)
{
	char path[64], line[4096];
	size_t n = strlen(name);
	int found = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (!found && fgets(line, sizeof line, f)) {
		size_t len = strcspn(line, "\n");

		found = len >= n && memcmp(line + len - n, name, n) == 0;
	}
	fclose(f);
	return found;
}

/* A file holding the first n bytes of the file at path. */
static int copy_of(const char *path, size_t n)
{
	static unsigned char buf[65536];
	int from = open(path, O_RDONLY | O_CLOEXEC), to = memfd_create("cut-short", MFD_CLOEXEC);

	ck_assert_int_ge(from, 0);
	ck_assert_int_ge(to, 0);
	ck_assert_uint_le(n, sizeof buf);
	ck_assert_int_eq(read(from, buf, n), (ssize_t)n);
	ck_assert_int_eq(write(to, buf, n), (ssize_t)n);
	close(from);
	return to;
}

START_TEST(the_loaderd_stand_in_loads_a_helper)
{
	char path[4096];
	struct helper_load_msg m = { { HELPER_OP_LOAD, sizeof m, 7, 0 }, ROLE_PHASE0_EXIT, 0 };
	struct { uint32_t pid, reserved; } rep;
	struct procd_msg_info info;
	uint32_t lpid;
	int alias, grant, file;
	pid_t known[8], child, stand_in;
	size_t nknown;

	rig_up_with(&r, "helpers/loaderd", NULL);
	ck_assert_int_eq(rig_create(r.ep, ROLE_LOADERD, &lpid, &alias, &grant), PROCD_OK);
	ck_assert_int_eq(boot_install(grant, SLOT_PROCD_ENDPOINT, -1), PROCD_OK);
	close(grant);
	nknown = boot_children_of(r.procd, known, 8);
	ck_assert_int_eq(rig_start(&r, r.ep, lpid, "loaderd"), PROCD_OK);
	stand_in = new_child(r.procd, known, nknown);
	ck_assert_int_gt(stand_in, 0);
	snprintf(path, sizeof path, "%s/helpers/phase0-exit", getenv("abs_top_builddir"));
	file = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(file, 0);
	nknown = boot_children_of(r.procd, known, 8);
	ck_assert_int_eq(boot_exchange(alias, &m, sizeof m, &file, 1, &rep, sizeof rep), PROCD_OK);
	close(file);
	child = new_child(r.procd, known, nknown);
	ck_assert_int_gt(child, 0);
	ck_assert_int_eq(rig_query(r.ep, rep.pid, &info), PROCD_OK);
	ck_assert_uint_eq(info.role, ROLE_PHASE0_EXIT);
	ck_assert_uint_eq(info.state, PROCD_STATE_RUNNING);
	/* loaderd keeps nothing of an image it sent: no view of the file, no
	 * descriptor for it (a long-lived loaderd would pin every file). */
	ck_assert_msg(!maps_file(stand_in, "/helpers/phase0-exit"), "loaderd still maps the image file");
	rig_assert_fds(stand_in, (const int[]){ 0, 1, 2, SLOT_SELF_ENDPOINT, SLOT_PROCD_ENDPOINT }, 5);
	/* Not a role that may run from transferred bytes: refused. */
	m.role = ROLE_TIMED;
	file = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_eq(boot_exchange(alias, &m, sizeof m, &file, 1, &rep, sizeof rep), PROCD_E_DENIED);
	close(file);
	/* A file cut short inside a loaded segment is refused, and leaves
	 * procd holding only the running child's image. */
	m.role = ROLE_PHASE0_EXIT;
	file = copy_of(path, 0x1800);
	ck_assert_int_eq(boot_exchange(alias, &m, sizeof m, &file, 1, &rep, sizeof rep), PROCD_E_INVALID);
	close(file);
	ck_assert_int_eq(procd_memfds(), 1);
	/* A program header table said to lie where offset + size wraps
	 * around: refused as well, and loaderd lives on to answer. */
	file = copy_of(path, 0x1800);
	ck_assert_int_eq(pwrite(file, &(uint64_t){ UINT64_MAX - 7 }, 8, 32), 8); /* e_phoff */
	ck_assert_int_eq(boot_exchange(alias, &m, sizeof m, &file, 1, &rep, sizeof rep), PROCD_E_INVALID);
	close(file);
	/* loaderd keeps no plan between loads: after a file with a fourth
	 * PT_LOAD (its PT_GNU_STACK turned into one, refused by procd), the
	 * three-segment helper still loads. */
	m.role = ROLE_PHASE0_EXIT;
	{
		struct stat st;
		uint64_t phoff;
		uint32_t load = 1;

		ck_assert_int_eq(stat(path, &st), 0);
		file = copy_of(path, (size_t)st.st_size);
		ck_assert_int_eq(pread(file, &phoff, 8, 32), 8);
		ck_assert_int_eq(pwrite(file, &load, 4, (off_t)(phoff + 3 * 56)), 4);
	}
	ck_assert_int_eq(boot_exchange(alias, &m, sizeof m, &file, 1, &rep, sizeof rep), PROCD_E_INVALID);
	close(file);
	file = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_eq(boot_exchange(alias, &m, sizeof m, &file, 1, &rep, sizeof rep), PROCD_OK);
	close(file);
	m.role = ROLE_TIMED;
	file = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_eq(boot_exchange(alias, &m, sizeof m, &file, 1, &rep, sizeof rep), PROCD_E_DENIED);
	close(file);
	close(alias);
	rig_down(&r);
}
END_TEST

/* ------------------------------------------------------------ authority */

START_TEST(only_loaderd_on_the_bootstrap_endpoint_may_transfer)
{
	struct image im;
	struct procd_msg_transfer_begin b;
	struct procd_msg_transfer out;
	uint32_t id;

	up();
	load_file(&im, "helpers/phase0-exit");
	b = (struct procd_msg_transfer_begin){ ROLE_PHASE0_EXIT, im.nseg, im.size, im.entry };
	/* rootd is not loaderd, on either endpoint. */
	ck_assert_int_eq(boot_call(r.ep, PROCD_OP_BEGIN_LOADER_IMAGE_TRANSFER, &b, sizeof b, &out, sizeof out,
				   NULL, 0, NULL), PROCD_E_DENIED);
	ck_assert_int_eq(boot_call(r.drv, PROCD_OP_BEGIN_LOADER_IMAGE_TRANSFER, &b, sizeof b, &out, sizeof out,
				   NULL, 0, NULL), PROCD_E_DENIED);
	/* Roles whose policy does not allow loader launch, and drivers. */
	ck_assert_int_eq(begin(ROLE_TIMED, &im, &id), PROCD_E_DENIED);
	ck_assert_int_eq(begin(ROLE_DRV_SERIAL, &im, &id), PROCD_E_DENIED);
	ck_assert_int_eq(begin(0x7777, &im, &id), PROCD_E_NOT_FOUND);
	/* The legacy summary handoff stays denied. */
	struct procd_msg_pid p = { 1, 0 };
	ck_assert_int_eq(boot_call(loaderd, PROCD_OP_LAUNCH_LOADED_IMAGE, &p, sizeof p, NULL, 0, NULL, 0, NULL),
			 PROCD_E_DENIED);
	free(im.bytes);
	rig_down(&r);
}
END_TEST

START_TEST(a_transfer_carrying_any_capability_is_denied_and_dropped)
{
	struct image im;
	struct { struct procd_msg_header h; struct procd_msg_transfer_begin b; } msg;
	int sv[2], frame;
	size_t before;
	uint32_t id;

	up();
	load_file(&im, "helpers/phase0-exit");
	before = rig_procd_fds(&r);
	ck_assert_int_eq(boot_pair(sv), 0);
	frame = open("/dev/null", O_RDONLY | O_CLOEXEC);
	msg.h = (struct procd_msg_header){ PROCD_OP_BEGIN_LOADER_IMAGE_TRANSFER, sizeof msg, 1, 0 };
	msg.b = (struct procd_msg_transfer_begin){ ROLE_PHASE0_EXIT, im.nseg, im.size, im.entry };
	/* A "frame", a peer endpoint, an install grant: none is accepted. */
	ck_assert_int_eq(boot_call_raw(loaderd, &msg, sizeof msg, &frame, 1), PROCD_E_DENIED);
	ck_assert_int_eq(boot_call_raw(loaderd, &msg, sizeof msg, sv, 2), PROCD_E_DENIED);
	ck_assert_uint_eq(rig_procd_fds(&r), before);
	/* ... and on a chunk and a commit too. */
	ck_assert_int_eq(begin(ROLE_PHASE0_EXIT, &im, &id), PROCD_OK);
	struct { struct procd_msg_header h; struct procd_msg_transfer_chunk c; unsigned char b[8]; } ch =
		{ { PROCD_OP_SEND_LOADER_IMAGE_CHUNK, sizeof ch, 2, 0 }, { id, 8, 0 }, { 0 } };
	memcpy(ch.b, im.bytes, 8);
	ck_assert_int_eq(boot_call_raw(loaderd, &ch, sizeof ch, &frame, 1), PROCD_E_DENIED);
	ck_assert_int_eq(send_all(id, &im), PROCD_OK); /* the denied chunk changed nothing */
	close(frame);
	close(sv[0]);
	close(sv[1]);
	free(im.bytes);
	rig_down(&r);
}
END_TEST

/* ------------------------------------------------------------ the stream */

START_TEST(chunks_must_arrive_in_order_and_within_the_image)
{
	static unsigned char past_end[PROCD_CHUNK_MAX]; /* more than the image holds */
	struct image im;
	uint32_t id, pid;
	size_t before;

	up();
	load_file(&im, "helpers/phase0-exit");
	before = rig_procd_fds(&r);
	ck_assert_int_eq(begin(ROLE_PHASE0_EXIT, &im, &id), PROCD_OK);
	ck_assert_int_eq(chunk(id, 0, im.bytes, 100), PROCD_OK);
	ck_assert_int_eq(chunk(id, 200, im.bytes + 200, 100), PROCD_E_INVALID); /* a gap */
	ck_assert_int_eq(chunk(id, 50, im.bytes + 50, 100), PROCD_E_INVALID);   /* an overlap */
	ck_assert_uint_le(im.size, sizeof past_end);
	ck_assert_int_eq(chunk(id, 100, past_end, (uint32_t)im.size), PROCD_E_INVALID); /* past the end */
	ck_assert_int_eq(chunk(id + 1000, 100, im.bytes + 100, 10), PROCD_E_NOT_FOUND);
	/* A commit before every byte arrived. */
	ck_assert_int_eq(commit(id, &im, &pid), PROCD_E_INVALID);
	ck_assert_int_eq(chunk(id, 100, im.bytes + 100, (uint32_t)im.size - 100), PROCD_OK);
	ck_assert_int_eq(commit(id, &im, &pid), PROCD_OK);
	/* After the commit the transfer is gone: its id is stale. */
	ck_assert_int_eq(chunk(id, 0, im.bytes, 10), PROCD_E_STALE);
	ck_assert_int_eq(commit(id, &im, &pid), PROCD_E_STALE);
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_STOP_PROCESS, pid), PROCD_OK);
	ck_assert_uint_eq(rig_procd_fds(&r), before);
	free(im.bytes);
	rig_down(&r);
}
END_TEST

START_TEST(a_second_begin_for_a_role_supersedes_the_first)
{
	struct image im;
	uint32_t first, second, pid;
	size_t before;

	up();
	load_file(&im, "helpers/phase0-exit");
	before = rig_procd_fds(&r);
	ck_assert_int_eq(begin(ROLE_PHASE0_EXIT, &im, &first), PROCD_OK);
	ck_assert_int_eq(chunk(first, 0, im.bytes, 64), PROCD_OK);
	ck_assert_int_eq(begin(ROLE_PHASE0_EXIT, &im, &second), PROCD_OK);
	ck_assert_uint_ne(first, second);
	ck_assert_int_eq(chunk(first, 64, im.bytes + 64, 64), PROCD_E_STALE);
	ck_assert_int_eq(commit(first, &im, &pid), PROCD_E_STALE);
	ck_assert_int_eq(send_all(second, &im), PROCD_OK);
	ck_assert_int_eq(commit(second, &im, &pid), PROCD_OK);
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_STOP_PROCESS, pid), PROCD_OK);
	ck_assert_uint_eq(rig_procd_fds(&r), before);
	ck_assert_int_eq(procd_memfds(), 0);
	free(im.bytes);
	rig_down(&r);
}
END_TEST

START_TEST(a_transfer_abandoned_by_loaderd_is_reclaimed)
{
	struct image im;
	uint32_t id, seq = 0;
	size_t before;

	up();
	load_file(&im, "helpers/phase0-exit");
	before = rig_procd_fds(&r);
	ck_assert_int_eq(begin(ROLE_PHASE0_EXIT, &im, &id), PROCD_OK);
	ck_assert_int_eq(chunk(id, 0, im.bytes, 100), PROCD_OK);
	ck_assert_int_eq(procd_memfds(), 1);
	close(loaderd); /* the relay exits: loaderd is gone mid-transfer */
	ck_assert_int_eq(rig_wait_for(r.ep, loaderd_pid, PROCD_EVENT_EXITED, &seq), 0);
	ck_assert_int_eq(procd_memfds(), 0);
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_STOP_PROCESS, loaderd_pid), PROCD_OK);
	ck_assert_uint_le(rig_procd_fds(&r), before);
	free(im.bytes);
	rig_down(&r);
}
END_TEST

/* ------------------------------------------------------------- the image */

static void corrupt(struct image *im, void (*how)(struct image *))
{
	load_file(im, "helpers/phase0-exit");
	how(im);
}

static void exec_and_write(struct image *im)
{
	uint64_t phoff = le(im->bytes + 32, 8), phnum = le(im->bytes + 56, 2);

	for (uint64_t i = 0; i < phnum; i++) {
		unsigned char *ph = im->bytes + phoff + i * 56;

		if (le(ph, 4) == 1 && (ph[4] & 1))
			ph[4] |= 2; /* the code segment writable too */
	}
	image_plan(im);
}
static void bad_magic(struct image *im) { im->bytes[1] = 'X'; }
static void dynamic_type(struct image *im) { im->bytes[16] = 3; /* ET_DYN */ }
static void other_machine(struct image *im) { im->bytes[18] = 3; /* EM_386 */ }
static void entry_in_data(struct image *im)
{
	uint64_t e = im->seg[im->nseg - 1].vaddr;

	memcpy(im->bytes + 24, &e, 8);
	image_plan(im);
}
static void lying_plan(struct image *im) { im->seg[0].filesz -= 1; }
static void lying_entry(struct image *im) { im->entry += 1; }
static void truncated(struct image *im) { im->size = im->seg[im->nseg - 1].offset; }
static void no_stack_reserve(struct image *im)
{
	uint64_t phoff = le(im->bytes + 32, 8), phnum = le(im->bytes + 56, 2);

	for (uint64_t i = 0; i < phnum; i++) {
		unsigned char *ph = im->bytes + phoff + i * 56;

		if (le(ph + 16, 8) == im->seg[im->nseg - 1].vaddr && le(ph, 4) == 1) {
			uint64_t memsz = le(ph + 32, 8); /* memsz = filesz: no zero fill */

			memcpy(ph + 40, &memsz, 8);
		}
	}
	image_plan(im);
}

/* The final segment asks for 2^46 bytes of zero fill: inside the address
 * space, far past any image memory procd will build. */
static void huge_zero_fill(struct image *im)
{
	uint64_t phoff = le(im->bytes + 32, 8), phnum = le(im->bytes + 56, 2), memsz = (uint64_t)1 << 46;

	for (uint64_t i = 0; i < phnum; i++) {
		unsigned char *ph = im->bytes + phoff + i * 56;

		if (le(ph + 16, 8) == im->seg[im->nseg - 1].vaddr && le(ph, 4) == 1)
			memcpy(ph + 40, &memsz, 8);
	}
	image_plan(im);
}

static void (*const corruptions[])(struct image *) = {
	exec_and_write, bad_magic, dynamic_type, other_machine, entry_in_data,
	lying_plan, lying_entry, truncated, no_stack_reserve, huge_zero_fill,
};

START_TEST(a_malformed_image_or_plan_is_refused_and_leaves_nothing)
{
	struct image im;
	uint32_t pid;
	size_t before, nknown;
	pid_t known[8];

	up();
	before = rig_procd_fds(&r);
	nknown = boot_children_of(r.procd, known, 8);
	corrupt(&im, corruptions[_i]);
	ck_assert_int_eq(transfer(ROLE_PHASE0_EXIT, &im, &pid), PROCD_E_INVALID);
	ck_assert_uint_eq(boot_children_of(r.procd, known, 8), nknown);
	ck_assert_uint_eq(rig_procd_fds(&r), before);
	ck_assert_int_eq(procd_memfds(), 0);
	free(im.bytes);
	rig_down(&r);
}
END_TEST

/* ---------------------------------------------------------------- faults */

/* With a procd built with fault injection and LOADER_FAULT=<point>: the
 * materialization fails at that point and everything is as before. */
START_TEST(an_injected_failure_leaves_procd_as_before)
{
	const char *point = getenv("LOADER_FAULT");
	char env[128];
	char *envp[] = { env, NULL };
	struct image im;
	uint32_t pid, next;
	size_t before, nknown;
	pid_t known[8];
	int alias, grant;

	snprintf(env, sizeof env, "PROCD_FAULT=%s", point);
	up_with(envp);
	load_file(&im, "helpers/phase0-exit");
	before = rig_procd_fds(&r);
	nknown = boot_children_of(r.procd, known, 8);
	ck_assert_int_eq(transfer(ROLE_PHASE0_EXIT, &im, &pid), PROCD_E_IO);
	ck_assert_msg(rig_procd_fds(&r) == before, "%s: procd holds %zu descriptors, had %zu", point, rig_procd_fds(&r), before);
	ck_assert_int_eq(procd_memfds(), 0);
	ck_assert_msg(boot_children_of(r.procd, known, 8) == nknown, "%s: a child was left behind", point);
	/* The process table is as before: the entry a failed child took is
	 * free again (the next create takes it: loaderd holds the first)... */
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &next, &alias, &grant), PROCD_OK);
	ck_assert_uint_eq((next - 1) % PROCD_MAX_PROCESSES, 1);
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_ABORT_STAGED_PROCESS, next), PROCD_OK);
	close(alias);
	close(grant);
	/* ... and the transfer slots are free: the same image loads now. */
	ck_assert_int_eq(transfer(ROLE_PHASE0_EXIT, &im, &pid), PROCD_OK);
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_STOP_PROCESS, pid), PROCD_OK);
	free(im.bytes);
	rig_down(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("loader");
	TCase *tc = tcase_create("transfer");

	tcase_set_timeout(tc, 30);
	if (getenv("LOADER_FAULT")) {
		tcase_add_test(tc, an_injected_failure_leaves_procd_as_before);
	} else {
		tcase_add_test(tc, an_image_from_disk_runs_holding_exactly_its_policy);
		tcase_add_test(tc, a_loaded_child_starts_bare_and_restarts_from_its_sealed_image);
		tcase_add_test(tc, the_loaderd_stand_in_loads_a_helper);
		tcase_add_test(tc, only_loaderd_on_the_bootstrap_endpoint_may_transfer);
		tcase_add_test(tc, a_transfer_carrying_any_capability_is_denied_and_dropped);
		tcase_add_test(tc, chunks_must_arrive_in_order_and_within_the_image);
		tcase_add_test(tc, a_second_begin_for_a_role_supersedes_the_first);
		tcase_add_test(tc, a_transfer_abandoned_by_loaderd_is_reclaimed);
		tcase_add_loop_test(tc, a_malformed_image_or_plan_is_refused_and_leaves_nothing, 0,
				    (int)(sizeof corruptions / sizeof corruptions[0]));
	}
	suite_add_tcase(s, tc);
	return rig_run(s);
}
