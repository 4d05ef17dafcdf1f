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
#define _GNU_SOURCE /* pipe2, strsignal */
#endif
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
#include <unistd.h>

#include "helpers/proto.h"
#include "tests/helpers/launch.h"

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

const char *name = "helper-launch";
pid_t child = -1;
struct placed placed[MAX_PLACED];
size_t nplaced;
int err_fd = -1;

_Noreturn void failx(int status, const char *fmt, ...)
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

int number(const char *s, long lo, long hi, const char *what)
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

int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
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
