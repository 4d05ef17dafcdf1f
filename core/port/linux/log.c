/* SPDX-License-Identifier: ISC */
/*
 * Hosted log: one line per write(2), so lines never interleave, and never
 * a write that blocks: a stderr nobody reads must not stop procd serving.
 *
 * procd writes to its own non-blocking open file description of stderr
 * (reopened through /proc/self/fd/2 at startup), not to descriptor 2: the
 * shell's pipe keeps its flags, and the children, which inherit stdio,
 * keep a blocking stderr. A line that does not fit is dropped and counted;
 * the count is reported once writing works again.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/port.h"
#include "core/port/linux/log.h"

static int log_fd = STDERR_FILENO;
static int log_is_socket; /* send(MSG_DONTWAIT) on descriptor 2 itself */
static unsigned long dropped;

int linux_log_init(void)
{
	struct stat st;
	sigset_t pipe_signal;
	int fd;

	/* A reader that went away gives EPIPE, not death. Blocked, not
	 * ignored: an ignored signal would stay ignored in every child across
	 * exec, and the child clears its mask. */
	sigemptyset(&pipe_signal);
	sigaddset(&pipe_signal, SIGPIPE);
	if (sigprocmask(SIG_BLOCK, &pipe_signal, NULL) != 0)
		return -1;
	if (fstat(STDERR_FILENO, &st) != 0)
		return 0; /* no stderr at all: every line is dropped */
	if (S_ISSOCK(st.st_mode)) {
		log_is_socket = 1;
		return 0;
	}
	/* A regular file never makes a write wait on a reader, and a second
	 * open file description would have its own offset: lines written
	 * through descriptor 2 (procd's children, its smoke reports) would
	 * overwrite procd's. */
	if (S_ISREG(st.st_mode))
		return 0;
	fd = open("/proc/self/fd/2", O_WRONLY | O_APPEND | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		/* Nothing to reopen by (no /proc): the shell's descriptor,
		 * which may block. */
		static const char line[] = "procd: cannot reopen stderr non-blocking; log writes may block";

		port_log_line(line, sizeof line - 1);
		return 0;
	}
	log_fd = fd;
	return 0;
}

int linux_log_owns(int fd)
{
	return fd > STDERR_FILENO && fd == log_fd;
}

static int put(const char *buf, size_t len)
{
	ssize_t n;

	if (log_is_socket) {
		/* sendmsg, not send: procd's filter has no sendto. */
		struct iovec iov = { (void *)buf, len };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

		n = sendmsg(STDERR_FILENO, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	} else
		n = write(log_fd, buf, len);
	return n == (ssize_t)len ? 0 : -1;
}

void port_log_line(const char *line, size_t len)
{
	char buf[1024];

	if (dropped > 0) {
		int n = snprintf(buf, sizeof buf, "procd: %lu log lines dropped\n", dropped);

		if (n <= 0 || put(buf, (size_t)n) != 0) {
			dropped++;
			return;
		}
		dropped = 0;
	}
	if (len > sizeof buf - 1)
		len = sizeof buf - 1;
	memcpy(buf, line, len);
	buf[len] = '\n';
	/* A log that cannot be written must not stop procd: the line is
	 * dropped, and counted. */
	if (put(buf, len + 1) != 0)
		dropped++;
}

void linux_log_errno(const char *what, int err)
{
	char buf[512];
	int n = snprintf(buf, sizeof buf, "%s: %s", what, strerror(err));

	if (n > 0)
		port_log_line(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void linux_log_step(const char *what, const char *step, int err)
{
	char buf[512];
	int n = snprintf(buf, sizeof buf, "%s %s: %s", what, step, strerror(err));

	if (n > 0)
		port_log_line(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

uint64_t port_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
