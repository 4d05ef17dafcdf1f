/* SPDX-License-Identifier: ISC */
/*
 * Hosted process creation, vfork-style: clone(CLONE_VM|CLONE_VFORK) shares
 * procd's memory until the child execs (fork would copy its page tables:
 * measured 1.7x the cost for a small procd, 20x once it has touched
 * 64 MiB). The child places each capability at its slot, closes every
 * other descriptor, sets RLIMIT_NOFILE to its window and execs the image
 * descriptor; it never opens anything by name.
 *
 * Nor is procd's descriptor table copied, which would make every spawn cost
 * more the more children procd manages (it holds two descriptors for each):
 * the child starts sharing the table (CLONE_FILES), puts its capabilities
 * into a few low "scratch" numbers procd reserved at startup, and then
 * unshares only the table below them (close_range CLOSE_RANGE_UNSHARE
 * copies just that range). procd puts its placeholders back afterwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/abi/procd_msg.h"
#include "core/port.h"
#include "core/port/linux/linux.h"
#include "core/port/linux/sandbox.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif

#define MAX_PLACED 17 /* the CSpace and the image */

struct spawn_job {
	const struct port_child *spec;
	int error;       /* errno of the step that failed, 0 if exec ran */
	const char *step;
};

/* Shared with the child, which runs on it until it execs; procd is
 * suspended meanwhile (CLONE_VFORK), so one stack serves every spawn. */
static char child_stack[64 * 1024] __attribute__((aligned(16)));

/* The reserved low descriptor numbers, each holding a dup of placeholder
 * while no spawn is under way. */
static int placeholder = -1;
static int scratch[MAX_PLACED];
static int scratch_top; /* the highest scratch number */
static pid_t procd_pid; /* read before any clone: the child's parent check */

int linux_spawn_init(void)
{
	procd_pid = getpid();
	if (linux_sandbox_init() != 0)
		return -1;
	placeholder = eventfd(0, EFD_CLOEXEC);
	if (placeholder < 0)
		return -1;
	for (int i = 0; i < MAX_PLACED; i++) {
		scratch[i] = fcntl(placeholder, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
		if (scratch[i] < 0)
			return -1;
		if (scratch[i] > scratch_top)
			scratch_top = scratch[i];
	}
	return 0;
}

static int fail_step(struct spawn_job *job, const char *step)
{
	job->error = errno;
	job->step = step;
	return 127;
}

static void sort_fds(int *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[j] < v[j - 1]; j--) {
			int t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* Runs in the child, on child_stack, sharing procd's memory: only system
 * calls here, no allocation, nothing that takes a lock. */
static int child_main(void *arg)
{
	struct spawn_job *job = arg;
	const struct port_child *s = job->spec;
	int keep[MAX_PLACED + 1];
	size_t nkeep = 0;
	int above = (int)s->window;
	int image;
	struct rlimit rl = { s->window, s->window };
	sigset_t none;
	char *const empty[] = { NULL };

	/* 0: still in procd's table: copy the capabilities and the image to
	 * the scratch numbers, then take a private table of only the numbers
	 * up to them. Everything of procd above is never copied. */
	for (size_t i = 0; i < s->ncaps; i++)
		if (dup3(s->caps[i], scratch[i], O_CLOEXEC) < 0)
			return fail_step(job, "copy a capability");
	if (dup3(s->image, scratch[s->ncaps], O_CLOEXEC) < 0)
		return fail_step(job, "copy the image");
	if (syscall(SYS_close_range, scratch_top + 1, ~0U, CLOSE_RANGE_UNSHARE) != 0)
		return fail_step(job, "unshare the descriptor table");
	/* Capability mode, first half (now that a Landlock ruleset descriptor
	 * would land in the child's own table, not procd's). */
	const char *failed = linux_sandbox_child_prepare(procd_pid, scratch[s->ncaps]);
	if (failed)
		return fail_step(job, failed);
	/* 1: lift every source above every target slot, so placing one can
	 * never overwrite another still to be placed. */
	for (size_t i = 0; i < s->ncaps; i++)
		if ((int)s->slots[i] >= above)
			above = (int)s->slots[i] + 1;
	if (above <= scratch_top)
		above = scratch_top + 1;
	int lifted[MAX_PLACED];
	for (size_t i = 0; i < s->ncaps; i++) {
		lifted[i] = fcntl(scratch[i], F_DUPFD_CLOEXEC, above);
		if (lifted[i] < 0)
			return fail_step(job, "lift a capability");
	}
	image = fcntl(scratch[s->ncaps], F_DUPFD_CLOEXEC, above);
	if (image < 0)
		return fail_step(job, "lift the image");
	/* 2: place each at its slot (dup2 leaves it open across exec). */
	for (size_t i = 0; i < s->ncaps; i++) {
		if (dup2(lifted[i], (int)s->slots[i]) < 0)
			return fail_step(job, "place a capability");
		keep[nkeep++] = (int)s->slots[i];
	}
	keep[nkeep++] = image;
	/* 3: close everything else: stdio, the slots and the image remain. */
	sort_fds(keep, nkeep);
	int from = STDERR_FILENO + 1;
	for (size_t i = 0; i < nkeep; i++) {
		if (keep[i] > from && syscall(SYS_close_range, from, keep[i] - 1, 0) != 0)
			return fail_step(job, "close other descriptors");
		from = keep[i] + 1;
	}
	if (syscall(SYS_close_range, from, ~0U, 0) != 0)
		return fail_step(job, "close other descriptors");
	/* 4: the window is the only range it can ever hold a capability in. */
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		return fail_step(job, "set RLIMIT_NOFILE to the window");
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) != 0)
		return fail_step(job, "clear the signal mask");
	/* 5: capability mode: from here on only what the child's list allows. */
	failed = linux_sandbox_child_filter();
	if (failed)
		return fail_step(job, failed);
	/* 6: the image, by descriptor, with empty argv and environment. */
	syscall(SYS_execveat, image, "", empty, empty, AT_EMPTY_PATH);
	return fail_step(job, "exec the image");
}

static int collect(procd_cap handle, int options, siginfo_t *info)
{
	memset(info, 0, sizeof *info);
	return waitid((idtype_t)P_PIDFD, (id_t)handle, info, WEXITED | options);
}

int port_process_start(const struct port_child *spec, procd_cap *handle, int64_t *os_id)
{
	struct spawn_job job = { .spec = spec };
	int pidfd = -1;
	pid_t pid;
	siginfo_t info;

	if (spec->ncaps + 1 > MAX_PLACED || placeholder < 0)
		return -1;
	pid = clone(child_main, child_stack + sizeof child_stack,
		    CLONE_VM | CLONE_VFORK | CLONE_FILES | CLONE_PIDFD | SIGCHLD, &job, &pidfd);
	/* The child wrote copies into procd's scratch numbers: put the
	 * placeholders back, which drops procd's extra holds. */
	for (size_t i = 0; i <= spec->ncaps; i++)
		dup3(placeholder, scratch[i], O_CLOEXEC);
	if (pid < 0) {
		linux_log_errno("procd: cannot create a process", errno);
		return -1;
	}
	if (job.step) {
		/* The child reported its failure and exited; collect it. */
		collect(pidfd, 0, &info);
		close(pidfd);
		linux_log_step("procd: cannot start a child: could not", job.step, job.error);
		return -1;
	}
	*handle = pidfd;
	*os_id = pid;
	return 0;
}

int port_process_kill(procd_cap handle)
{
	return (int)syscall(SYS_pidfd_send_signal, handle, SIGKILL, NULL, 0);
}

static int is_fault(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGABRT ||
	       sig == SIGTRAP || sig == SIGSYS;
}

int port_process_collect(procd_cap handle, int wait, uint32_t *kind, int32_t *code)
{
	siginfo_t info;

	if (collect(handle, wait ? 0 : WNOHANG, &info) != 0)
		return -1;
	if (info.si_pid == 0)
		return 1;
	*code = info.si_status;
	if (info.si_code == CLD_EXITED)
		*kind = PROCD_EVENT_EXITED;
	else
		*kind = is_fault(info.si_status) ? PROCD_EVENT_FAULTED : PROCD_EVENT_KILLED;
	return 0;
}
