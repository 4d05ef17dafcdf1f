/* SPDX-License-Identifier: ISC */
/*
 * procd against s6, the supervisor a user would otherwise pick, in the same
 * run and on the same child (bench-announce, which tells the bench on its
 * endpoint each time it is executing). s6-svscan runs a scan directory the
 * bench makes under a temporary directory and removes afterwards; each
 * service's ./run is a link to the child itself, so no shell is timed, and
 * every instance finds its endpoint at slot 16, inherited from s6-svscan
 * through s6-supervise. The directory is on /dev/shm, a tmpfs, when there
 * is one, as s6's own scan directory is.
 *
 *  - start: s6-svc -u (the 'u' it writes to supervise/control) on a down
 *    service, against procd's START of a staged child, each to the exec;
 *  - restart: from the child's exit to its next exec. s6-supervise will not
 *    start a service again within a second of its last start; the bench
 *    bypasses that as s6-svc -u on the down service does (it waits for the
 *    'D' event, then writes 'u'), and measures the unbypassed restart too;
 *  - memory per supervised service: s6 runs one s6-supervise per service,
 *    whose RSS and PSS are read from /proc; procd's is its entry.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/abi/procd_ops.h"
#include "core/abi/procd_slots.h"
#include "core/abi/procd_status.h"
#include "helpers/proto.h"
#include "tests/bench/bench.h"
#include "tests/bench/entry_size.h"
#include "tools/bootlib.h"

#define S6_SERVICES 20 /* for the memory figures */

struct s6_rig {
	char dir[64];  /* the temporary directory: scan/ and the bench's fifo */
	pid_t svscan;
	int sock;      /* the bench's end of every instance's slot 16 */
	int events;    /* service 0's event fifo, read end */
	int events_keep; /* its write end, so reads wait instead of seeing EOF */
	int control;   /* service 0's supervise/control */
};

/* The rig torn down even when the bench dies half-way (die() exits). */
static struct s6_rig *running;

static void s6_down(struct s6_rig *r, const pid_t *supervisors, size_t n);

static void s6_down_at_exit(void)
{
	if (running)
		s6_down(running, NULL, 0);
}

static int on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");

		snprintf(buf, sizeof buf, "%.*s/%s", (int)n, p, prog);
		if (access(buf, X_OK) == 0)
			return 1;
		p += n + (p[n] == ':');
	}
	return 0;
}

static void service_path(const struct s6_rig *r, char *buf, size_t cap, int svc, const char *file)
{
	snprintf(buf, cap, "%s/scan/svc%d%s%s", r->dir, svc, file ? "/" : "", file ? file : "");
}

static void make_service(const struct s6_rig *r, int svc, const char *child)
{
	char path[PATH_MAX];
	int fd;

	service_path(r, path, sizeof path, svc, NULL);
	if (mkdir(path, 0755) != 0)
		die(path);
	service_path(r, path, sizeof path, svc, "run");
	if (symlink(child, path) != 0)
		die(path);
	/* Down until told: the start figure is s6-svc -u's. */
	service_path(r, path, sizeof path, svc, "down");
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		die(path);
	close(fd);
}

/* supervise/control of svc, once its s6-supervise reads it. */
static int open_control(const struct s6_rig *r, int svc)
{
	char path[PATH_MAX];

	service_path(r, path, sizeof path, svc, "supervise/control");
	for (int tries = 0; tries < 10000; tries++) {
		int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

		if (fd >= 0)
			return fd;
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
	die("s6-supervise never opened its control fifo");
}

static void control(int fd, char cmd)
{
	if (write(fd, &cmd, 1) != 1)
		die("write to supervise/control");
}

/* A listener in service 0's event fifodir, named as s6's own listeners
 * are, so s6-supervise writes its events (u d D ...) to it. */
static void listen_events(struct s6_rig *r)
{
	char path[PATH_MAX];
	char name[] = "ftrig1:@procd-bench-0000000000000000000";

	_Static_assert(sizeof name - 1 == 6 + 33, "s6 reads only listeners of this name length");
	service_path(r, path, sizeof path, 0, "event/");
	strncat(path, name, sizeof path - strlen(path) - 1);
	if (mkfifo(path, 0600) != 0)
		die(path);
	r->events = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	r->events_keep = open(path, O_WRONLY | O_CLOEXEC);
	if (r->events < 0 || r->events_keep < 0 || fcntl(r->events, F_SETFL, 0) != 0)
		die("open the event fifo");
}

static void await_event(const struct s6_rig *r, char want)
{
	char c;

	do
		if (read(r->events, &c, 1) != 1)
			die("read an s6 event");
	while (c != want);
}

static int s6_up(struct s6_rig *r, const char *child)
{
	char scan[PATH_MAX];
	int sv[2];

	/* s6 keeps its scan directory on a tmpfs (/run/service): every start
	 * and death rewrites supervise/status, which on a disk would time the
	 * disk. */
	snprintf(r->dir, sizeof r->dir, "%s/procd-bench-s6.XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(r->dir))
		die("mkdtemp");
	snprintf(scan, sizeof scan, "%s/scan", r->dir);
	if (mkdir(scan, 0755) != 0)
		die(scan);
	for (int i = 0; i < S6_SERVICES; i++)
		make_service(r, i, child);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		die("socketpair");
	r->svscan = fork();
	if (r->svscan < 0)
		die("fork");
	if (r->svscan == 0) {
		int null = open("/dev/null", O_WRONLY);

		/* The endpoint at slot 16 for every instance (dup2 leaves it
		 * open across exec); stdout quiet. */
		if (dup2(sv[1], SLOT_SELF_ENDPOINT) < 0 || null < 0 || dup2(null, STDOUT_FILENO) < 0)
			_exit(127);
		execlp("s6-svscan", "s6-svscan", scan, (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	r->sock = sv[0];
	r->control = r->events = r->events_keep = -1;
	running = r;
	atexit(s6_down_at_exit);
	r->control = open_control(r, 0);
	listen_events(r);
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path) != 0 && errno != ENOENT;
}

static void s6_down(struct s6_rig *r, const pid_t *supervisors, size_t n)
{
	/* s6-svscan passes SIGTERM on to every s6-supervise, which takes its
	 * service down and exits; only then can the directory go. */
	running = NULL;
	kill(r->svscan, SIGTERM);
	waitpid(r->svscan, NULL, 0);
	for (size_t i = 0; i < n; i++)
		for (int tries = 0; tries < 5000 && kill(supervisors[i], 0) == 0; tries++)
			nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	if (n == 0) /* not known: give them the time they take */
		nanosleep(&(struct timespec){ 0, 200000000 }, NULL);
	close(r->control);
	close(r->events);
	close(r->events_keep);
	close(r->sock);
	if (nftw(r->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "bench: could not remove all of %s\n", r->dir);
}

/* The s6-supervise processes: s6-svscan's children. */
static size_t supervisors_of(pid_t svscan, pid_t *out, size_t max)
{
	char path[64];
	size_t n = 0;
	long pid;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)svscan, (int)svscan);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (n < max && fscanf(f, "%ld", &pid) == 1)
		out[n++] = (pid_t)pid;
	fclose(f);
	return n;
}

/* Rss and Pss of pid in KiB, from smaps_rollup. */
static int rss_pss_kib(pid_t pid, long *rss, long *pss)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	*rss = *pss = -1;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "Rss:", 4) == 0)
			*rss = strtol(line + 4, NULL, 10);
		else if (strncmp(line, "Pss:", 4) == 0)
			*pss = strtol(line + 4, NULL, 10);
	}
	fclose(f);
	return *rss < 0 || *pss < 0 ? -1 : 0;
}

static void tell_exit(int fd, int32_t code)
{
	struct helper_exit_msg m = { { HELPER_OP_EXIT, sizeof m, 1, 0 }, code };

	if (send(fd, &m, sizeof m, MSG_NOSIGNAL) != (ssize_t)sizeof m)
		die("EXIT");
}

/* ------------------------------------------------------------ figures */

/* s6-svc -u on the down service to its exec; then down again ('d': its
 * SIGTERM, wanted down) for the next. */
static uint64_t s6_start_once(const struct s6_rig *r)
{
	uint64_t t0 = now_ns(), t;

	control(r->control, 'u');
	await_announce(r->sock);
	t = now_ns() - t0;
	control(r->control, 'd');
	await_event(r, 'D');
	return t;
}

/* procd's START of a staged child to its exec. */
static uint64_t procd_start_once(void)
{
	int alias;
	uint32_t pid = create(&alias);
	uint64_t t0 = now_ns(), t;

	start(pid);
	await_announce(alias);
	t = now_ns() - t0;
	pid_op(PROCD_OP_STOP_PROCESS, pid);
	close(alias);
	return t;
}

/* With the service up: exit, s6-supervise runs ./finish (absent: a fork
 * that fails to exec) and reports 'D', the bench writes 'u', next exec. */
static uint64_t s6_restart_bypassed_once(const struct s6_rig *r)
{
	uint64_t t0 = now_ns();

	tell_exit(r->sock, 1);
	await_event(r, 'D');
	control(r->control, 'u');
	await_announce(r->sock);
	return now_ns() - t0;
}

/* s6-supervise on its own: no restart within a second of the last start. */
static double s6_restart_unbypassed_ms(struct s6_rig *r, size_t n)
{
	uint64_t *v = calloc(n, sizeof *v);
	double m;

	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = now_ns();

		tell_exit(r->sock, 1);
		await_announce(r->sock);
		v[i] = now_ns() - t0;
	}
	m = median_us(v, n) / 1000.0;
	free(v);
	return m;
}

static void memory_figures(const pid_t *sup, size_t nsup)
{
	uint64_t rss[S6_SERVICES], pss[S6_SERVICES];
	size_t got = 0;
	double per_child = entry_bytes_per_child(), mr, mp;

	for (size_t i = 0; i < nsup && got < S6_SERVICES; i++) {
		long r, p;

		if (rss_pss_kib(sup[i], &r, &p) == 0) {
			rss[got] = (uint64_t)r * 1024u;
			pss[got] = (uint64_t)p * 1024u;
			got++;
		}
	}
	if (got == 0) {
		printf("  memory per service: no s6-supervise could be read in /proc\n");
		return;
	}
	mr = (double)median_u64(rss, got);
	mp = (double)median_u64(pss, got);
	printf("  memory per supervised service (median of %zu s6-supervise, each with its service up)\n", got);
	printf("    s6-supervise   RSS %8.0f bytes   PSS %8.0f bytes\n", mr, mp);
	printf("    procd's entry      %8.0f bytes   procd/s6 %.4fx of PSS, %.4fx of RSS\n", per_child,
	       per_child / mp, per_child / mr);
}

void bench_s6(int quick)
{
	size_t n = quick ? 20 : 200, nslow = quick ? 1 : 3;
	uint64_t *pv = calloc(n, sizeof *pv), *sv = calloc(n, sizeof *sv), *fv = calloc(n, sizeof *fv);
	struct procd_restarter pr;
	char child[PATH_MAX];
	struct s6_rig r;
	pid_t sup[S6_SERVICES];
	size_t nsup;
	double ps, s6s, pfork, pr_us, s6r, slow;

	printf("procd against s6 (s6-svscan + one s6-supervise per service), the same child\n");
	if (!on_path("s6-svscan") || !on_path("s6-supervise")) {
		printf("  s6: not installed (no s6-svscan on PATH; Debian package s6): skipped\n");
		free(pv);
		free(sv);
		free(fv);
		return;
	}
	if (!pv || !sv || !fv || !realpath(helper, child))
		die(helper);
	s6_up(&r, child);
	printf("  scan directory %s/scan\n", r.dir);
	/* Interleaved, so that a slow spell of the machine falls on all. */
	for (size_t i = 0; i < n; i++) {
		pv[i] = procd_start_once();
		sv[i] = s6_start_once(&r);
		fv[i] = direct_spawn_once(DIRECT_FORK);
	}
	ps = median_us(pv, n);
	s6s = median_us(sv, n);
	pfork = median_us(fv, n);
	printf("  start to exec (median of %zu, us): procd START %8.1f   s6-svc -u %8.1f   procd/s6 %.2fx\n", n, ps,
	       s6s, ps / s6s);
	printf("    (s6-supervise starts with fork; fork+execve+waitpid of the child here: %.1f us)\n", pfork);
	control(r.control, 'u');
	await_announce(r.sock);
	procd_restarter_begin(&pr);
	for (size_t i = 0; i < n; i++) {
		pv[i] = procd_restart_once(&pr);
		sv[i] = s6_restart_bypassed_once(&r);
	}
	procd_restarter_end(&pr);
	pr_us = median_us(pv, n);
	s6r = median_us(sv, n);
	printf("  restart, exit to next exec (median of %zu, us): procd %8.1f   s6 %8.1f   procd/s6 %.2fx\n", n, pr_us,
	       s6r, pr_us / s6r);
	printf("    (s6 with its one-second floor bypassed as s6-svc -u does on the down service: the bench\n"
	       "     waits for s6-supervise's 'D' event, then writes 'u' to supervise/control)\n");
	slow = s6_restart_unbypassed_ms(&r, nslow);
	printf("  s6 restart left to s6-supervise (median of %zu): %.1f ms, its floor of 1 s after the last start\n",
	       nslow, slow);
	free(pv);
	free(sv);
	free(fv);
	/* Every service up, then each s6-supervise measured. */
	for (int i = 1; i < S6_SERVICES; i++) {
		int fd = open_control(&r, i);

		control(fd, 'u');
		close(fd);
	}
	for (int i = 1; i < S6_SERVICES; i++)
		await_announce(r.sock);
	nsup = supervisors_of(r.svscan, sup, S6_SERVICES);
	memory_figures(sup, nsup);
	s6_down(&r, sup, nsup);
}
