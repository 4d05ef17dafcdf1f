/* SPDX-License-Identifier: ISC */
/*
 * procd against hostile peers: a child that tries every way past its
 * descriptors (helpers/hostile, started as phase0-exit), records no peer
 * should be able to confuse with a hang-up, and procd's own confinement.
 * After each campaign procd is alive, its descriptors are the ones it had
 * and its children are back at the baseline.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers/proto.h"
#include "tests/integration/rig.h"

/* helpers/hostile.c's attempts. */
enum { TAKE_PROCD_FD = 1, PTRACE_PROCD, OPEN_BY_PATH, MAKE_SOCKET, SIGNAL_SIBLING, READ_PROCD_MEM,
       EXEC_BY_PATH, RAISE_PROCD_LIMIT, SPAWN_AS_SPAWNER, WIDEN_OWN_WINDOW, PLACE_AT_SLOT,
       ATTEMPT_COUNT };

static struct rig r;

static void up_hostile(void)
{
	static const char *const modules[] = { "phase0-exit=helpers/hostile", NULL };

	rig_up_boot(&r, modules, NULL, NULL);
}

struct child {
	uint32_t pid;
	int alias;
	pid_t os;
};

static struct child start_hostile(void)
{
	struct child c;
	int grant;
	pid_t known[256];
	size_t n = boot_children_of(r.procd, known, 256);

	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &c.pid, &c.alias, &grant), PROCD_OK);
	close(grant);
	ck_assert_int_eq(rig_start(&r, r.ep, c.pid, "phase0-exit"), PROCD_OK);
	c.os = new_child(r.procd, known, n);
	ck_assert_int_gt(c.os, 0);
	return c;
}

/* How the child's first life ended: *kind and its code. */
static int32_t first_end(uint32_t pid, uint32_t *kind)
{
	struct procd_msg_event ev;
	uint32_t seq = 0;

	for (;;) {
		ck_assert_int_eq(rig_wait(r.ep, pid, seq, 5000, &ev), PROCD_OK);
		seq = ev.seq;
		if (ev.kind == PROCD_EVENT_EXITED || ev.kind == PROCD_EVENT_FAULTED ||
		    ev.kind == PROCD_EVENT_KILLED) {
			*kind = ev.kind;
			return ev.code;
		}
	}
}

static void retire(struct child *c)
{
	int64_t st = rig_pid_op(r.ep, PROCD_OP_STOP_PROCESS, c->pid);

	ck_assert_msg(st == PROCD_OK || st == PROCD_E_NOT_FOUND, "stop: %lld", (long long)st);
	close(c->alias);
}

/* ------------------------------------------------------ capability mode */

START_TEST(a_child_runs_in_capability_mode_in_a_session_of_its_own)
{
	struct child c;

	up_hostile();
	c = start_hostile();
	ck_assert_int_eq(boot_status_field(c.os, "Seccomp"), 2);
	ck_assert_int_eq(boot_status_field(c.os, "NoNewPrivs"), 1);
	/* Its own session and group: a terminal's ^C for procd's group
	 * never reaches it. */
	ck_assert_int_eq(getsid(c.os), c.os);
	ck_assert_int_eq(getpgid(c.os), c.os);
	ck_assert_int_ne(getpgid(c.os), getpgid(r.procd));
	retire(&c);
	rig_down(&r);
}
END_TEST

/* The spawner every child is made by: confined itself (its children
 * inherit its filter), holding nothing of procd's but stdio and its
 * channel, and making procd's children, not its own. */
START_TEST(the_spawner_is_confined_and_holds_only_its_channel)
{
	static const int want[] = { 0, 1, 2, 3 };
	struct child c;
	pid_t spawner;
	char path[64];
	int st;

	up_hostile();
	spawner = boot_spawner_of(r.procd);
	ck_assert_int_gt(spawner, 0);
	ck_assert_int_eq(boot_status_field(spawner, "Seccomp"), 2);
	ck_assert_int_eq(boot_status_field(spawner, "NoNewPrivs"), 1);
	rig_assert_fds(spawner, want, 4);
	c = start_hostile();
	ck_assert_int_eq(boot_status_field(c.os, "PPid"), r.procd);
	/* The child's one filter is the spawner's, inherited: none of its own. */
	ck_assert_int_eq(boot_status_field(c.os, "Seccomp_filters"), 1);
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)spawner, (int)spawner);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%d", &st), EOF);
	fclose(f);
	retire(&c);
	rig_down(&r);
}
END_TEST

static const char *const attempt_names[ATTEMPT_COUNT] = {
	[TAKE_PROCD_FD] = "pidfd_getfd on procd",   [PTRACE_PROCD] = "ptrace procd",
	[OPEN_BY_PATH] = "open a path",             [MAKE_SOCKET] = "make a socket",
	[SIGNAL_SIBLING] = "signal a sibling",      [READ_PROCD_MEM] = "process_vm_readv procd",
	[EXEC_BY_PATH] = "execve a path",           [RAISE_PROCD_LIMIT] = "prlimit64 on procd",
	[SPAWN_AS_SPAWNER] = "clone as the spawner", [WIDEN_OWN_WINDOW] = "setrlimit past its window",
	[PLACE_AT_SLOT] = "dup2 as the spawner",
};

/* Each attempt in a child of its own (the filter kills the first), beside
 * an idle sibling; every one ends in SIGSYS. */
START_TEST(every_attempt_past_the_descriptors_is_killed)
{
	int before[256], after[256];
	size_t nbefore, nafter;
	pid_t kids[64];
	size_t nkids;
	struct child sibling;

	up_hostile();
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_QUERY_PROCESS, 0xfffffff0u), PROCD_E_NOT_FOUND);
	nbefore = fd_list(r.procd, before, 256);
	nkids = boot_children_of(r.procd, kids, 64);
	sibling = start_hostile();
	for (int a = TAKE_PROCD_FD; a < ATTEMPT_COUNT; a++) {
		struct child c = start_hostile();
		uint32_t kind;
		int32_t code;

		rig_tell_exit(c.alias, a | (int32_t)sibling.os << 8);
		code = first_end(c.pid, &kind);
		ck_assert_msg(kind == PROCD_EVENT_FAULTED && code == SIGSYS,
			      "%s: not killed by the filter (event %u, code %d)", attempt_names[a], kind, code);
		retire(&c);
	}
	ck_assert_msg(!process_gone_now(sibling.os), "the sibling was hurt");
	retire(&sibling);
	ck_assert_msg(process_gone(sibling.os), "the sibling outlived its stop");
	/* procd is alive, holding exactly what it held. */
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_QUERY_PROCESS, 0xfffffff0u), PROCD_E_NOT_FOUND);
	nafter = fd_list(r.procd, after, 256);
	ck_assert_uint_eq(nafter, nbefore);
	ck_assert_int_eq(memcmp(before, after, nbefore * sizeof before[0]), 0);
	ck_assert_uint_eq(boot_children_of(r.procd, kids, 64), nkids);
	rig_down(&r);
}
END_TEST

/* ------------------------------------------------- zero-length records */

/* Sends a record of no bytes on fd and expects procd's refusal: a bare
 * header, PROCD_E_INVALID. */
static void send_empty_record(int fd)
{
	struct procd_msg_header h;
	unsigned char buf[64];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	ck_assert_int_eq(send(fd, "", 0, MSG_NOSIGNAL), 0);
	ck_assert_msg(poll(&p, 1, 5000) == 1, "no answer to a zero-length record");
	n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
	ck_assert_msg(n == (ssize_t)sizeof h, "answer of %zd bytes (0: procd hung up)", n);
	memcpy(&h, buf, sizeof h);
	ck_assert_uint_eq(h.length, sizeof h);
	ck_assert_uint_eq(h.status, PROCD_E_INVALID);
}

START_TEST(a_zero_length_record_on_the_bootstrap_endpoint_is_refused_not_a_hang_up)
{
	up_hostile();
	send_empty_record(r.ep);
	send_empty_record(r.ep);
	/* procd still serves rootd, and stops only when rootd hangs up. */
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_QUERY_PROCESS, 0xfffffff0u), PROCD_E_NOT_FOUND);
	rig_down(&r);
}
END_TEST

START_TEST(a_zero_length_record_on_an_alias_leaves_it_open)
{
	size_t fds;

	up_hostile();
	fds = rig_procd_fds(&r);
	send_empty_record(r.drv); /* rootd's alias of procd's driver endpoint */
	send_empty_record(r.drv);
	ck_assert_uint_eq(rig_procd_fds(&r), fds);
	rig_down(&r);
}
END_TEST

START_TEST(a_zero_length_record_on_a_grant_leaves_it_open)
{
	uint32_t pid;
	int alias, grant;
	size_t fds;
	struct procd_msg_info info;

	up_hostile();
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
	fds = rig_procd_fds(&r);
	send_empty_record(grant);
	send_empty_record(grant);
	ck_assert_uint_eq(rig_procd_fds(&r), fds);
	ck_assert_int_eq(rig_query(r.ep, pid, &info), PROCD_OK);
	ck_assert_uint_eq(info.state, PROCD_STATE_STAGED);
	close(grant);
	close(alias);
	rig_down(&r);
}
END_TEST

/* ------------------------------------------------------------ logging */

/* Reads what procd wrote to the pipe, for up to wait_ms; whether `text`
 * was among it. */
static int pipe_says(int fd, const char *text, int wait_ms)
{
	static char buf[1 << 16];
	size_t have = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (poll(&p, 1, wait_ms) == 1) {
		ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);

		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
		if (strstr(buf, text))
			return 1;
		if (have > sizeof buf / 2) {
			memmove(buf, buf + have / 2, have - have / 2);
			have -= have / 2;
		}
	}
	return 0;
}

START_TEST(a_stderr_nobody_reads_does_not_stop_procd_serving)
{
	struct timeval bound = { 10, 0 }; /* generous: only "answered at all" */
	int p[2], saved;

	/* procd's stderr: a small pipe the test does not read. */
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_ge(fcntl(p[1], F_SETPIPE_SZ, 4096), 4096);
	saved = dup(STDERR_FILENO);
	ck_assert_int_eq(dup2(p[1], STDERR_FILENO), STDERR_FILENO);
	up_hostile();
	ck_assert_int_eq(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	ck_assert_int_eq(setsockopt(r.ep, SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound), 0);
	/* A flood of lines: every staged child is logged. */
	for (int i = 0; i < 2000; i++) {
		uint32_t pid;
		int alias, grant;

		ck_assert_msg(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant) == PROCD_OK,
			      "create %d was not answered", i);
		ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_ABORT_STAGED_PROCESS, pid), PROCD_OK);
		close(alias);
		close(grant);
	}
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_QUERY_PROCESS, 0xfffffff0u), PROCD_E_NOT_FOUND);
	/* procd's non-blocking hold is its own: the pipe is as it was. */
	ck_assert_int_eq(fcntl(p[1], F_GETFL) & O_NONBLOCK, 0);
	close(p[1]);
	/* Once the pipe drains, procd says what it could not write. */
	pipe_says(p[0], "\n\n", 100); /* reads it all, until 100 ms of quiet */
	{
		uint32_t pid;
		int alias, grant;

		ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
		ck_assert_msg(pipe_says(p[0], " log lines dropped", 5000), "procd never reported the lines it dropped");
		close(alias);
		close(grant);
	}
	rig_down(&r);
	close(p[0]);
}
END_TEST

/* ----------------------------------------------------- tied to procd */

/* Not running: gone, or a zombie nobody has reaped yet (once procd is
 * dead its children are reparented, and their reaper is not ours). */
static int not_running(pid_t pid)
{
	char state = boot_process_state(pid);

	return state == 0 || state == 'Z' || state == 'X';
}

START_TEST(no_child_outlives_a_killed_procd)
{
	static const char *const modules[] = {
		"named+=helpers/named", "logd+=helpers/logd", "crashd+=helpers/crashd",
		"phase0-exit=helpers/hostile", NULL,
	};
	pid_t kids[64];
	size_t n;
	struct child c;
	int status;

	rig_up_boot(&r, modules, NULL, NULL);
	c = start_hostile(); /* waits on an endpoint the test keeps open */
	n = boot_children_of(r.procd, kids, 64);
	ck_assert_uint_eq(n, 4); /* named, logd, crashd (which hold each other's endpoints), hostile */
	kids[n++] = boot_spawner_of(r.procd);
	ck_assert_int_gt(kids[n - 1], 0);
	ck_assert_int_eq(kill(r.procd, SIGKILL), 0);
	ck_assert_int_eq(waitpid(r.procd, &status, 0), r.procd);
	for (size_t i = 0; i < n; i++) {
		int tries = 0;

		while (!not_running(kids[i]) && tries++ < 500)
			usleep(10000);
		ck_assert_msg(not_running(kids[i]), "child %d outlived procd", (int)kids[i]);
	}
	close(c.alias);
	boot_intake_close(&r.in);
}
END_TEST

/* ------------------------------------------------------ procd confined */

/* Not in a sanitizer build: there procd does not confine itself
 * (LeakSanitizer ptraces it at exit). */
#ifndef PROCD_SANITIZERS
START_TEST(procd_is_confined_once_it_serves)
{
	up_hostile();
	ck_assert_int_eq(boot_status_field(r.procd, "Seccomp"), 2);
	ck_assert_int_eq(boot_status_field(r.procd, "NoNewPrivs"), 1);
	/* And it still does its whole job: a child runs, ends, is reported. */
	struct child c = start_hostile();
	uint32_t kind;

	rig_tell_exit(c.alias, 0); /* no attempt 0: the helper says so and exits 3 */
	ck_assert_int_eq(first_end(c.pid, &kind), 3);
	ck_assert_uint_eq(kind, PROCD_EVENT_EXITED);
	retire(&c);
	rig_down(&r);
}
END_TEST
#endif

#ifdef PROCD_FAULT_INJECTION
START_TEST(a_forbidden_call_kills_a_confined_procd)
{
	static char *const env[] = { "PROCD_FAULT=port-forbidden-call", NULL };
	int status;

	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(boot_raise_fd_limit(), 0);
	ck_assert_int_eq(boot_intake_init(&r.in), 0);
	r.procd = boot_launch(&r.in, getenv("PROCD_BINARY") ? getenv("PROCD_BINARY") : "./procd", env);
	ck_assert_int_gt(r.procd, 0);
	ck_assert_int_eq(waitpid(r.procd, &status, 0), r.procd);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS, "procd ended with status %#x", status);
	boot_intake_close(&r.in);
}
END_TEST
#endif

/* Drops CAP_SYS_PTRACE from this process's effective set: what a process
 * of procd's uid without that privilege can do. */
static int drop_ptrace_privilege(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) != 0)
		return -1;
	d[CAP_SYS_PTRACE / 32].effective &= ~(1u << (CAP_SYS_PTRACE % 32));
	return (int)syscall(SYS_capset, &h, d);
}

START_TEST(procd_is_not_dumpable)
{
	pid_t p;
	int status;

	up_hostile();
	p = fork();
	ck_assert_int_ge(p, 0);
	if (p == 0) {
		int pidfd = (int)syscall(SYS_pidfd_open, r.procd, 0);
		int fd;

		if (pidfd < 0 || drop_ptrace_privilege() != 0)
			_exit(2);
		fd = (int)syscall(SYS_pidfd_getfd, pidfd, 3, 0);
		_exit(fd >= 0 ? 0 : errno == EPERM ? 1 : 3);
	}
	ck_assert_int_eq(waitpid(p, &status, 0), p);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1,
		      "a same-uid process took procd's descriptor 3 (status %#x)", status);
	rig_down(&r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("capability mode");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, a_child_runs_in_capability_mode_in_a_session_of_its_own);
	tcase_add_test(tc, every_attempt_past_the_descriptors_is_killed);
	tcase_add_test(tc, the_spawner_is_confined_and_holds_only_its_channel);
	suite_add_tcase(s, tc);

	tc = tcase_create("zero-length records");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, a_zero_length_record_on_the_bootstrap_endpoint_is_refused_not_a_hang_up);
	tcase_add_test(tc, a_zero_length_record_on_an_alias_leaves_it_open);
	tcase_add_test(tc, a_zero_length_record_on_a_grant_leaves_it_open);
	suite_add_tcase(s, tc);

	tc = tcase_create("logging");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_stderr_nobody_reads_does_not_stop_procd_serving);
	suite_add_tcase(s, tc);

	tc = tcase_create("tied to procd");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, no_child_outlives_a_killed_procd);
	suite_add_tcase(s, tc);

	tc = tcase_create("procd confined");
	tcase_set_timeout(tc, 30);
#ifndef PROCD_SANITIZERS
	tcase_add_test(tc, procd_is_confined_once_it_serves);
#endif
#ifdef PROCD_FAULT_INJECTION
	tcase_add_test(tc, a_forbidden_call_kills_a_confined_procd);
#endif
	tcase_add_test(tc, procd_is_not_dumpable);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return rig_run(suite());
}
