/* SPDX-License-Identifier: ISC */
/*
 * Placing: each descriptor the helper gets, lifted out of the way of the
 * slot numbers until the child puts it at its slot; and the child itself,
 * from fork to exec.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* close_range */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/helpers/launch.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1u << 2)
#endif

/* Move fd to the lowest free number >= floor, close-on-exec. Every
 * descriptor the child places is lifted above all the slot numbers first, so
 * placing one can never overwrite another that is still to be placed. */
int lift(int fd, int floor)
{
	int high = fcntl(fd, F_DUPFD_CLOEXEC, floor);

	if (high < 0)
		fail("F_DUPFD_CLOEXEC to >= %d: %s", floor, strerror(errno));
	close(fd);
	return high;
}

void place(int dst, int src, int peer)
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
const struct placed *placed_at(unsigned dst)
{
	for (size_t i = 0; i < nplaced; i++)
		if (placed[i].dst == (int)dst)
			return &placed[i];
	return NULL;
}

int peer_of(unsigned dst)
{
	const struct placed *p = placed_at(dst);

	return p != NULL ? p->peer : -1;
}

/* ------------------------------------------------------------- the child */

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

_Noreturn void child_run(const char *path, unsigned window, int status_fd)
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
