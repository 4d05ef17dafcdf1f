/* SPDX-License-Identifier: ISC */
/*
 * A guest's idle CPU is cheap to wake only while it still polls for work;
 * once it has halted, waking it goes through the host. How long that
 * polling lasts is the host's choice, so the bench measures it instead of
 * assuming it: the same request and reply, with the responder working
 * first for longer and longer while the requester's CPU sits idle.
 */
#include <sched.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/bench/bench.h"
#include "tests/bench/wake.h"

/* Busy, not asleep: only the requester's CPU is to go idle. */
static void work_for(uint64_t ns)
{
	uint64_t t0 = now_ns();

	while (now_ns() - t0 < ns)
		;
}

static _Noreturn void responder(int fd)
{
	uint64_t work;

	while (recv(fd, &work, sizeof work, 0) == (ssize_t)sizeof work) {
		work_for(work);
		if (send(fd, &work, sizeof work, MSG_NOSIGNAL) != (ssize_t)sizeof work)
			break;
	}
	_exit(0);
}

double wake_after_work_us(size_t n, uint64_t work_ns)
{
	uint64_t *v = calloc(n, sizeof *v);
	int sv[2];
	pid_t pid;
	double m;

	if (!v || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		die("wake-up bench set-up");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(sv[0]);
		pin(0, sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 1 : 0);
		responder(sv[1]);
	}
	close(sv[1]);
	pin(0, 0);
	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = now_ns(), got;

		if (send(sv[0], &work_ns, sizeof work_ns, 0) != (ssize_t)sizeof work_ns ||
		    recv(sv[0], &got, sizeof got, 0) != (ssize_t)sizeof got)
			die("wake-up bench exchange");
		v[i] = now_ns() - t0 - work_ns;
	}
	pin(0, -1);
	close(sv[0]);
	waitpid(pid, NULL, 0);
	m = median_us(v, n);
	free(v);
	return m;
}
