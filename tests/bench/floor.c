/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/abi/procd_slots.h"
#include "tests/bench/bench.h"
#include "tests/bench/floor.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

const struct floor_variant floor_variants[] = {
	{ "clone+execveat+pidfd, endpoint at slot 16", 0 },
	{ "+ image lifted, other descriptors closed", FLOOR_PLACE },
	{ "+ RLIMIT_NOFILE, signal mask", FLOOR_PLACE | FLOOR_RLIMIT },
	{ "+ own session, death signal", FLOOR_PLACE | FLOOR_RLIMIT | FLOOR_SESSION },
	{ "+ Landlock domain (the floor)", FLOOR_ALL },
	{ "+ a filter attached by each child", FLOOR_ALL | FLOOR_OWN_FILTER },
};
const size_t floor_nvariants = sizeof floor_variants / sizeof *floor_variants;

struct floor_job {
	int endpoint;
	int image;
	unsigned steps;
	pid_t parent;
};

/* The child runs on it until it execs, with the bench suspended
 * (CLONE_VFORK), as procd's children run on procd's. */
static char child_stack[64 * 1024] __attribute__((aligned(16)));

/* The cheapest filter there is: what attaching any filter costs. */
static struct sock_filter allow_insn[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
static struct sock_fprog allow_all = { 1, allow_insn };

/* What procd's children may do on the filesystem: execute and read their
 * image, nothing else (Landlock ABI 1's rights; later ones cost no more). */
static struct landlock_ruleset_attr landlock_rights = { .handled_access_fs = (1ull << 13) - 1 };

static int enter_landlock(int image)
{
	struct landlock_path_beneath_attr rule = {
		LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE, image };
	long ruleset = syscall(SYS_landlock_create_ruleset, &landlock_rights, sizeof landlock_rights, 0);

	if (ruleset < 0)
		return errno == ENOSYS || errno == EOPNOTSUPP ? 0 : -1; /* no Landlock here */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_landlock_add_rule, (int)ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0 ||
	    syscall(SYS_landlock_restrict_self, (int)ruleset, 0) != 0)
		return -1;
	return close((int)ruleset);
}

/* Only system calls: the child shares the bench's memory. Every local is
 * at function scope, as in procd's child: the child never returns, and a
 * sanitizer's marks for an inner scope would outlive it on this stack. */
static int floor_child(void *arg)
{
	const struct floor_job *j = arg;
	char *const none[] = { NULL };
	struct rlimit rl = { PROCD_WINDOW_SERVICE, PROCD_WINDOW_SERVICE };
	sigset_t empty;
	int image = j->image;

	if (dup2(j->endpoint, SLOT_SELF_ENDPOINT) < 0)
		_exit(127);
	if (j->steps & FLOOR_PLACE) {
		image = fcntl(j->image, F_DUPFD_CLOEXEC, PROCD_WINDOW_SERVICE);
		if (image < 0 || syscall(SYS_close_range, STDERR_FILENO + 1, SLOT_SELF_ENDPOINT - 1, 0) != 0 ||
		    syscall(SYS_close_range, SLOT_SELF_ENDPOINT + 1, image - 1, 0) != 0 ||
		    syscall(SYS_close_range, image + 1, ~0U, 0) != 0)
			_exit(127);
	}
	if (j->steps & FLOOR_RLIMIT) {
		sigemptyset(&empty);
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0 || sigprocmask(SIG_SETMASK, &empty, NULL) != 0)
			_exit(127);
	}
	if (j->steps & FLOOR_SESSION) {
		if (setsid() < 0 || prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || getppid() != j->parent)
			_exit(127);
	}
	if ((j->steps & FLOOR_LANDLOCK) && enter_landlock(image) != 0)
		_exit(127);
	if (j->steps & FLOOR_OWN_FILTER) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &allow_all) != 0)
			_exit(127);
	}
	syscall(SYS_execveat, image, "", none, none, AT_EMPTY_PATH);
	_exit(127);
}

void floor_open(struct spawn_floor *f, const char *image_path)
{
	f->image = open(image_path, O_RDONLY | O_CLOEXEC);
	if (f->image < 0)
		die(image_path);
	f->epoll = epoll_create1(EPOLL_CLOEXEC);
	if (f->epoll < 0)
		die("epoll_create1");
}

void floor_close(struct spawn_floor *f)
{
	close(f->image);
	close(f->epoll);
}

uint64_t floor_spawn_once(const struct spawn_floor *f, unsigned steps)
{
	uint64_t t0 = now_ns();
	struct epoll_event ev = { .events = EPOLLIN }, got;
	struct floor_job job = { .image = f->image, .steps = steps, .parent = getpid() };
	int sv[2], pidfd = -1;
	siginfo_t info;
	pid_t pid;

	/* A fresh endpoint per child, as procd mints one. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		die("socketpair");
	close(sv[1]); /* the child reads end-of-stream and exits 0 */
	job.endpoint = sv[0];
	pid = clone(floor_child, child_stack + sizeof child_stack,
		    CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD, &job, &pidfd);
	if (pid < 0)
		die("clone");
	close(sv[0]);
	ev.data.fd = pidfd;
	if (epoll_ctl(f->epoll, EPOLL_CTL_ADD, pidfd, &ev) != 0 || epoll_wait(f->epoll, &got, 1, 10000) != 1)
		die("epoll on the pidfd");
	if (waitid((idtype_t)P_PIDFD, (id_t)pidfd, &info, WEXITED) != 0 || info.si_code != CLD_EXITED ||
	    info.si_status != 0) {
		errno = ECHILD;
		die("the floor's child did not exit 0");
	}
	close(pidfd); /* which takes it out of the epoll */
	return now_ns() - t0;
}

double floor_us(const struct spawn_floor *f, size_t n)
{
	uint64_t *v = calloc(n, sizeof *v);
	double m;

	if (!v)
		die("calloc");
	for (size_t i = 0; i < n; i++)
		v[i] = floor_spawn_once(f, FLOOR_ALL);
	m = median_us(v, n);
	free(v);
	return m;
}
