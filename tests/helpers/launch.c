/* SPDX-License-Identifier: ISC */
/*
 * helper-launch: start one helper program the way procd's linux port does,
 * as a real process that holds exactly stdio and its granted slots (one end
 * of a socketpair placed at each slot number) with RLIMIT_NOFILE set to its
 * window; then play the peers at the far ends (procd, named, timed, irqd)
 * and check how the helper ends. It also plays procd for the peer-role
 * stand-ins: named's publications of logd and crashd (slot 17), deviced's
 * staging of drv-serial (slot 2112).
 *
 * usage: helper-launch [options] HELPER-PATH
 *   -x CODE    expect the helper to exit with CODE (default 0)
 *   -k SIG     expect it to be killed by SIG (a number, or SEGV, ILL, ...)
 *   -e CODE    (serving helpers) send HELPER_OP_EXIT{CODE} on its endpoint
 *   -E         (serving helpers) close the endpoint's far end (the default)
 *   -M         (serving helpers) send a message of the wrong length
 *   -C         (serving helpers) send EXIT with a capability attached
 *   -w TEXT    before acting, wait until the helper has said TEXT on stderr
 *   -p         before acting, check /proc/PID/fd and /proc/PID/limits: the
 *              helper holds exactly stdio and its slots, within its window
 *   -s STATUS  answer LOOKUP, TIME or IRQ, named's PUBLISH or deviced's
 *              CREATE with STATUS (default 0)
 *   -S STATUS  answer deviced's START with STATUS (default 0); when it is
 *              not 0, expect ABORT of the staged driver next
 *   -z         answer TIME with a time of 0
 *   -n         do not install the helper's extra slot (the first of them)
 *   -O SLOT    do not install SLOT (repeatable)
 *   -N         do not install its own endpoint, SLOT_SELF_ENDPOINT
 *   -l FD      also leave an open socket at FD in the helper (repeatable)
 * Before acting, on the helper's own endpoint, in the order given:
 *   -L TEXT    send PROCD_PEER_LOG with TEXT (logd)
 *   -c K:CODE  send PROCD_PEER_CRASH of pid 7, role timed, kind K (f:
 *              faulted, k: killed, anything else: an unknown kind), code
 *   -q NAME    send LOOKUP of NAME (at most 32 bytes, NUL-padded) and read
 *              the reply (named)
 *   -r         send REPUBLISH, then serve named's publications again
 *
 * The helper's stderr comes through a pipe and is copied to ours, so a test
 * can look for its messages. Exit status: 0 when the helper behaved as
 * expected, 1 when it did not, 2 on a usage error, 77 when this machine
 * cannot run the test (descriptor limit too low).
 *
 * Everything the launcher opens is close-on-exec, and the child marks every
 * descriptor it did not place close-on-exec as well, so nothing of the
 * launcher (nor of whoever started it) reaches the helper.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2, close_range, strsignal */
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers/proto.h"
#include "tools/fd_pass.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1u << 2)
#endif

enum kind {
	SERVE,  /* waits on its endpoint for EXIT */
	FAULT,  /* crashes */
	PROBE,  /* notifies on SLOT_PROBE_NOTIFY */
	LOOKUP, /* asks named */
	TIME,   /* asks the kernel time endpoint */
	IRQ,    /* asks the kernel IRQ endpoint */
	NAMED,  /* publishes to procd on slot 17, then serves its endpoint */
	DEVICED, /* stages drv-serial through slot 2112, then serves */
};

#define MAX_SLOTS 4

struct helper {
	const char *name;
	enum kind kind;
	unsigned window;
	/* The slots granted beside SLOT_SELF_ENDPOINT, 0 ending the list;
	 * slots[0] is the one the helper needs, which -n leaves out. */
	unsigned slots[MAX_SLOTS];
};

/* Windows and slots as policies/helpers.c grants them; for the peer-role
 * stand-ins, as policies/foundation.c, deviced.c and timed.c do (service
 * gets a timed-like grant: it reports whatever it holds). */
static const struct helper helpers[] = {
	{ "phase0-exit",          SERVE,  PROCD_WINDOW_SERVICE, { 0 } },
	{ "phase0-fault-kill",    FAULT,  PROCD_WINDOW_SERVICE, { 0 } },
	{ "phase0-isolation-a",   SERVE,  PROCD_WINDOW_SERVICE, { 0 } },
	{ "phase0-isolation-b",   SERVE,  PROCD_WINDOW_SERVICE, { 0 } },
	{ "phase0-probe",         PROBE,  PROCD_WINDOW_SERVICE, { SLOT_PROBE_NOTIFY } },
	{ "phase1-lookup-client", LOOKUP, PROCD_WINDOW_SERVICE, { SLOT_NAMED_ENDPOINT } },
	{ "phase1-time-client",   TIME,
	  PROCD_WINDOW_THROUGH(SLOT_KERNEL_TIME_ENDPOINT), { SLOT_KERNEL_TIME_ENDPOINT } },
	{ "phase2-irq-client",    IRQ,
	  PROCD_WINDOW_THROUGH(SLOT_KERNEL_IRQ_ENDPOINT), { SLOT_KERNEL_IRQ_ENDPOINT } },
	{ "service",              SERVE,
	  PROCD_WINDOW_THROUGH(SLOT_KERNEL_TIME_ENDPOINT),
	  { SLOT_NAMED_ENDPOINT, SLOT_LOGD_ENDPOINT, SLOT_CRASHD_ENDPOINT, SLOT_KERNEL_TIME_ENDPOINT } },
	{ "logd",                 SERVE,  PROCD_WINDOW_SERVICE, { SLOT_NAMED_ENDPOINT } },
	{ "crashd",               SERVE,  PROCD_WINDOW_SERVICE, { SLOT_NAMED_ENDPOINT, SLOT_LOGD_ENDPOINT } },
	{ "named",                NAMED,  PROCD_WINDOW_SERVICE,
	  { SLOT_PROCD_ENDPOINT, SLOT_LOGD_ENDPOINT, SLOT_CRASHD_ENDPOINT } },
	{ "deviced",              DEVICED,
	  PROCD_WINDOW_THROUGH(SLOT_KERNEL_LOG_ENDPOINT), { SLOT_PROCD_DRIVER_ENDPOINT, SLOT_KERNEL_LOG_ENDPOINT } },
};

/* What named publishes: the slot it holds the endpoint at, as which role. */
static const struct {
	unsigned slot;
	uint32_t role;
} published[] = {
	{ SLOT_LOGD_ENDPOINT, ROLE_LOGD },
	{ SLOT_CRASHD_ENDPOINT, ROLE_CRASHD },
};

/* deviced's driver, as the launcher (playing procd) numbers it. */
#define DRIVER_PID 5u

/* The messages sent on the helper's endpoint before the action. */
struct step {
	int opt; /* 'L', 'c', 'q' or 'r' */
	const char *arg;
};

#define MAX_STEPS 16

enum action { ACT_EOF, ACT_EXIT, ACT_MALFORMED, ACT_CAPABILITY };

#define MAX_PLACED 16 /* stdio, the slots, the leaks */
#define MAX_LEAKS 8
#define STDERR_KEEP 65536

/* One descriptor the child gets: src (in the launcher) placed at dst. */
struct placed {
	int dst;
	int src;  /* the child's end, lifted above every dst */
	int peer; /* the launcher's end, or -1 */
	dev_t dev; /* what src is, to recognise it when it comes back */
	ino_t ino;
};

static const char *name = "helper-launch";
static pid_t child = -1;

static struct placed placed[MAX_PLACED];
static size_t nplaced;

static int err_fd = -1; /* read end of the helper's stderr */
static char said[STDERR_KEEP + 1];
static size_t said_len;

static _Noreturn void failx(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static _Noreturn void failx(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "helper-launch: %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (child > 0)
		kill(child, SIGKILL);
	exit(status);
}

#define fail(...) failx(1, __VA_ARGS__)

static void on_alarm(int sig)
{
	static const char msg[] = "helper-launch: timed out; killing the helper\n";

	(void)sig;
	if (child > 0)
		kill(child, SIGKILL);
	if (write(2, msg, sizeof msg - 1) < 0)
		_exit(2);
	_exit(1);
}

static int number(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		failx(2, "%s: '%s' is not a number from %ld to %ld", what, s, lo, hi);
	return (int)v;
}

static int signal_number(const char *s)
{
	static const struct { const char *name; int sig; } sigs[] = {
		{ "SEGV", SIGSEGV }, { "ILL", SIGILL }, { "BUS", SIGBUS },
		{ "ABRT", SIGABRT }, { "KILL", SIGKILL }, { "TRAP", SIGTRAP },
	};

	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (strcmp(s, sigs[i].name) == 0)
			return sigs[i].sig;
	return number(s, 1, 64, "-k");
}

/* Move fd to the lowest free number >= floor, close-on-exec. Every
 * descriptor the child places is lifted above all the slot numbers first, so
 * placing one can never overwrite another that is still to be placed. */
static int lift(int fd, int floor)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, floor);

	if (high < 0)
		fail("F_DUPFD_CLOEXEC to >= %d: %s", floor, strerror(errno));
	close(fd);
	return high;
}

static void place(int dst, int src, int peer)
{
	struct stat st;

	if (nplaced == MAX_PLACED)
		failx(2, "too many descriptors to place");
	if (fstat(src, &st) < 0)
		fail("fstat: %s", strerror(errno));
	placed[nplaced++] = (struct placed){ .dst = dst, .src = src, .peer = peer,
					     .dev = st.st_dev, .ino = st.st_ino };
}

/* What was placed at slot dst, or NULL. */
static const struct placed *placed_at(unsigned dst)
{
	for (size_t i = 0; i < nplaced; i++)
		if (placed[i].dst == (int)dst)
			return &placed[i];
	return NULL;
}

static int peer_of(unsigned dst)
{
	const struct placed *p = placed_at(dst);

	return p != NULL ? p->peer : -1;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* ------------------------------------------------------------- the child */

/* What the child reports on the status pipe when setting up fails. */
struct setup_error {
	int step; /* 1 dup2, 2 close-on-exec, 3 setrlimit, 4 execve */
	int err;
};

static _Noreturn void child_fail(int status_fd, int step)
{
	struct setup_error e = { step, errno };

	if (write(status_fd, &e, sizeof e) < 0)
		_exit(126);
	_exit(127);
}

/* Mark [lo, hi] close-on-exec; the loop is for kernels without
 * close_range(CLOSE_RANGE_CLOEXEC) (before 5.11). */
static int cloexec_range(unsigned lo, unsigned hi, unsigned limit)
{
	if (close_range(lo, hi, CLOSE_RANGE_CLOEXEC) == 0)
		return 0;
	if (errno != ENOSYS && errno != EINVAL)
		return -1;
	for (unsigned fd = lo; fd <= hi && fd < limit; fd++)
		(void)fcntl((int)fd, F_SETFD, FD_CLOEXEC);
	return 0;
}

static _Noreturn void child_run(const char *path, unsigned window, int status_fd)
{
	int dsts[MAX_PLACED];
	struct rlimit lim;
	unsigned lo = 0;

	/* dup2 gives the copy no close-on-exec flag: these stay. */
	for (size_t i = 0; i < nplaced; i++) {
		if (dup2(placed[i].src, placed[i].dst) < 0)
			child_fail(status_fd, 1);
		dsts[i] = placed[i].dst;
	}
	/* Everything else goes at exec, whatever it was inherited from. */
	qsort(dsts, nplaced, sizeof dsts[0], cmp_int);
	getrlimit(RLIMIT_NOFILE, &lim);
	for (size_t i = 0; i <= nplaced; i++) {
		unsigned hi = i < nplaced ? (unsigned)dsts[i] : ~0u;

		if (hi > lo && cloexec_range(lo, hi - 1, (unsigned)lim.rlim_cur) < 0)
			child_fail(status_fd, 2);
		if (i < nplaced)
			lo = (unsigned)dsts[i] + 1;
	}
	lim.rlim_cur = lim.rlim_max = window;
	if (setrlimit(RLIMIT_NOFILE, &lim) < 0)
		child_fail(status_fd, 3);

	char *const argv[] = { (char *)name, NULL };
	char *const envp[] = { NULL };
	execve(path, argv, envp);
	child_fail(status_fd, 4);
}

/* ----------------------------------------------------- the helper's stderr */

/* Copy what the helper has written to our stderr and keep it for -w.
 * Returns 0 at end of file. */
static int relay_once(void)
{
	char buf[4096];
	ssize_t n;

	do
		n = read(err_fd, buf, sizeof buf);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		fail("reading the helper's stderr: %s", strerror(errno));
	if (n > 0) {
		(void)fwrite(buf, 1, (size_t)n, stderr);
		size_t keep = (size_t)n < STDERR_KEEP - said_len ? (size_t)n : STDERR_KEEP - said_len;
		memcpy(said + said_len, buf, keep);
		said_len += keep;
		said[said_len] = '\0';
	}
	return n > 0;
}

static void wait_for_text(const char *text)
{
	while (strstr(said, text) == NULL)
		if (!relay_once())
			fail("the helper closed stderr without saying '%s'", text);
}

/* ------------------------------------------------------ /proc inspection */

/* The helper holds exactly the placed descriptors and, when extra is not
 * NULL, one more: the socket extra describes (one it was sent). */
static void check_fds(const struct stat *extra)
{
	int want[MAX_PLACED + 1], have[MAX_PLACED + 64];
	size_t nwant = 0, nhave = 0;
	char path[64];
	DIR *d;
	struct dirent *e;
	int extra_fd = -1;

	for (size_t i = 0; i < nplaced; i++)
		want[nwant++] = placed[i].dst;

	snprintf(path, sizeof path, "/proc/%d/fd", (int)child);
	if ((d = opendir(path)) == NULL)
		fail("%s: %s", path, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (nhave == sizeof have / sizeof have[0])
			fail("%s: more descriptors than it was given", path);
		have[nhave++] = atoi(e->d_name);
	}
	closedir(d);

	/* The extra one: the descriptor that is none of the placed ones and
	 * that names the socket sent. */
	if (extra != NULL) {
		for (size_t i = 0; i < nhave && extra_fd < 0; i++) {
			char link[96];
			struct stat st;

			if (placed_at((unsigned)have[i]) != NULL)
				continue;
			snprintf(link, sizeof link, "/proc/%d/fd/%d", (int)child, have[i]);
			if (stat(link, &st) == 0 && st.st_dev == extra->st_dev && st.st_ino == extra->st_ino)
				extra_fd = have[i];
		}
		if (extra_fd >= 0)
			want[nwant++] = extra_fd;
	}
	qsort(want, nwant, sizeof want[0], cmp_int);
	qsort(have, nhave, sizeof have[0], cmp_int);

	if (nhave != nwant || memcmp(have, want, nwant * sizeof want[0]) != 0 ||
	    (extra != NULL && extra_fd < 0)) {
		fprintf(stderr, "helper-launch: %s: descriptors wanted:", name);
		for (size_t i = 0; i < nwant; i++)
			fprintf(stderr, " %d", want[i]);
		if (extra != NULL && extra_fd < 0)
			fprintf(stderr, " and the socket it was sent");
		fprintf(stderr, "; held:");
		for (size_t i = 0; i < nhave; i++)
			fprintf(stderr, " %d", have[i]);
		fputc('\n', stderr);
		fail("the helper holds other descriptors than it was granted");
	}
}

static void check_proc(unsigned window)
{
	char path[64], line[256];
	FILE *f;
	int found = 0;

	check_fds(NULL);
	snprintf(path, sizeof path, "/proc/%d/limits", (int)child);
	if ((f = fopen(path, "re")) == NULL)
		fail("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof line, f) != NULL) {
		unsigned soft, hard;

		if (sscanf(line, "Max open files %u %u", &soft, &hard) == 2) {
			if (soft != window || hard != window)
				fail("window is %u/%u, expected %u", soft, hard, window);
			found = 1;
		}
	}
	fclose(f);
	if (!found)
		fail("%s has no 'Max open files' line", path);
	printf("%s: holds exactly %zu descriptors, window %u\n", name, nplaced, window);
}

/* ------------------------------------------------------------ the peers */

#define MAX_ATTACH 2

/* Send one record with nfds descriptors attached. */
static void send_record_fds(int fd, const void *buf, size_t len, const int *fds, size_t nfds)
{
	if (nfds > MAX_ATTACH)
		failx(2, "too many descriptors to attach");
	if (fd_pass_send(fd, buf, len, fds, nfds) != 0)
		fail("send: %s", strerror(errno));
}

static void send_record(int fd, const void *buf, size_t len, int attach)
{
	send_record_fds(fd, buf, len, &attach, attach >= 0 ? 1 : 0);
}

/* Receive one record and the descriptors that came with it, at most max:
 * any more (with max 0, any at all) are closed and the record refused. */
static size_t recv_record_fds(int fd, void *buf, size_t cap, const char *what, int *fds, size_t max,
			      size_t *nfds)
{
	int truncated;
	ssize_t n = fd_pass_receive(fd, buf, cap, fds, max, nfds, &truncated);

	if (n < 0)
		fail("waiting for %s: %s", what, strerror(errno));
	if (n == 0)
		fail("the helper closed its end without sending %s", what);
	if (truncated)
		fail("%s: oversized, or carried %scapabilities", what, max > 0 ? "too many " : "");
	return (size_t)n;
}

static size_t recv_record(int fd, void *buf, size_t cap, const char *what)
{
	size_t nfds;

	return recv_record_fds(fd, buf, cap, what, NULL, 0, &nfds);
}

/* After the helper ended: it sent nothing more on fd than was expected. */
static void check_quiet(int fd, unsigned slot)
{
	struct procd_msg_header h;
	ssize_t n = recv(fd, &h, sizeof h, MSG_DONTWAIT);

	if (n > 0)
		fail("the helper sent an unexpected message on slot %u (op 0x%x)", slot,
		     (size_t)n >= sizeof h ? h.op : 0u);
}

static void check_request(const struct procd_msg_header *h, size_t n, uint32_t op, size_t size,
			  const char *what)
{
	if (n != size || h->length != n || h->op != op || h->status != 0)
		fail("%s: malformed: %zu bytes, op 0x%x, length %u, status %u (expected op 0x%x, %zu bytes)",
		     what, n, h->op, h->length, h->status, op, size);
}

static void serve_exit(int ep, enum action action, int code)
{
	struct helper_exit_msg m = {
		.h = { .op = HELPER_OP_EXIT, .length = sizeof m, .tag = 1 }, .code = code,
	};

	switch (action) {
	case ACT_EOF:
		break; /* closing our end, below, is the message */
	case ACT_EXIT:
		send_record(ep, &m, sizeof m, -1);
		break;
	case ACT_MALFORMED:
		/* The header claims the EXIT length; the record is shorter. */
		send_record(ep, &m, sizeof m.h, -1);
		break;
	case ACT_CAPABILITY: {
		/* A well-formed EXIT, but with a descriptor the helper never
		 * asked for: the helper must refuse the message. */
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			fail("/dev/null: %s", strerror(errno));
		send_record(ep, &m, sizeof m, fd);
		close(fd);
		break;
	}
	}
}

static void receive_probe(int fd)
{
	union {
		struct helper_probe_done_msg m;
		unsigned char raw[PROCD_MSG_MAX];
	} r;
	size_t n = recv_record(fd, &r, sizeof r, "PROBE_DONE");

	check_request(&r.m.h, n, HELPER_OP_PROBE_DONE, sizeof r.m, "PROBE_DONE");
	if (r.m.role != ROLE_PHASE0_PROBE)
		fail("PROBE_DONE from role 0x%x, expected 0x%x", r.m.role, ROLE_PHASE0_PROBE);
	printf("%s: PROBE_DONE received from role 0x%x\n", name, r.m.role);
}

static void serve_request(const struct helper *h, int fd, uint32_t status, int zero_time)
{
	union {
		struct procd_msg_header h;
		struct helper_lookup_msg lookup;
		struct helper_irq_msg irq;
		unsigned char raw[PROCD_MSG_MAX];
	} q;
	struct helper_time_reply reply = { .h = { .length = sizeof reply.h } };
	size_t n = recv_record(fd, &q, sizeof q, "a request");
	static const char timed[HELPER_NAME_MAX] = "timed";

	switch (h->kind) {
	case LOOKUP:
		check_request(&q.h, n, HELPER_OP_LOOKUP, sizeof q.lookup, "LOOKUP");
		if (memcmp(q.lookup.name, timed, sizeof timed) != 0)
			fail("LOOKUP of '%.*s', expected 'timed', NUL-padded",
			     (int)sizeof q.lookup.name, q.lookup.name);
		break;
	case TIME:
		check_request(&q.h, n, HELPER_OP_TIME, sizeof q.h, "TIME");
		if (status == PROCD_OK) {
			struct timespec ts;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			reply.monotonic_ns = zero_time ? 0 :
				(uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
			reply.h.length = sizeof reply;
		}
		break;
	case IRQ:
		check_request(&q.h, n, HELPER_OP_IRQ, sizeof q.irq, "IRQ");
		if (q.irq.irq != 4)
			fail("IRQ %u requested, expected 4", q.irq.irq);
		break;
	default:
		fail("no request to serve for this helper");
	}
	reply.h.op = q.h.op;
	reply.h.tag = q.h.tag;
	reply.h.status = status;
	send_record(fd, &reply, reply.h.length, -1);
	printf("%s: served op 0x%x with status %u\n", name, q.h.op, status);
}

/* Play procd for named: for each of logd's and crashd's endpoints that
 * named holds, one PUBLISH_FOUNDATION_PEER with the role, carrying exactly
 * one descriptor, the very socket placed at that slot; answered with a
 * header of status. */
static void serve_publishes(int procd, uint32_t status)
{
	for (size_t i = 0; i < sizeof published / sizeof published[0]; i++) {
		const struct placed *p = placed_at(published[i].slot);
		struct {
			struct procd_msg_header h;
			struct procd_msg_peer p;
		} q;
		union {
			struct procd_msg_header h;
			unsigned char raw[PROCD_MSG_MAX];
		} r;
		int fds[MAX_ATTACH];
		size_t nfds, n;
		struct stat st;

		if (p == NULL)
			continue; /* named does not hold it: nothing to publish */
		n = recv_record_fds(procd, &r, sizeof r, "PUBLISH_FOUNDATION_PEER", fds, MAX_ATTACH, &nfds);
		check_request(&r.h, n, PROCD_OP_PUBLISH_FOUNDATION_PEER, sizeof q, "PUBLISH_FOUNDATION_PEER");
		memcpy(&q, &r, sizeof q);
		if (q.p.role != published[i].role || q.p.reserved != 0)
			fail("PUBLISH of role 0x%x (reserved %u), expected role 0x%x", q.p.role, q.p.reserved,
			     published[i].role);
		if (nfds != 1)
			fail("PUBLISH of role 0x%x carried %zu descriptors, expected 1", q.p.role, nfds);
		if (fstat(fds[0], &st) < 0)
			fail("fstat of the published descriptor: %s", strerror(errno));
		if (st.st_dev != p->dev || st.st_ino != p->ino)
			fail("PUBLISH of role 0x%x carried another descriptor than the socket at slot %u",
			     q.p.role, published[i].slot);
		close(fds[0]);
		q.h.length = sizeof q.h;
		q.h.status = status;
		send_record(procd, &q.h, sizeof q.h, -1);
		printf("%s: PUBLISH of role 0x%x came with the socket at slot %u; answered status %u\n", name,
		       q.p.role, published[i].slot, status);
	}
}

/* Play the kernel for deviced on its query endpoint: one device, driven
 * by drv-serial. */
static void serve_devices(int kernel)
{
	union {
		struct procd_msg_header h;
		unsigned char raw[PROCD_MSG_MAX];
	} r;
	size_t n = recv_record(kernel, &r, sizeof r, "DEVICES");
	struct helper_devices_reply reply = { { HELPER_OP_DEVICES, sizeof reply, 0, PROCD_OK }, 1,
					      { ROLE_DRV_SERIAL } };

	check_request(&r.h, n, HELPER_OP_DEVICES, sizeof r.h, "DEVICES");
	reply.h.tag = r.h.tag;
	send_record(kernel, &reply, sizeof reply, -1);
	printf("%s: DEVICES answered: drv-serial\n", name);
}

/* Play procd for deviced on its driver endpoint: CREATE of drv-serial,
 * answered with status (on success: the pid and two descriptors, the
 * driver's endpoint alias and its install grant); then START of that pid
 * from the role's image, answered with start_status, by which time
 * deviced must have closed the grant and must hold the alias; when the
 * start is refused, ABORT of the pid, by which time it must have closed the
 * alias too. */
static void serve_driver(int procd, uint32_t status, uint32_t start_status)
{
	struct {
		struct procd_msg_header h;
		struct procd_msg_create c;
	} create;
	struct {
		struct procd_msg_header h;
		struct procd_msg_created c;
	} created = { { PROCD_OP_CREATE_STAGED_PROCESS, sizeof created, 0, PROCD_OK },
		      { DRIVER_PID, PROCD_WINDOW_THROUGH(SLOT_KERNEL_COM1_ENDPOINT) } };
	struct {
		struct procd_msg_header h;
		struct procd_msg_start s;
	} start;
	struct {
		struct procd_msg_header h;
		struct procd_msg_pid p;
	} pid_reply, abort_req;
	union {
		struct procd_msg_header h;
		unsigned char raw[PROCD_MSG_MAX];
	} r;
	int alias[2], grant[2], give[2];
	struct stat alias_st;
	char c;
	size_t n = recv_record(procd, &r, sizeof r, "CREATE_STAGED_PROCESS");

	check_request(&r.h, n, PROCD_OP_CREATE_STAGED_PROCESS, sizeof create, "CREATE_STAGED_PROCESS");
	memcpy(&create, &r, sizeof create);
	if (create.c.role != ROLE_DRV_SERIAL || create.c.reserved != 0)
		fail("CREATE of role 0x%x (reserved %u), expected drv-serial (0x%x)", create.c.role,
		     create.c.reserved, ROLE_DRV_SERIAL);
	if (status != PROCD_OK) {
		struct procd_msg_header refusal = { create.h.op, sizeof refusal, create.h.tag, status };

		send_record(procd, &refusal, sizeof refusal, -1);
		printf("%s: CREATE of drv-serial refused with status %u\n", name, status);
		return;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, alias) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, grant) < 0)
		fail("socketpair: %s", strerror(errno));
	if (fstat(alias[1], &alias_st) < 0)
		fail("fstat: %s", strerror(errno));
	created.h.tag = create.h.tag;
	give[0] = alias[1];
	give[1] = grant[1];
	send_record_fds(procd, &created, sizeof created, give, 2);
	close(alias[1]);
	close(grant[1]);
	printf("%s: CREATE of drv-serial answered: pid %u, alias and grant attached\n", name, DRIVER_PID);

	n = recv_record(procd, &r, sizeof r, "START_STAGED_PROCESS");
	check_request(&r.h, n, PROCD_OP_START_STAGED_PROCESS, sizeof start, "START_STAGED_PROCESS");
	memcpy(&start, &r, sizeof start);
	if (start.s.pid != DRIVER_PID || start.s.image_module != PROCD_IMAGE_OF_ROLE)
		fail("START of pid %u from module 0x%x, expected pid %u from PROCD_IMAGE_OF_ROLE", start.s.pid,
		     start.s.image_module, DRIVER_PID);
	/* The grant's far end is gone (end of file, nothing queued); the
	 * helper holds its placed descriptors and the alias. */
	if (recv(grant[0], &c, 1, MSG_DONTWAIT) != 0)
		fail("deviced still holds the install grant when it starts the driver");
	check_fds(&alias_st);
	printf("%s: START of pid %u from the role's image; deviced closed the grant, holds the alias\n",
	       name, DRIVER_PID);
	pid_reply.h = (struct procd_msg_header){ start.h.op, sizeof pid_reply, start.h.tag, start_status };
	pid_reply.p = (struct procd_msg_pid){ DRIVER_PID, 0 };
	if (start_status != PROCD_OK)
		pid_reply.h.length = sizeof pid_reply.h;
	send_record(procd, &pid_reply, pid_reply.h.length, -1);

	if (start_status != PROCD_OK) {
		n = recv_record(procd, &r, sizeof r, "ABORT_STAGED_PROCESS");
		check_request(&r.h, n, PROCD_OP_ABORT_STAGED_PROCESS, sizeof abort_req, "ABORT_STAGED_PROCESS");
		memcpy(&abort_req, &r, sizeof abort_req);
		if (abort_req.p.pid != DRIVER_PID || abort_req.p.reserved != 0)
			fail("ABORT of pid %u (reserved %u), expected pid %u", abort_req.p.pid,
			     abort_req.p.reserved, DRIVER_PID);
		if (recv(alias[0], &c, 1, MSG_DONTWAIT) != 0)
			fail("deviced still holds the alias of a driver that did not start");
		check_fds(NULL);
		pid_reply.h = (struct procd_msg_header){ abort_req.h.op, sizeof pid_reply, abort_req.h.tag,
							 PROCD_OK };
		send_record(procd, &pid_reply, sizeof pid_reply, -1);
		printf("%s: ABORT of pid %u after the refused START; deviced dropped the alias\n", name,
		       DRIVER_PID);
	}
	close(grant[0]);
	close(alias[0]);
}

/* The messages -L, -c, -q and -r send on the helper's own endpoint. */
static void send_steps(const struct step *steps, size_t nsteps, int self, int procd, uint32_t status)
{
	for (size_t i = 0; i < nsteps; i++) {
		const char *arg = steps[i].arg;

		switch (steps[i].opt) {
		case 'L': {
			struct {
				struct procd_msg_header h;
				char text[PROCD_MSG_MAX - sizeof(struct procd_msg_header)];
			} m;
			size_t len = strlen(arg);

			if (len > sizeof m.text)
				failx(2, "-L: text longer than %zu bytes", sizeof m.text);
			m.h = (struct procd_msg_header){ PROCD_PEER_LOG, (uint32_t)(sizeof m.h + len), 0, 0 };
			memcpy(m.text, arg, len);
			send_record(self, &m, m.h.length, -1);
			break;
		}
		case 'c': {
			struct {
				struct procd_msg_header h;
				struct procd_msg_crash c;
			} m = { { PROCD_PEER_CRASH, sizeof m, 0, 0 }, { 7, ROLE_TIMED, 99, 0 } };

			if (arg[0] == '\0' || arg[1] != ':')
				failx(2, "-c %s: expected KIND:CODE", arg);
			if (arg[0] == 'f')
				m.c.kind = PROCD_EVENT_FAULTED;
			else if (arg[0] == 'k')
				m.c.kind = PROCD_EVENT_KILLED;
			m.c.code = number(arg + 2, 0, 255, "-c");
			send_record(self, &m, sizeof m, -1);
			break;
		}
		case 'q': {
			struct helper_lookup_msg m = { .h = { HELPER_OP_LOOKUP, sizeof m, (uint32_t)i + 100, 0 } };
			struct procd_msg_header reply;
			size_t len = strlen(arg), n;

			if (len > sizeof m.name)
				failx(2, "-q: name longer than %zu bytes", sizeof m.name);
			memcpy(m.name, arg, len);
			send_record(self, &m, sizeof m, -1);
			n = recv_record(self, &reply, sizeof reply, "the LOOKUP reply");
			if (n != sizeof reply || reply.length != n || reply.op != HELPER_OP_LOOKUP ||
			    reply.tag != m.h.tag)
				fail("LOOKUP reply: %zu bytes, op 0x%x, length %u, tag %u", n, reply.op,
				     reply.length, reply.tag);
			printf("%s: LOOKUP of %s answered status %u\n", name, arg, reply.status);
			break;
		}
		case 'r': {
			struct procd_msg_header m = { HELPER_OP_REPUBLISH, sizeof m, 0, 0 };

			send_record(self, &m, sizeof m, -1);
			if (procd >= 0)
				serve_publishes(procd, status);
			break;
		}
		}
	}
}

/* ------------------------------------------------------------------ main */

/* What the command line asks for. */
struct options {
	const char *path;
	enum action action;
	int code;       /* -e */
	int exit_code;  /* -x */
	int expect_sig; /* -k */
	int check;      /* -p */
	int no_slot;    /* -n */
	int no_self;    /* -N */
	int zero_time;  /* -z */
	uint32_t status, start_status;
	const char *wait_text;
	int leaks[MAX_LEAKS];
	size_t nleaks;
	unsigned omit[MAX_SLOTS + 1];
	size_t nomit;
	struct step steps[MAX_STEPS];
	size_t nsteps;
};

static _Noreturn void usage(void)
{
	fprintf(stderr, "usage: helper-launch [-x CODE | -k SIG] [-e CODE | -E | -M | -C] [-w TEXT] "
			"[-p] [-s STATUS] [-S STATUS] [-z] [-n] [-O SLOT]... [-N] [-l FD]... "
			"[-L TEXT | -c K:CODE | -q NAME | -r]... HELPER-PATH\n");
	exit(2);
}

static void parse_options(int argc, char **argv, struct options *o)
{
	int opt;

	*o = (struct options){ .action = ACT_EOF, .status = PROCD_OK, .start_status = PROCD_OK };
	while ((opt = getopt(argc, argv, "x:k:e:EMCw:ps:S:znO:NL:l:c:q:r")) != -1) {
		switch (opt) {
		case 'x': o->exit_code = number(optarg, 0, 255, "-x"); o->expect_sig = 0; break;
		case 'k': o->expect_sig = signal_number(optarg); break;
		case 'e': o->action = ACT_EXIT; o->code = number(optarg, 0, 255, "-e"); break;
		case 'E': o->action = ACT_EOF; break;
		case 'M': o->action = ACT_MALFORMED; break;
		case 'C': o->action = ACT_CAPABILITY; break;
		case 'w': o->wait_text = optarg; break;
		case 'p': o->check = 1; break;
		case 's': o->status = (uint32_t)number(optarg, 0, 255, "-s"); break;
		case 'z': o->zero_time = 1; break;
		case 'S': o->start_status = (uint32_t)number(optarg, 0, 255, "-S"); break;
		case 'n': o->no_slot = 1; break;
		case 'O':
			if (o->nomit == sizeof o->omit / sizeof o->omit[0])
				failx(2, "too many -O");
			o->omit[o->nomit++] = (unsigned)number(optarg, 3, 4095, "-O");
			break;
		case 'L':
		case 'c':
		case 'q':
		case 'r':
			if (o->nsteps == MAX_STEPS)
				failx(2, "too many -L, -c, -q and -r");
			o->steps[o->nsteps++] = (struct step){ opt, optarg };
			break;
		case 'N': o->no_self = 1; break;
		case 'l':
			if (o->nleaks == sizeof o->leaks / sizeof o->leaks[0])
				failx(2, "too many -l");
			o->leaks[o->nleaks++] = number(optarg, 3, 4095, "-l");
			break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();
	o->path = argv[optind];
}

/* The helper the path names, by its file name. */
static const struct helper *find_helper(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	for (size_t i = 0; i < sizeof helpers / sizeof helpers[0]; i++)
		if (strcmp(base, helpers[i].name) == 0)
			return &helpers[i];
	failx(2, "%s is not a helper this launcher knows", base);
}

#define MAX_GRANTED (1 + MAX_SLOTS + MAX_LEAKS)

/* The slots the helper gets: its own endpoint, its extra slots, the
 * leaks; less what -N, -n and -O leave out. Returns how many. */
static size_t granted_slots(const struct helper *h, const struct options *o, unsigned slots[MAX_GRANTED])
{
	size_t nslots = 0;

	if (!o->no_self)
		slots[nslots++] = SLOT_SELF_ENDPOINT;
	for (size_t i = 0; i < MAX_SLOTS && h->slots[i] != 0; i++)
		if (!(i == 0 && o->no_slot))
			slots[nslots++] = h->slots[i];
	for (size_t i = 0; i < o->nleaks; i++)
		slots[nslots++] = (unsigned)o->leaks[i];
	for (size_t i = 0; i < o->nomit; i++)
		for (size_t j = 0; j < nslots; j++)
			if (slots[j] == o->omit[i])
				slots[j--] = slots[--nslots];
	return nslots;
}

/* The slots go up to 2272 and every placed descriptor is first lifted
 * above the highest one: make room. Returns the floor they are lifted to. */
static int make_room(const unsigned *slots, size_t nslots)
{
	int floor = (int)SLOT_FIRST_CAPABILITY;
	struct rlimit lim;

	for (size_t i = 0; i < nslots; i++)
		if ((int)slots[i] > floor)
			floor = (int)slots[i];
	floor++;
	getrlimit(RLIMIT_NOFILE, &lim);
	if (lim.rlim_cur < (rlim_t)floor + 64) {
		if (lim.rlim_max < (rlim_t)floor + 64)
			failx(77, "descriptor limit %lu is below the %d this test needs",
			      (unsigned long)lim.rlim_max, floor + 64);
		lim.rlim_cur = (rlim_t)floor + 64;
		if (setrlimit(RLIMIT_NOFILE, &lim) < 0)
			fail("setrlimit: %s", strerror(errno));
	}
	return floor;
}

/* stdio: stdin from /dev/null, stdout and stderr into our pipe; and the
 * status pipe the child reports a failed start on (both its ends). */
static void place_stdio(int floor, int statusp[2])
{
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int errp[2];

	if (devnull < 0 || pipe2(errp, O_CLOEXEC) < 0 || pipe2(statusp, O_CLOEXEC) < 0)
		fail("stdio: %s", strerror(errno));
	err_fd = errp[0];
	int err_w = lift(errp[1], floor);
	place(0, lift(devnull, floor), -1);
	place(1, err_w, -1);
	place(2, err_w, -1);
	statusp[1] = lift(statusp[1], floor);
}

/* The slots: a fresh socketpair each, one end for the helper. */
static void place_slots(const unsigned *slots, size_t nslots, int floor)
{
	for (size_t i = 0; i < nslots; i++) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
			fail("socketpair: %s", strerror(errno));
		place((int)slots[i], lift(sv[1], floor), sv[0]);
	}
}

static void refuse_slot_given_twice(void)
{
	for (size_t i = 0; i < nplaced; i++)
		for (size_t j = 0; j < i; j++)
			if (placed[i].dst == placed[j].dst)
				failx(2, "slot %d given twice", placed[i].dst);
}

/* Fork the helper and see it through to exec, or fail with the step of
 * its set-up that went wrong. */
static void start_helper(const char *path, unsigned window, const int statusp[2])
{
	struct setup_error e;
	ssize_t n;

	fflush(NULL);
	child = fork();
	if (child < 0)
		fail("fork: %s", strerror(errno));
	if (child == 0)
		child_run(path, window, statusp[1]);

	/* Drop the child's ends; our copies would keep its sockets open (and
	 * its stderr pipe: we read that to end of file). Slots 1 and 2 share
	 * one source. */
	close(statusp[1]);
	for (size_t i = 0; i < nplaced; i++)
		if (placed[i].dst != 2)
			close(placed[i].src);

	do
		n = read(statusp[0], &e, sizeof e);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof e) {
		static const char *const what[] = { "?", "dup2", "close-on-exec", "setrlimit", "execve" };
		fail("starting %s: %s: %s", path, what[e.step >= 1 && e.step <= 4 ? e.step : 0],
		     strerror(e.err));
	}
	close(statusp[0]);
}

/* Play the helper's peers, as its kind needs; extra_peer is the far end
 * of the slot it needs. */
static void play_peers(const struct helper *h, const struct options *o, int self_peer, int extra_peer)
{
	switch (h->kind) {
	case NAMED:
	case DEVICED:
	case SERVE:
		if (h->kind == NAMED && extra_peer >= 0)
			serve_publishes(extra_peer, o->status);
		if (h->kind == DEVICED && extra_peer >= 0 && peer_of(SLOT_KERNEL_LOG_ENDPOINT) >= 0)
			serve_devices(peer_of(SLOT_KERNEL_LOG_ENDPOINT));
		if (h->kind == DEVICED && extra_peer >= 0)
			serve_driver(extra_peer, o->status, o->start_status);
		if (self_peer >= 0) {
			send_steps(o->steps, o->nsteps, self_peer, h->kind == NAMED ? extra_peer : -1, o->status);
			serve_exit(self_peer, o->action, o->code);
		}
		break;
	case PROBE:
		if (extra_peer >= 0)
			receive_probe(extra_peer);
		break;
	case LOOKUP:
	case TIME:
	case IRQ:
		if (extra_peer >= 0)
			serve_request(h, extra_peer, o->status, o->zero_time);
		break;
	case FAULT:
		break;
	}
}

/* Copy the rest of the helper's stderr and reap it: its wait status. */
static int wait_helper(void)
{
	int wstatus;

	while (relay_once())
		;
	while (waitpid(child, &wstatus, 0) < 0)
		if (errno != EINTR)
			fail("waitpid: %s", strerror(errno));
	child = -1;
	return wstatus;
}

/* The helper ended as -x or -k said it would. */
static void check_end(int wstatus, const struct options *o)
{
	if (WIFSIGNALED(wstatus)) {
		int sig = WTERMSIG(wstatus);

		printf("%s: killed by signal %d (%s)\n", name, sig, strsignal(sig));
		if (sig != o->expect_sig)
			fail(o->expect_sig ? "expected signal %d" : "expected exit %d",
			     o->expect_sig ? o->expect_sig : o->exit_code);
	} else {
		int got = WEXITSTATUS(wstatus);

		printf("%s: exited %d\n", name, got);
		if (o->expect_sig)
			fail("expected signal %d (%s)", o->expect_sig, strsignal(o->expect_sig));
		if (got != o->exit_code)
			fail("expected exit %d", o->exit_code);
	}
}

int main(int argc, char **argv)
{
	struct options o;
	unsigned slots[MAX_GRANTED];
	int statusp[2];

	parse_options(argc, argv, &o);
	const struct helper *h = find_helper(o.path);
	name = h->name;

	signal(SIGALRM, on_alarm);
	alarm(30);

	size_t nslots = granted_slots(h, &o, slots);
	int floor = make_room(slots, nslots);
	place_stdio(floor, statusp);
	place_slots(slots, nslots, floor);

	int self_peer = peer_of(SLOT_SELF_ENDPOINT);
	/* The peer of the slot the helper needs: the one the launcher plays
	 * (named's procd, deviced's procd driver endpoint, a client's
	 * server); for those two procd ends, kept open until the helper has
	 * ended, to see that it sent nothing more. */
	int extra_peer = h->slots[0] != 0 ? peer_of(h->slots[0]) : -1;
	int keep_peer = (h->kind == NAMED || h->kind == DEVICED) ? extra_peer : -1;
	if (o.nsteps > 0 && self_peer < 0)
		failx(2, "-L, -c, -q and -r need the helper's own endpoint");
	refuse_slot_given_twice();

	start_helper(o.path, h->window, statusp);

	/* Checks that need the helper alive come first: it is blocked on a
	 * peer of ours until we act. */
	if (o.check)
		check_proc(h->window);
	if (o.wait_text != NULL)
		wait_for_text(o.wait_text);

	play_peers(h, &o, self_peer, extra_peer);
	for (size_t i = 0; i < nplaced; i++)
		if (placed[i].peer >= 0 && placed[i].peer != keep_peer)
			close(placed[i].peer);

	int wstatus = wait_helper();
	if (keep_peer >= 0) {
		check_quiet(keep_peer, h->slots[0]);
		close(keep_peer);
	}
	check_end(wstatus, &o);
	return 0;
}
