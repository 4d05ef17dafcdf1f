/* SPDX-License-Identifier: ISC */
/*
 * helper-launch: start one helper program the way procd's linux port does,
 * as a real process that holds exactly stdio and its granted slots (one end
 * of a socketpair placed at each slot number) with RLIMIT_NOFILE set to its
 * window; then play the peers at the far ends (procd, named, timed, irqd)
 * and check how the helper ends.
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
 *   -s STATUS  answer LOOKUP, TIME or IRQ with STATUS (default 0)
 *   -z         answer TIME with a time of 0
 *   -n         do not install the helper's extra slot
 *   -N         do not install its own endpoint, SLOT_SELF_ENDPOINT
 *   -l FD      also leave an open socket at FD in the helper (repeatable)
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers/proto.h"

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
};

struct helper {
	const char *name;
	enum kind kind;
	unsigned window;
	unsigned slot; /* the slot granted beside SLOT_SELF_ENDPOINT, or 0 */
};

/* Windows and slots as policies/helpers.c grants them. */
static const struct helper helpers[] = {
	{ "phase0-exit",          SERVE,  PROCD_WINDOW_SERVICE, 0 },
	{ "phase0-fault-kill",    FAULT,  PROCD_WINDOW_SERVICE, 0 },
	{ "phase0-isolation-a",   SERVE,  PROCD_WINDOW_SERVICE, 0 },
	{ "phase0-isolation-b",   SERVE,  PROCD_WINDOW_SERVICE, 0 },
	{ "phase0-probe",         PROBE,  PROCD_WINDOW_SERVICE, SLOT_PROBE_NOTIFY },
	{ "phase1-lookup-client", LOOKUP, PROCD_WINDOW_SERVICE, SLOT_NAMED_ENDPOINT },
	{ "phase1-time-client",   TIME,
	  PROCD_WINDOW_THROUGH(SLOT_KERNEL_TIME_ENDPOINT), SLOT_KERNEL_TIME_ENDPOINT },
	{ "phase2-irq-client",    IRQ,
	  PROCD_WINDOW_THROUGH(SLOT_KERNEL_IRQ_ENDPOINT), SLOT_KERNEL_IRQ_ENDPOINT },
};

enum action { ACT_EOF, ACT_EXIT, ACT_MALFORMED, ACT_CAPABILITY };

#define MAX_PLACED 16 /* stdio, the slots, the leaks */
#define STDERR_KEEP 65536

/* One descriptor the child gets: src (in the launcher) placed at dst. */
struct placed {
	int dst;
	int src;  /* the child's end, lifted above every dst */
	int peer; /* the launcher's end, or -1 */
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
	if (nplaced == MAX_PLACED)
		failx(2, "too many descriptors to place");
	placed[nplaced++] = (struct placed){ .dst = dst, .src = src, .peer = peer };
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

static void check_proc(unsigned window)
{
	int want[MAX_PLACED], have[MAX_PLACED + 64];
	size_t nwant = 0, nhave = 0;
	char path[64], line[256];
	DIR *d;
	struct dirent *e;
	FILE *f;
	int found = 0;

	for (size_t i = 0; i < nplaced; i++)
		want[nwant++] = placed[i].dst;
	qsort(want, nwant, sizeof want[0], cmp_int);

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
	qsort(have, nhave, sizeof have[0], cmp_int);

	if (nhave != nwant || memcmp(have, want, nwant * sizeof want[0]) != 0) {
		fprintf(stderr, "helper-launch: %s: descriptors wanted:", name);
		for (size_t i = 0; i < nwant; i++)
			fprintf(stderr, " %d", want[i]);
		fprintf(stderr, "; held:");
		for (size_t i = 0; i < nhave; i++)
			fprintf(stderr, " %d", have[i]);
		fputc('\n', stderr);
		fail("the helper holds other descriptors than it was granted");
	}

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
	printf("%s: holds exactly %zu descriptors, window %u\n", name, nwant, window);
}

/* ------------------------------------------------------------ the peers */

static void send_record(int fd, const void *buf, size_t len, int attach)
{
	struct iovec iov = { .iov_base = (void *)(uintptr_t)buf, .iov_len = len };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} control;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (attach >= 0) {
		memset(&control, 0, sizeof control);
		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof control.buf;
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &attach, sizeof attach);
	}
	n = sendmsg(fd, &msg, MSG_NOSIGNAL);
	if (n != (ssize_t)len)
		fail("send: %s", n < 0 ? strerror(errno) : "short");
}

/* Receive one record. Without a control buffer any capability that came
 * along is closed by the kernel and shows as MSG_CTRUNC: refused. */
static size_t recv_record(int fd, void *buf, size_t cap, const char *what)
{
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	do
		n = recvmsg(fd, &msg, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		fail("waiting for %s: %s", what, strerror(errno));
	if (n == 0)
		fail("the helper closed its end without sending %s", what);
	if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		fail("%s: oversized, or carried capabilities", what);
	return (size_t)n;
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

/* ------------------------------------------------------------------ main */

static _Noreturn void usage(void)
{
	fprintf(stderr, "usage: helper-launch [-x CODE | -k SIG] [-e CODE | -E | -M | -C] [-w TEXT] "
			"[-p] [-s STATUS] [-z] [-n] [-N] [-l FD]... HELPER-PATH\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const struct helper *h = NULL;
	enum action action = ACT_EOF;
	int exit_code = 0, code = 0, expect_sig = 0, check = 0, no_slot = 0, no_self = 0;
	int zero_time = 0;
	uint32_t status = PROCD_OK;
	const char *wait_text = NULL;
	int leaks[8];
	size_t nleaks = 0;
	int opt;

	while ((opt = getopt(argc, argv, "x:k:e:EMCw:ps:znNl:")) != -1) {
		switch (opt) {
		case 'x': exit_code = number(optarg, 0, 255, "-x"); expect_sig = 0; break;
		case 'k': expect_sig = signal_number(optarg); break;
		case 'e': action = ACT_EXIT; code = number(optarg, 0, 255, "-e"); break;
		case 'E': action = ACT_EOF; break;
		case 'M': action = ACT_MALFORMED; break;
		case 'C': action = ACT_CAPABILITY; break;
		case 'w': wait_text = optarg; break;
		case 'p': check = 1; break;
		case 's': status = (uint32_t)number(optarg, 0, 255, "-s"); break;
		case 'z': zero_time = 1; break;
		case 'n': no_slot = 1; break;
		case 'N': no_self = 1; break;
		case 'l':
			if (nleaks == sizeof leaks / sizeof leaks[0])
				failx(2, "too many -l");
			leaks[nleaks++] = number(optarg, 3, 4095, "-l");
			break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();
	const char *path = argv[optind];
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	for (size_t i = 0; i < sizeof helpers / sizeof helpers[0]; i++)
		if (strcmp(base, helpers[i].name) == 0)
			h = &helpers[i];
	if (h == NULL)
		failx(2, "%s is not a helper this launcher knows", base);
	name = h->name;

	signal(SIGALRM, on_alarm);
	alarm(30);

	/* The slots go up to 2144 and every placed descriptor is first lifted
	 * above the highest one: make room. */
	int floor = (int)SLOT_FIRST_CAPABILITY;
	if (!no_slot && (int)h->slot >= floor)
		floor = (int)h->slot;
	for (size_t i = 0; i < nleaks; i++)
		if (leaks[i] > floor)
			floor = leaks[i];
	floor++;
	struct rlimit lim;
	getrlimit(RLIMIT_NOFILE, &lim);
	if (lim.rlim_cur < (rlim_t)floor + 64) {
		if (lim.rlim_max < (rlim_t)floor + 64)
			failx(77, "descriptor limit %lu is below the %d this test needs",
			      (unsigned long)lim.rlim_max, floor + 64);
		lim.rlim_cur = (rlim_t)floor + 64;
		if (setrlimit(RLIMIT_NOFILE, &lim) < 0)
			fail("setrlimit: %s", strerror(errno));
	}

	/* stdio: stdin from /dev/null, stdout and stderr into our pipe. */
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int errp[2], statusp[2];
	if (devnull < 0 || pipe2(errp, O_CLOEXEC) < 0 || pipe2(statusp, O_CLOEXEC) < 0)
		fail("stdio: %s", strerror(errno));
	err_fd = errp[0];
	int err_w = lift(errp[1], floor);
	place(0, lift(devnull, floor), -1);
	place(1, err_w, -1);
	place(2, err_w, -1);
	int status_w = lift(statusp[1], floor);

	/* The slots: a fresh socketpair each, one end for the helper. */
	unsigned slots[2 + 8];
	size_t nslots = 0;
	if (!no_self)
		slots[nslots++] = SLOT_SELF_ENDPOINT;
	if (h->slot != 0 && !no_slot)
		slots[nslots++] = h->slot;
	for (size_t i = 0; i < nleaks; i++)
		slots[nslots++] = (unsigned)leaks[i];
	int self_peer = -1, extra_peer = -1;
	for (size_t i = 0; i < nslots; i++) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
			fail("socketpair: %s", strerror(errno));
		place((int)slots[i], lift(sv[1], floor), sv[0]);
		if (slots[i] == SLOT_SELF_ENDPOINT)
			self_peer = sv[0];
		else if (slots[i] == h->slot)
			extra_peer = sv[0];
	}
	for (size_t i = 0; i < nplaced; i++)
		for (size_t j = 0; j < i; j++)
			if (placed[i].dst == placed[j].dst)
				failx(2, "slot %d given twice", placed[i].dst);

	fflush(NULL);
	child = fork();
	if (child < 0)
		fail("fork: %s", strerror(errno));
	if (child == 0)
		child_run(path, h->window, status_w);

	/* Drop the child's ends; our copies would keep its sockets open (and
	 * its stderr pipe: we read that to end of file). Slots 1 and 2 share
	 * one source. */
	close(status_w);
	for (size_t i = 0; i < nplaced; i++)
		if (placed[i].dst != 2)
			close(placed[i].src);

	struct setup_error e;
	ssize_t n;
	do
		n = read(statusp[0], &e, sizeof e);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof e) {
		static const char *const steps[] = { "?", "dup2", "close-on-exec", "setrlimit", "execve" };
		fail("starting %s: %s: %s", path, steps[e.step >= 1 && e.step <= 4 ? e.step : 0],
		     strerror(e.err));
	}
	close(statusp[0]);

	/* Checks that need the helper alive come first: it is blocked on a
	 * peer of ours until we act. */
	if (check)
		check_proc(h->window);
	if (wait_text != NULL)
		wait_for_text(wait_text);

	switch (h->kind) {
	case SERVE:
		if (self_peer >= 0)
			serve_exit(self_peer, action, code);
		break;
	case PROBE:
		if (extra_peer >= 0)
			receive_probe(extra_peer);
		break;
	case LOOKUP:
	case TIME:
	case IRQ:
		if (extra_peer >= 0)
			serve_request(h, extra_peer, status, zero_time);
		break;
	case FAULT:
		break;
	}
	for (size_t i = 0; i < nplaced; i++)
		if (placed[i].peer >= 0)
			close(placed[i].peer);

	while (relay_once())
		;
	int wstatus;
	while (waitpid(child, &wstatus, 0) < 0)
		if (errno != EINTR)
			fail("waitpid: %s", strerror(errno));
	child = -1;

	if (WIFSIGNALED(wstatus)) {
		int sig = WTERMSIG(wstatus);

		printf("%s: killed by signal %d (%s)\n", name, sig, strsignal(sig));
		if (sig != expect_sig)
			fail(expect_sig ? "expected signal %d" : "expected exit %d",
			     expect_sig ? expect_sig : exit_code);
	} else {
		int got = WEXITSTATUS(wstatus);

		printf("%s: exited %d\n", name, got);
		if (expect_sig)
			fail("expected signal %d (%s)", expect_sig, strsignal(expect_sig));
		if (got != exit_code)
			fail("expected exit %d", exit_code);
	}
	return 0;
}
