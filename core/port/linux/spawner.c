/* SPDX-License-Identifier: ISC */
/*
 * The spawner process. It enters capability mode once, with a filter that
 * is the child's plus its own few steps, each of which needs the spawn key
 * (sandbox.c); every child it creates inherits that filter instead of
 * attaching one of its own. Its children are procd's (CLONE_PARENT): procd
 * holds their pidfds and collects them, as if it had made them itself.
 *
 * A child is made vfork-style: clone(CLONE_VM|CLONE_VFORK) shares the
 * spawner's memory until the child execs, and copies its descriptor table,
 * which holds only stdio, the channel and the request's descriptors. The
 * child places each capability at its slot, closes every other descriptor,
 * sets RLIMIT_NOFILE to its window and execs the image descriptor; it
 * never opens anything by name.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/port/linux/caps.h"
#include "core/port/linux/log.h"
#include "core/port/linux/sandbox.h"
#include "core/port/linux/spawner.h"

#define CHANNEL 3 /* the spawner's end of the pair */

struct spawn_job {
	const struct spawn_request *rq;
	const int *fds; /* the image, then the capabilities */
	int error;      /* errno of the step that failed */
	const char *step;
};

/* Shared with the child, which runs on it until it execs; the spawner is
 * suspended meanwhile (CLONE_VFORK), so one stack serves every spawn. */
static char child_stack[64 * 1024] __attribute__((aligned(16)));
static pid_t procd_pid;

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

/* Runs in the child, on child_stack, sharing the spawner's memory: only
 * system calls here, no allocation, nothing that takes a lock. */
static int child_main(void *arg)
{
	struct spawn_job *job = arg;
	const struct spawn_request *rq = job->rq;
	int keep[SPAWN_MAX_CAPS + 1];
	int lifted[SPAWN_MAX_CAPS];
	size_t nkeep = 0;
	int above = (int)rq->window;
	int image;
	char *const empty[] = { NULL };
	const char *failed = linux_sandbox_child_prepare(procd_pid, job->fds[0]);

	if (failed)
		return fail_step(job, failed);
	/* 1: lift every source above every target slot and every descriptor
	 * the spawner holds, so placing one never overwrites another still to
	 * be placed. */
	for (size_t i = 0; i < rq->ncaps; i++)
		if ((int)rq->slots[i] >= above)
			above = (int)rq->slots[i] + 1;
	for (size_t i = 0; i <= rq->ncaps; i++)
		if (job->fds[i] >= above)
			above = job->fds[i] + 1;
	for (size_t i = 0; i < rq->ncaps; i++) {
		lifted[i] = fcntl(job->fds[i + 1], F_DUPFD_CLOEXEC, above);
		if (lifted[i] < 0)
			return fail_step(job, "lift a capability");
	}
	image = fcntl(job->fds[0], F_DUPFD_CLOEXEC, above);
	if (image < 0)
		return fail_step(job, "lift the image");
	/* 2: place each at its slot (dup2 leaves it open across exec). */
	for (size_t i = 0; i < rq->ncaps; i++) {
		if (linux_sandbox_place(lifted[i], (int)rq->slots[i]) < 0)
			return fail_step(job, "place a capability");
		keep[nkeep++] = (int)rq->slots[i];
	}
	keep[nkeep++] = image;
	/* 3: close everything else: stdio, the slots and the image remain. */
	sort_fds(keep, nkeep);
	unsigned int from = STDERR_FILENO + 1;
	for (size_t i = 0; i < nkeep; i++) {
		if ((unsigned int)keep[i] > from && linux_sandbox_close_range(from, (unsigned int)keep[i] - 1) != 0)
			return fail_step(job, "close other descriptors");
		from = (unsigned int)keep[i] + 1;
	}
	if (linux_sandbox_close_range(from, ~0U) != 0)
		return fail_step(job, "close other descriptors");
	/* 4: the window is the only range it can ever hold a capability in. */
	if (linux_sandbox_set_window(rq->window) != 0)
		return fail_step(job, "set RLIMIT_NOFILE to the window");
	/* 5: the image, by descriptor, with empty argv and environment. */
	syscall(SYS_execveat, image, "", empty, empty, AT_EMPTY_PATH);
	return fail_step(job, "exec the image");
}

static void reply(int32_t pid, int error, const char *step)
{
	struct spawn_reply r;

	memset(&r, 0, sizeof r);
	r.pid = pid;
	r.error = error;
	if (step)
		strncpy(r.step, step, sizeof r.step - 1);
	linux_send_fds(CHANNEL, &r, sizeof r, NULL, 0, 0);
}

/* One request: its descriptors are the spawner's only until the reply. */
static void spawn_one(const struct spawn_request *rq, const int *fds)
{
	struct spawn_job job = { .rq = rq, .fds = fds };
	pid_t pid = linux_sandbox_clone(child_main, child_stack + sizeof child_stack, &job);

	if (pid < 0)
		reply(-1, errno, "create a process");
	else
		reply(pid, job.error, job.step);
}

static void serve(void)
{
	for (;;) {
		struct spawn_request rq;
		int fds[SPAWN_MAX_CAPS + 1];
		size_t nfds;
		int truncated;
		ssize_t n = linux_receive_fds(CHANNEL, &rq, sizeof rq, fds, SPAWN_MAX_CAPS + 1, &nfds, &truncated, 0);

		if (n == 0 || (n < 0 && errno != EINTR))
			syscall(SYS_exit_group, 0); /* procd is gone */
		if (n < 0)
			continue;
		if (n != (ssize_t)sizeof rq || truncated || rq.ncaps > SPAWN_MAX_CAPS || nfds != rq.ncaps + 1)
			reply(-1, EINVAL, "read the request");
		else
			spawn_one(&rq, fds);
		for (size_t i = 0; i < nfds; i++)
			close(fds[i]);
	}
}

/* In the new process: nothing of procd's but stdio and the channel, tied
 * to procd's life, then confined for good. */
static void spawner_main(int channel, pid_t parent)
{
	const char *failed = NULL;

	procd_pid = parent;
	prctl(PR_SET_NAME, "procd-spawner", 0, 0, 0);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || getppid() != procd_pid)
		syscall(SYS_exit_group, 1);
	if (channel != CHANNEL && dup3(channel, CHANNEL, O_CLOEXEC) < 0)
		failed = "take its channel";
	else if (syscall(SYS_close_range, CHANNEL + 1, ~0U, 0) != 0)
		failed = "close procd's descriptors";
	else
		failed = linux_sandbox_enter_spawner();
	reply(0, failed ? errno : 0, failed);
	if (failed)
		syscall(SYS_exit_group, 1);
	serve();
}

int linux_spawner_start(int *channel, pid_t *spawner)
{
	int sv[2];
	pid_t parent = getpid(), pid;
	struct spawn_reply ready;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		linux_log_errno("procd: cannot make the spawner's channel", errno);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		linux_log_errno("procd: cannot start the spawner", errno);
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0)
		spawner_main(sv[1], parent); /* never returns */
	close(sv[1]);
	linux_sandbox_forget_key();
	size_t nfds;
	int truncated;

	if (linux_receive_fds(sv[0], &ready, sizeof ready, NULL, 0, &nfds, &truncated, 0) != (ssize_t)sizeof ready) {
		linux_log_errno("procd: the spawner did not start", errno ? errno : EPIPE);
		close(sv[0]);
		waitpid(pid, NULL, 0);
		return -1;
	}
	if (ready.step[0]) {
		ready.step[sizeof ready.step - 1] = '\0';
		linux_log_step("procd: the spawner could not", ready.step, ready.error);
		close(sv[0]);
		waitpid(pid, NULL, 0);
		return -1;
	}
	*channel = sv[0];
	*spawner = pid;
	return 0;
}
