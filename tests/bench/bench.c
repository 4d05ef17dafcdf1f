/* SPDX-License-Identifier: ISC */
/*
 * make bench: procd's costs measured against a baseline in the same run.
 * Never a pass/fail test; it prints figures and ratios.
 *
 *  1. spawn round trip: CREATE + START + the EXITED event, and SPAWN_SERVICE
 *     (one round trip) + the EXITED event, against the spawn floor (procd's
 *     own mechanism done bare, floor.h), posix_spawn and vfork+execve;
 *  2. QUERY_PROCESS round trip against a raw SOCK_SEQPACKET ping-pong, with
 *     every party pinned to one CPU and unpinned;
 *  3. restart latency: from the child's exit to its next exec, and that
 *     over the spawn floor of the same run;
 *  4. spawn cost and procd's RSS with 10, 1000 and 10000 managed children;
 *  5. loader transfer + commit + start of 64 KiB, 1 MiB and 16 MiB images
 *     (through the loaderd stand-in) against writing the same bytes into a
 *     memfd and execveat-ing it directly, and against the transport floor
 *     (the same bytes streamed over a SEQPACKET pair to a bare receiver
 *     that writes and runs them); and chunk-size sensitivity;
 *  6. driver-endpoint request latency while the bootstrap endpoint is
 *     flooded, against the same requests with it idle;
 *  7. procd's memory per managed child, what its entry holds;
 *  8. procd against s6 supervising the same child (s6.c).
 * Children are the no-libc bench-announce (or the helper BENCH_HELPER
 * names), so the figures are procd's, not libc's start-up.
 */
#include <errno.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/abi/procd_msg.h"
#include "core/abi/procd_ops.h"
#include "core/abi/procd_roles.h"
#include "core/abi/procd_slots.h"
#include "core/abi/procd_status.h"
#include "helpers/proto.h"
#include "tools/bootlib.h"
#include "tools/registry_file.h"
#include "tests/bench/bench.h"
#include "tests/bench/entry_size.h"
#include "tests/bench/floor.h"
#include "tests/bench/wake.h"

extern char **environ;

static struct boot_intake in;
pid_t procd;
int ep;
const char *helper;

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void die(const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t median_u64(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_u64);
	return v[n / 2];
}

double median_us(uint64_t *v, size_t n)
{
	return (double)median_u64(v, n) / 1000.0;
}

void pin(pid_t pid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (cpu < 0) {
		for (int c = 0; c < CPU_SETSIZE; c++)
			CPU_SET(c, &set);
	} else {
		CPU_SET(cpu, &set);
	}
	sched_setaffinity(pid, sizeof set, &set);
}

static void launch(const char *procd_path)
{
	if (boot_raise_fd_limit() != 0 || boot_intake_init(&in) != 0)
		die("intake");
	if (boot_add_module(&in, "phase0-exit", helper) != 0)
		die(helper);
	if (boot_add_module(&in, "loaderd", getenv("BENCH_LOADERD") ? getenv("BENCH_LOADERD") : "helpers/loaderd") != 0)
		die("helpers/loaderd");
	/* deviced runs the test relay, so the bench can speak on the driver
	 * endpoint as deviced. */
	if (boot_add_module(&in, "deviced", "tests/integration/relay") != 0 ||
	    boot_add_module(&in, "drv-serial", helper) != 0)
		die("tests/integration/relay");
	procd = boot_launch(&in, procd_path, NULL);
	if (procd < 0)
		die("launch procd");
	ep = in.bootstrap[1];
}

uint32_t create(int *alias)
{
	struct procd_msg_create c = { .role = ROLE_PHASE0_EXIT };
	struct procd_msg_created out;
	int caps[2];
	size_t n;

	int64_t st = boot_call(ep, PROCD_OP_CREATE_STAGED_PROCESS, &c, sizeof c, &out, sizeof out, caps, 2, &n);

	if (st != PROCD_OK) {
		fprintf(stderr, "bench: CREATE_STAGED_PROCESS: status %lld\n", (long long)st);
		exit(1);
	}
	close(caps[1]);
	*alias = caps[0];
	return out.pid;
}

void start(uint32_t pid)
{
	struct procd_msg_start s = { .pid = pid, .image_module = 0 };
	struct procd_msg_pid out;

	if (boot_call(ep, PROCD_OP_START_STAGED_PROCESS, &s, sizeof s, &out, sizeof out, NULL, 0, NULL) != PROCD_OK)
		die("START_STAGED_PROCESS");
}

struct procd_msg_event wait_kind(uint32_t pid, uint32_t *seq, uint32_t kind)
{
	for (;;) {
		struct procd_msg_wait w = { .pid = pid, .after_seq = *seq, .timeout_ms = 10000 };
		struct procd_msg_event ev;

		if (boot_call(ep, PROCD_OP_WAIT_PROCESS_EVENT, &w, sizeof w, &ev, sizeof ev, NULL, 0, NULL) != PROCD_OK)
			die("WAIT_PROCESS_EVENT");
		*seq = ev.seq;
		if (ev.kind == kind)
			return ev;
	}
}

void pid_op(uint32_t op, uint32_t pid)
{
	struct procd_msg_pid p = { .pid = pid }, out;

	if (boot_call(ep, op, &p, sizeof p, &out, sizeof out, NULL, 0, NULL) != PROCD_OK)
		die("lifecycle op");
}

void await_announce(int alias)
{
	unsigned char buf[PROCD_MSG_MAX];
	ssize_t n;

	do
		n = recv(alias, buf, sizeof buf, 0);
	while (n < 0 && errno == EINTR);
	if (n != 1) {
		errno = n < 0 ? errno : EPROTO;
		die("the child's announce of its exec");
	}
}

/* ------------------------------------------------------------- 1: spawn */

/* A fresh process's first event is its STARTED, number 1: waiting after it
 * is one WAIT for the end, as a caller that knows it would make. */
#define FIRST_EVENT_SEQ 1u

static uint64_t procd_spawn_once(void)
{
	uint64_t t0 = now_ns(), t;
	uint32_t seq = FIRST_EVENT_SEQ;
	int alias;
	uint32_t pid = create(&alias);

	close(alias); /* the child reads end-of-stream and exits 0 */
	start(pid);
	wait_kind(pid, &seq, PROCD_EVENT_EXITED);
	t = now_ns() - t0;
	pid_op(PROCD_OP_STOP_PROCESS, pid);
	return t;
}

/* SPAWN_SERVICE: create, install and start in one round trip. */
static uint64_t procd_spawn_service_once(void)
{
	struct procd_msg_spawn sp = { .role = ROLE_PHASE0_EXIT, .image_module = 0 };
	struct procd_msg_pid out;
	uint32_t seq = FIRST_EVENT_SEQ;
	int caps[2];
	size_t n;
	uint64_t t0 = now_ns(), t;

	if (boot_call(ep, PROCD_OP_SPAWN_SERVICE, &sp, sizeof sp, &out, sizeof out, caps, 2, &n) != PROCD_OK ||
	    n != 1)
		die("SPAWN_SERVICE");
	/* End-of-stream to it at once, as the floor's child and CREATE's
	 * have: it sends its announce, reads the end and exits 0. Only
	 * shut, not closed: a close with its announce unread would read as a
	 * reset to it. */
	shutdown(caps[0], SHUT_WR);
	wait_kind(out.pid, &seq, PROCD_EVENT_EXITED);
	t = now_ns() - t0;
	close(caps[0]);
	pid_op(PROCD_OP_STOP_PROCESS, out.pid);
	return t;
}

/* The helper with its endpoint at slot 16 whose peer is closed. */
uint64_t direct_spawn_once(enum direct_spawn how)
{
	char *const argv[] = { NULL };
	int sv[2], status;
	uint64_t t0 = now_ns();
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		die("socketpair");
	close(sv[1]);
	if (how == DIRECT_VFORK || how == DIRECT_FORK) {
		pid = how == DIRECT_VFORK ? vfork() : fork();
		if (pid == 0) {
			dup2(sv[0], SLOT_SELF_ENDPOINT);
			execve(helper, argv, argv);
			_exit(127);
		}
	} else {
		posix_spawn_file_actions_t fa;

		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, sv[0], SLOT_SELF_ENDPOINT);
		if (posix_spawn(&pid, helper, &fa, NULL, argv, argv) != 0)
			pid = -1;
		posix_spawn_file_actions_destroy(&fa);
	}
	close(sv[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("direct spawn");
	return now_ns() - t0;
}

#define MAX_FLOOR_VARIANTS 8

enum spawn_path { CREATE_START, SPAWN_SERVICE, POSIX_SPAWN, VFORK, NPATHS };

struct spawn_pass {
	double m[NPATHS + MAX_FLOOR_VARIANTS]; /* medians, us: the paths, then the floor's variants */
	double floor;                           /* the variant with every step procd takes */
	double round_trip;                      /* a SEQPACKET ping-pong */
};

/* Every path n times, interleaved, so that a slow spell of the machine
 * falls on all alike. */
static void spawn_pass(size_t n, size_t nv, struct spawn_pass *p)
{
	uint64_t *v[NPATHS + MAX_FLOOR_VARIANTS];
	struct spawn_floor f;

	floor_open(&f, helper);
	for (size_t k = 0; k < NPATHS + nv; k++)
		v[k] = calloc(n, sizeof *v[k]);
	for (size_t i = 0; i < n; i++) {
		v[CREATE_START][i] = procd_spawn_once();
		v[SPAWN_SERVICE][i] = procd_spawn_service_once();
		v[POSIX_SPAWN][i] = direct_spawn_once(DIRECT_POSIX_SPAWN);
		v[VFORK][i] = direct_spawn_once(DIRECT_VFORK);
		for (size_t k = 0; k < nv; k++)
			v[NPATHS + k][i] = floor_spawn_once(&f, floor_variants[k].steps);
	}
	for (size_t k = 0; k < NPATHS + nv; k++) {
		p->m[k] = median_us(v[k], n);
		free(v[k]);
	}
	floor_close(&f);
	p->floor = 0;
	for (size_t k = 0; k < nv; k++)
		if (floor_variants[k].steps == FLOOR_ALL)
			p->floor = p->m[NPATHS + k];
	p->round_trip = pingpong_round_trip_us(n * 10);
}

/* The bench, procd and the spawner on one CPU (children inherit the
 * spawner's), or (cpu < 0) back on all of them. */
static void pin_spawn_chain(int cpu)
{
	pid_t spawner = boot_spawner_of(procd);

	if (cpu >= 0 && !spawner)
		die("procd's spawner not found");
	pin(0, cpu);
	pin(procd, cpu);
	if (spawner)
		pin(spawner, cpu);
}

/* Why the cross-CPU figure is so large here: what a reply costs beyond
 * the work it waited for, after a short wait and after one as long as a
 * spawn. Through procd, three processes each wait that long for another
 * before the child exists; the floor's process does the spawn itself. */
static void bench_wake(size_t n, double floor)
{
	double at_once = wake_after_work_us(n, 0);
	double short_wait = wake_after_work_us(n, 100 * 1000);
	double spawn_wait = wake_after_work_us(n, (uint64_t)(floor * 1000.0));

	printf("    a reply's cost beyond the work it waited for, the worker on another CPU\n"
	       "      at once %.1f   after 100 us %.1f   after a floor's length (%.0f us) %.1f\n"
	       "      (SPAWN_SERVICE adds three waits that long to the floor's: the requester's for its\n"
	       "       reply, procd's for the spawner's, the spawner's for its request)\n",
	       at_once, short_wait, floor, spawn_wait);
}

static void bench_spawn(size_t n)
{
	size_t nv = floor_nvariants < MAX_FLOOR_VARIANTS ? floor_nvariants : MAX_FLOOR_VARIANTS;
	struct spawn_pass all, one;
	const double *m = all.m;
	double floor, rt;

	spawn_pass(n, nv, &all);
	/* A spawn through procd passes from the requester to procd to the
	 * spawner and back, each a wake-up; on one CPU none crosses to
	 * another, and what remains is procd's own work. */
	pin_spawn_chain(0);
	spawn_pass(n, nv, &one);
	pin_spawn_chain(-1);
	floor = all.floor;
	rt = all.round_trip;
	printf("spawn round trip to the exit collected (median of %zu, us)\n", n);
	printf("  floor: procd's mechanism bare     %8.1f   (clone VM|VFORK|PIDFD + execveat + pidfd in epoll,\n"
	       "                                               each step procd's child takes: slots, RLIMIT_NOFILE,\n"
	       "                                               session, death signal, Landlock)\n", floor);
	printf("  procd SPAWN_SERVICE + exit event  %8.1f   procd/floor %.2fx (target <= 1.3x)\n", m[SPAWN_SERVICE],
	       m[SPAWN_SERVICE] / floor);
	printf("  procd CREATE+START+exit event     %8.1f   procd/floor %.2fx\n", m[CREATE_START],
	       m[CREATE_START] / floor);
	printf("  posix_spawn + waitpid             %8.1f   procd/posix_spawn %.2fx (target <= 1.5x)\n",
	       m[POSIX_SPAWN], m[CREATE_START] / m[POSIX_SPAWN]);
	printf("  vfork+execve + waitpid            %8.1f   procd/vfork       %.2fx\n", m[VFORK],
	       m[CREATE_START] / m[VFORK]);
	printf("  the same on one CPU (bench, procd, spawner and children pinned: no wake-up crosses CPUs)\n");
	printf("    floor                           %8.1f\n", one.floor);
	printf("    procd SPAWN_SERVICE + exit event%8.1f   procd/floor %.2fx on one CPU\n", one.m[SPAWN_SERVICE],
	       one.m[SPAWN_SERVICE] / one.floor);
	printf("    procd CREATE+START+exit event   %8.1f   procd/floor %.2fx on one CPU\n", one.m[CREATE_START],
	       one.m[CREATE_START] / one.floor);
	printf("    one request round trip          %8.1f\n", one.round_trip);
	printf("  where the floor's time goes, and procd's beyond it (us):\n");
	for (size_t k = 0; k < nv; k++)
		printf("    %-44s %8.1f%s\n", floor_variants[k].what, m[NPATHS + k],
		       k == 0 ? "   (the least a spawn costs here)"
		       : floor_variants[k].steps & FLOOR_OWN_FILTER
			       ? "   (procd's children inherit the spawner's instead)"
			       : "");
	printf("    one request round trip (SEQPACKET ping-pong)  %8.1f   SPAWN_SERVICE+WAIT is 2, CREATE+START+WAIT 3,\n"
	       "                                                            and each spawn asks the spawner once\n",
	       rt);
	/* Round trips are counted on one CPU, where a ping-pong costs what a
	 * round trip inside a spawn costs; across CPUs an idle ping-pong pays
	 * wake-ups that a busy spawn does not, and the difference would go
	 * negative. */
	printf("    on one CPU: SPAWN_SERVICE over floor + 3 round trips  %+6.1f   (procd's own work: entry, endpoints,\n"
	       "                                                            log; the capabilities passed to the spawner)\n",
	       one.m[SPAWN_SERVICE] - one.floor - 3 * one.round_trip);
	printf("    on one CPU: CREATE+START over floor + 4 round trips   %+6.1f\n",
	       one.m[CREATE_START] - one.floor - 4 * one.round_trip);
	printf("    on one CPU: the least a spawn by request can cost, floor + 2 round trips  %.2fx the floor;\n"
	       "      + the spawner's round trip %.2fx (procd's own work is what remains of its ratio)\n",
	       (one.floor + 2 * one.round_trip) / one.floor, (one.floor + 3 * one.round_trip) / one.floor);
	printf("    cross-CPU wake-ups (SPAWN_SERVICE on all CPUs  %+8.1f   (what pinning to one CPU takes away,\n"
	       "      less on one, each against its own floor)             the floor's own change discounted)\n",
	       (m[SPAWN_SERVICE] - floor) - (one.m[SPAWN_SERVICE] - one.floor));
	bench_wake(n, floor);
}

/* ------------------------------------------------------------- 2: query */

static void echo_server(int fd)
{
	unsigned char buf[PROCD_MSG_MAX];
	ssize_t n;

	while ((n = recv(fd, buf, sizeof buf, 0)) > 0)
		if (send(fd, buf, (size_t)n, MSG_NOSIGNAL) != n)
			break;
	_exit(0);
}

/* The median QUERY_PROCESS round trip of pid on endpoint `on`. */
static double query_us(int on, size_t n, uint32_t pid)
{
	uint64_t *v = calloc(n, sizeof *v);
	struct procd_msg_pid q = { .pid = pid };
	struct procd_msg_info info;
	double m;

	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = now_ns();

		if (boot_call(on, PROCD_OP_QUERY_PROCESS, &q, sizeof q, &info, sizeof info, NULL, 0, NULL) != PROCD_OK)
			die("QUERY_PROCESS");
		v[i] = now_ns() - t0;
	}
	m = median_us(v, n);
	free(v);
	return m;
}

static double pingpong_us(size_t n, int fd)
{
	uint64_t *v = calloc(n, sizeof *v);
	struct { struct procd_msg_header h; struct procd_msg_pid p; } msg = { { 1, sizeof msg, 1, 0 }, { 1, 0 } };
	unsigned char buf[PROCD_MSG_MAX];
	double m;

	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = now_ns();

		if (send(fd, &msg, sizeof msg, 0) != (ssize_t)sizeof msg || recv(fd, buf, sizeof buf, 0) <= 0)
			die("ping-pong");
		v[i] = now_ns() - t0;
	}
	m = median_us(v, n);
	free(v);
	return m;
}

double pingpong_round_trip_us(size_t n)
{
	int sv[2];
	pid_t echo;
	double m;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		die("socketpair");
	echo = fork();
	if (echo < 0)
		die("fork");
	if (echo == 0) {
		close(sv[0]);
		echo_server(sv[1]);
	}
	close(sv[1]);
	m = pingpong_us(n, sv[0]);
	close(sv[0]);
	waitpid(echo, NULL, 0);
	return m;
}

static void bench_query(size_t n)
{
	int sv[2], alias;
	pid_t echo;
	uint32_t pid = create(&alias);

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		die("socketpair");
	echo = fork();
	if (echo == 0) {
		close(sv[0]);
		echo_server(sv[1]);
	}
	close(sv[1]);
	printf("QUERY_PROCESS round trip vs raw SEQPACKET ping-pong (median of %zu, us)\n", n);
	for (int pinned = 1; pinned >= 0; pinned--) {
		int cpu = pinned ? 0 : -1;
		double q, pp;

		pin(0, cpu);
		pin(procd, cpu);
		pin(echo, cpu);
		q = query_us(ep, n, pid);
		pp = pingpong_us(n, sv[0]);
		printf("  %-9s procd %7.2f   ping-pong %7.2f   ratio %.2fx (target <= 1.3x)\n",
		       pinned ? "pinned" : "unpinned", q, pp, q / pp);
	}
	close(sv[0]);
	waitpid(echo, NULL, 0);
	close(alias);
	pid_op(PROCD_OP_ABORT_STAGED_PROCESS, pid);
}

/* ----------------------------------------------------------- 3: restart */

void procd_restarter_begin(struct procd_restarter *r)
{
	struct procd_msg_restart rp = { .policy = PROCD_RESTART_ON_FAILURE, .max_restarts = 32,
					.window_ms = 1, .backoff_min_ms = 0, .backoff_max_ms = 0 };
	struct procd_msg_pid out;

	r->pid = create(&r->alias);
	rp.pid = r->pid;
	if (boot_call(ep, PROCD_OP_SET_RESTART_POLICY, &rp, sizeof rp, &out, sizeof out, NULL, 0, NULL) != PROCD_OK)
		die("SET_RESTART_POLICY");
	start(r->pid);
	await_announce(r->alias);
}

uint64_t procd_restart_once(const struct procd_restarter *r)
{
	struct helper_exit_msg msg = { { HELPER_OP_EXIT, sizeof msg, 1, 0 }, 1 };
	uint64_t t0 = now_ns();

	if (send(r->alias, &msg, sizeof msg, MSG_NOSIGNAL) != (ssize_t)sizeof msg)
		die("EXIT");
	await_announce(r->alias);
	return now_ns() - t0;
}

void procd_restarter_end(struct procd_restarter *r)
{
	pid_op(PROCD_OP_STOP_PROCESS, r->pid);
	close(r->alias);
}

static void bench_restart(size_t n)
{
	uint64_t *v = calloc(n, sizeof *v), *fv = calloc(n, sizeof *fv);
	struct procd_restarter pr;
	struct spawn_floor f;
	double r, fl;

	floor_open(&f, helper);
	procd_restarter_begin(&pr);
	/* Interleaved, so that a slow spell of the machine falls on both. */
	for (size_t i = 0; i < n; i++) {
		v[i] = procd_restart_once(&pr);
		fv[i] = floor_spawn_once(&f, FLOOR_ALL);
	}
	procd_restarter_end(&pr);
	floor_close(&f);
	r = median_us(v, n);
	fl = median_us(fv, n);
	free(v);
	free(fv);
	printf("restart latency, exit to the next exec (median of %zu): %.1f us (target <= 250 us)\n", n, r);
	printf("  spawn floor of this run %.1f us   restart/floor %.2fx (procd notices the exit, judges it,\n"
	       "  spawns; the floor only spawns and collects)\n", fl, r / fl);
}

/* ----------------------------------------------------------- 4: scaling */

long rss_kib(pid_t pid)
{
	return boot_status_field(pid, "VmRSS");
}

/* procd holds two descriptors per running child (its endpoint and its
 * pidfd); a descriptor limit below 2 x 10000 caps the last level. */
static uint32_t fd_capacity(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 0;
	return rl.rlim_cur > 200 ? (uint32_t)((rl.rlim_cur - 200) / 2) : 0;
}

static void bench_scaling(uint32_t capacity)
{
	uint32_t levels[] = { 10, 1000, 10000 };
	uint32_t fit = fd_capacity();
	static int aliases[16384];
	static uint32_t pids[16384];
	uint32_t have = 0;
	double base = 0;
	long rss_base = 0;

	printf("spawn cost (CREATE+START, median of 100) and procd RSS by managed children\n");
	if (fit < levels[2]) {
		printf("  (RLIMIT_NOFILE lets procd hold %u children here; the last level is %u)\n", fit, fit);
		levels[2] = fit;
	}
	for (size_t l = 0; l < 3; l++) {
		uint32_t level = levels[l];
		uint64_t samples[100];
		double us;
		long rss;

		if (level + 2 > capacity || level > 16384) {
			printf("  %6u children: skipped; this procd has %u process entries "
			       "(configure --with-max-processes=16384)\n", level, capacity);
			continue;
		}
		while (have < level) {
			pids[have] = create(&aliases[have]);
			start(pids[have]);
			have++;
		}
		/* With `level` children managed: one more spawn, timed, then
		 * stopped again, a hundred times. */
		for (int i = 0; i < 100; i++) {
			int alias;
			uint64_t t0 = now_ns();
			uint32_t pid = create(&alias);

			start(pid);
			samples[i] = now_ns() - t0;
			pid_op(PROCD_OP_STOP_PROCESS, pid);
			close(alias);
		}
		us = median_us(samples, 100);
		rss = rss_kib(procd);
		if (l == 0) {
			base = us;
			rss_base = rss;
		}
		printf("  %6u children: %7.1f us/spawn (%.2fx the cost at 10; target <= 1.5x)   RSS %ld KiB",
		       level, us, us / base, rss);
		if (l > 0)
			printf("   %+.0f bytes per child", (double)(rss - rss_base) * 1024.0 / (level - levels[0]));
		printf("\n");
		fflush(stdout);
	}
	printf("  (the process table is preallocated by --with-max-processes, so RSS does not grow per child)\n");
	for (uint32_t i = 0; i < have; i++) {
		pid_op(PROCD_OP_STOP_PROCESS, pids[i]);
		close(aliases[i]);
	}
}

/* ------------------------------------------------------------ 5: loader */

/* A static image of about `size` bytes that exits 0 at once: code, then
 * `size` bytes of read-only padding, then a 64 KiB writable stack reserve
 * ending the last segment, the layout procd's validator requires. */
static unsigned char *make_image(size_t pad, size_t *len)
{
	static const unsigned char code[] = { 0xb8, 0x3c, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05 }; /* exit(0) */
	size_t total = 0x2000 + pad;
	unsigned char *b = calloc(1, total);
	uint64_t rod = 0x401000, data = rod + ((pad + 0xfff) & ~(size_t)0xfff) + 0x1000;
	struct {
		uint32_t type, flags;
		uint64_t offset, vaddr, paddr, filesz, memsz, align;
	} ph[3] = {
		{ 1, 5, 0x1000, 0x400000, 0x400000, sizeof code, sizeof code, 0x1000 },
		{ 1, 4, 0x2000, rod, rod, pad, pad, 0x1000 },
		{ 1, 6, 0, data, data, 0, 65536, 0x1000 },
	};
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	memcpy(b, "\177ELF\2\1\1", 7);
	u16 = 2, memcpy(b + 16, &u16, 2);          /* ET_EXEC */
	u16 = 62, memcpy(b + 18, &u16, 2);         /* EM_X86_64 */
	u32 = 1, memcpy(b + 20, &u32, 4);
	u64 = 0x400000, memcpy(b + 24, &u64, 8);   /* entry */
	u64 = 64, memcpy(b + 32, &u64, 8);         /* phoff */
	u16 = 64, memcpy(b + 52, &u16, 2);         /* ehsize */
	u16 = 56, memcpy(b + 54, &u16, 2);
	u16 = 3, memcpy(b + 56, &u16, 2);
	u16 = 64, memcpy(b + 58, &u16, 2);
	memcpy(b + 64, ph, sizeof ph);
	memcpy(b + 0x1000, code, sizeof code);
	for (size_t i = 0; i < pad; i++)
		b[0x2000 + i] = (unsigned char)i;
	*len = total;
	return b;
}

static int memfd_of(const unsigned char *b, size_t len)
{
	int fd = memfd_create("bench-image", MFD_CLOEXEC);

	if (fd < 0 || write(fd, b, len) != (ssize_t)len)
		die("memfd");
	return fd;
}

/* Runs the image in fd (vfork + execveat) to its exit, and closes fd. */
static void run_image(int fd)
{
	char *const none[] = { NULL };
	int status;
	pid_t pid = vfork();

	if (pid == 0) {
		syscall(SYS_execveat, fd, "", none, none, AT_EMPTY_PATH);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("execveat of the image");
	close(fd);
}

/* Baseline: the bytes into a memfd, then vfork + execveat + waitpid. */
static uint64_t direct_image_once(const unsigned char *b, size_t len)
{
	uint64_t t0 = now_ns();

	run_image(memfd_of(b, len));
	return now_ns() - t0;
}

/*
 * The transport floor: the least that moving the bytes to another process
 * over the same kind of endpoint costs, with nothing of procd's in it. A
 * sender that has the file (as loaderd has) streams it in chunks of
 * procd's size over a SEQPACKET pair, unanswered; the receiver writes them
 * into a memfd and runs it. procd's figure over this one is procd's own.
 */
static void floor_send(int file, size_t len, int data)
{
	const unsigned char *view = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, file, 0);

	if (view == MAP_FAILED)
		_exit(1);
	for (size_t off = 0; off < len; off += PROCD_CHUNK_MAX) {
		size_t n = len - off < PROCD_CHUNK_MAX ? len - off : PROCD_CHUNK_MAX;

		if (send(data, view + off, n, 0) != (ssize_t)n)
			_exit(1);
	}
	_exit(0);
}

static uint64_t floor_image_once(const unsigned char *b, size_t len)
{
	static unsigned char chunk[PROCD_CHUNK_MAX];
	int src = memfd_of(b, len), data[2], go[2], fd, deep = 4 << 20;
	uint64_t t0, t;
	pid_t sender;
	char byte = 0;

	if (boot_pair(data) != 0 || boot_pair(go) != 0)
		die("floor endpoints");
	/* As deep a queue as the system allows (net.core.wmem_max caps it),
	 * so that the sender never waits on the receiver for want of room. */
	setsockopt(data[1], SOL_SOCKET, SO_SNDBUF, &deep, sizeof deep);
	/* Started before the clock, as loaderd is; it begins when told. */
	sender = fork();
	if (sender < 0)
		die("fork the floor sender");
	if (sender == 0) {
		if (read(go[1], &byte, 1) != 1)
			_exit(1);
		floor_send(src, len, data[1]);
	}
	close(data[1]);
	close(go[1]);
	t0 = now_ns();
	if (write(go[0], &byte, 1) != 1)
		die("start the floor sender");
	fd = memfd_create("bench-floor", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)len) != 0)
		die("floor memfd");
	for (size_t off = 0; off < len;) {
		ssize_t n = recv(data[0], chunk, sizeof chunk, 0);

		if (n <= 0 || pwrite(fd, chunk, (size_t)n, (off_t)off) != n)
			die("floor transfer");
		off += (size_t)n;
	}
	run_image(fd);
	t = now_ns() - t0;
	if (waitpid(sender, NULL, 0) != sender)
		die("floor sender");
	close(data[0]);
	close(go[0]);
	close(src);
	return t;
}

/* procd: loaderd is handed the image file and transfers it; procd
 * materializes and starts it; the time runs to the child's exit event and
 * its STOP (which frees the image, as the baselines' close does). The file
 * exists before (as an image on disk, in the page cache, would): the
 * baselines do not pay for making it either. */
static uint64_t loader_image_once(int loaderd, const unsigned char *b, size_t len, uint32_t chunk)
{
	struct helper_load_msg m = { { HELPER_OP_LOAD, sizeof m, 1, 0 }, ROLE_PHASE0_EXIT, chunk };
	struct { uint32_t pid, reserved; } rep;
	uint32_t seq = 0;
	int fd = memfd_of(b, len);
	uint64_t t0 = now_ns(), t;

	if (boot_exchange(loaderd, &m, sizeof m, &fd, 1, &rep, sizeof rep) != PROCD_OK)
		die("LOAD through loaderd");
	wait_kind(rep.pid, &seq, PROCD_EVENT_EXITED);
	pid_op(PROCD_OP_STOP_PROCESS, rep.pid);
	t = now_ns() - t0;
	close(fd); /* and the file goes after the clock, as it came before */
	return t;
}

static int start_loaderd(void)
{
	struct procd_msg_start s = { .image_module = 1 };
	struct procd_msg_pid out;
	struct procd_msg_create c = { .role = ROLE_LOADERD };
	struct procd_msg_created created;
	int caps[2];
	size_t n;

	if (boot_call(ep, PROCD_OP_CREATE_STAGED_PROCESS, &c, sizeof c, &created, sizeof created, caps, 2, &n) !=
	    PROCD_OK || boot_install(caps[1], SLOT_PROCD_ENDPOINT, -1) != PROCD_OK)
		die("stage loaderd");
	close(caps[1]);
	s.pid = created.pid;
	if (boot_call(ep, PROCD_OP_START_STAGED_PROCESS, &s, sizeof s, &out, sizeof out, NULL, 0, NULL) != PROCD_OK)
		die("start loaderd");
	return caps[0];
}

static void bench_loader(int quick)
{
	static const size_t sizes[] = { 64u << 10, 1u << 20, 16u << 20 };
	int loaderd = start_loaderd();
	unsigned char *last = NULL;
	size_t last_len = 0;

	printf("loader transfer + commit + start to exit (median, ms), against memfd + execveat directly\n"
	       "and against the transport floor (the same bytes streamed to a bare receiver, then run)\n");
	for (size_t k = 0; k < 3; k++) {
		size_t n = quick ? 5 : (k == 2 ? 21 : 41), len;
		unsigned char *img = make_image(sizes[k] - 0x2000, &len);
		uint64_t *p = calloc(n, sizeof *p), *q = calloc(n, sizeof *q), *f = calloc(n, sizeof *f);
		double mp, mq, mf;

		/* Interleaved, so that a slow spell of the machine falls on all
		 * three alike. */
		for (size_t i = 0; i < n; i++) {
			p[i] = loader_image_once(loaderd, img, len, 0);
			q[i] = direct_image_once(img, len);
			f[i] = floor_image_once(img, len);
		}
		mp = median_us(p, n) / 1000.0;
		mq = median_us(q, n) / 1000.0;
		mf = median_us(f, n) / 1000.0;
		printf("  %8zu bytes: procd %7.2f  direct %7.2f  floor %7.2f   procd/direct %.2fx%s  procd/floor %.2fx\n",
		       len, mp, mq, mf, mp / mq, k == 2 ? " (target <= 1.5x)" : "", mp / mf);
		free(p);
		free(q);
		free(f);
		if (k < 2)
			free(img);
		else
			last = img, last_len = len;
	}
	printf("chunk-size sensitivity, %zu bytes (median, ms)\n", last_len);
	{
		enum { NCHUNKS = 5 }; /* 8 KiB to PROCD_CHUNK_MAX, doubling */
		size_t n = quick ? 3 : 11;
		uint64_t *p = calloc(n * NCHUNKS, sizeof *p);

		/* Round-robin over the sizes, as above. */
		for (size_t i = 0; i < n; i++)
			for (uint32_t k = 0; k < NCHUNKS; k++)
				p[k * n + i] = loader_image_once(loaderd, last, last_len, PROCD_CHUNK_MAX >> (NCHUNKS - 1 - k));
		for (uint32_t k = 0; k < NCHUNKS; k++)
			printf("  %6u-byte chunks: %8.2f\n", PROCD_CHUNK_MAX >> (NCHUNKS - 1 - k),
			       median_us(p + k * n, n) / 1000.0);
		free(p);
	}
	free(last);
	close(loaderd);
}

/* ----------------------------------------------------- 6: driver endpoint */

static void bench_driver_under_flood(int quick)
{
	struct procd_msg_create c = { .role = ROLE_DEVICED };
	struct procd_msg_created created;
	struct procd_msg_start s = { .image_module = PROCD_IMAGE_OF_ROLE };
	struct procd_msg_pid out;
	int caps[2], deviced;
	size_t n = quick ? 500 : 5000, ncaps;
	uint32_t drv;
	pid_t flooder;
	double idle, flooded;

	if (boot_call(ep, PROCD_OP_CREATE_STAGED_PROCESS, &c, sizeof c, &created, sizeof created, caps, 2, &ncaps) !=
	    PROCD_OK || boot_install(caps[1], SLOT_PROCD_DRIVER_ENDPOINT, -1) != PROCD_OK)
		die("stage deviced");
	close(caps[1]);
	deviced = caps[0];
	s.pid = created.pid;
	if (boot_call(ep, PROCD_OP_START_STAGED_PROCESS, &s, sizeof s, &out, sizeof out, NULL, 0, NULL) != PROCD_OK)
		die("start deviced");
	c.role = ROLE_DRV_SERIAL;
	if (boot_call(deviced, PROCD_OP_CREATE_STAGED_PROCESS, &c, sizeof c, &created, sizeof created, caps, 2,
		      &ncaps) != PROCD_OK)
		die("stage drv-serial as deviced");
	close(caps[0]);
	close(caps[1]);
	drv = created.pid;
	idle = query_us(deviced, n, drv);
	flooder = fork();
	if (flooder == 0) {
		unsigned char junk[48] = { 0x42 };
		char sink[256];

		for (;;) {
			send(ep, junk, sizeof junk, MSG_DONTWAIT | MSG_NOSIGNAL);
			while (recv(ep, sink, sizeof sink, MSG_DONTWAIT) > 0)
				;
		}
	}
	flooded = query_us(deviced, n, drv);
	kill(flooder, SIGKILL);
	waitpid(flooder, NULL, 0);
	/* procd still answers the junk queued before the flooder died; those
	 * replies must not be taken for the next section's. */
	for (;;) {
		struct pollfd pf = { .fd = ep, .events = POLLIN };
		char sink[256];

		if (poll(&pf, 1, 200) != 1)
			break;
		if (recv(ep, sink, sizeof sink, MSG_DONTWAIT) < 0 && errno != EAGAIN)
			break;
	}
	printf("driver endpoint QUERY latency (median of %zu, us): idle %.1f, bootstrap flooded %.1f (%.2fx)\n", n,
	       idle, flooded, flooded / idle);
	close(deviced);
}

/* ------------------------------------------------------------ 7: memory */

static void bench_memory(void)
{
	printf("procd memory per managed child (this build's structures)\n");
	entry_size_print(stdout, "  ");
	printf("  (hosted, each child also has kernel objects procd holds by descriptor: its pidfd and the\n"
	       "   server ends of its endpoints; they are not procd memory and not counted)\n");
}

/* Each section at full length, or shortened by --quick. */
static void run_spawn(int quick, unsigned max) { (void)max; bench_spawn(quick ? 50 : 300); }
static void run_query(int quick, unsigned max) { (void)max; bench_query(quick ? 2000 : 20000); }
static void run_restart(int quick, unsigned max) { (void)max; bench_restart(quick ? 50 : 300); }
static void run_scaling(int quick, unsigned max) { (void)quick; bench_scaling(max); }
/* A procd built without its loader role module has no transfer to time. */
static int loader_compiled_in;
static void run_loader(int quick, unsigned max)
{
	(void)max;
	if (loader_compiled_in)
		bench_loader(quick);
	else
		printf("loader: this procd has no loader role module (BEGIN_LOADER_IMAGE_TRANSFER is not"
		       " registered); skipped\n");
}
static void run_driver(int quick, unsigned max) { (void)max; bench_driver_under_flood(quick); }
static void run_memory(int quick, unsigned max) { (void)quick; (void)max; bench_memory(); }
static void run_s6(int quick, unsigned max) { (void)max; bench_s6(quick); }

static const struct section {
	const char *name;
	void (*run)(int quick, unsigned max_processes);
} sections[] = {
	{ "spawn", run_spawn },     { "query", run_query },   { "restart", run_restart },
	{ "scaling", run_scaling }, { "loader", run_loader }, { "driver", run_driver },
	{ "memory", run_memory },   { "s6", run_s6 },
};
#define NSECTIONS (sizeof sections / sizeof *sections)

static void usage(void)
{
	fprintf(stderr, "usage: bench [PROCD] [--quick] [--only SECTION]\n"
			"sections: spawn query restart scaling loader driver memory s6\n");
	exit(2);
}

/* Which sections run: all by default, or the one --only names. */
static unsigned parse_args(int argc, char **argv, const char **procd_path, int *quick)
{
	unsigned want = (1u << NSECTIONS) - 1;

	*procd_path = "./procd";
	*quick = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			*quick = 1;
		} else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
			want = 0;
			for (unsigned k = 0; k < NSECTIONS; k++)
				if (strcmp(argv[i + 1], sections[k].name) == 0)
					want = 1u << k;
			if (!want)
				usage();
			i++;
		} else if (argv[i][0] != '-' && i == 1) {
			*procd_path = argv[i];
		} else {
			usage();
		}
	}
	return want;
}

int main(int argc, char **argv)
{
	const char *procd_path;
	int quick;
	unsigned want = parse_args(argc, argv, &procd_path, &quick);
	struct registry_file rf;
	struct elf_error err;
	int status;

	helper = getenv("BENCH_HELPER") ? getenv("BENCH_HELPER") : "tests/bench/announce";
	if (registry_load(&rf, procd_path, &err) != 0) {
		fprintf(stderr, "bench: %s: %s\n", procd_path, err.msg);
		return 1;
	}
	for (size_t i = 0; i < rf.nops; i++)
		if (rf.ops[i].id == PROCD_OP_BEGIN_LOADER_IMAGE_TRANSFER && !(rf.ops[i].flags & PROCD_OP_DENY))
			loader_compiled_in = 1;
	signal(SIGPIPE, SIG_IGN);
	launch(procd_path);
	printf("procd bench: %s, %ld CPUs, %u process entries\n", procd_path, sysconf(_SC_NPROCESSORS_ONLN),
	       rf.layout.max_processes);
	for (unsigned k = 0; k < NSECTIONS; k++)
		if (want & (1u << k)) {
			printf("\n");
			sections[k].run(quick, rf.layout.max_processes);
		}
	registry_free(&rf);
	boot_intake_close(&in);
	waitpid(procd, &status, 0);
	return 0;
}
