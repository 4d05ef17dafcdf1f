/* SPDX-License-Identifier: ISC */
/*
 * Hosted process creation, procd's half: each child is made by the spawner
 * (spawner.c), which procd asks over its channel and waits for, as it
 * would wait for a vfork. The spawner makes the child procd's own, so
 * procd takes a pidfd on it (no pid reuse can intervene: only procd can
 * collect it) and collects it like any child.
 *
 * The request carries the child's capabilities as descriptors: the
 * spawner's small table is what the child copies, so procd's own table
 * (two descriptors for each child it manages) is never copied by a spawn.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/abi/procd_msg.h"
#include "core/port.h"
#include "core/port/linux/caps.h"
#include "core/port/linux/log.h"
#include "core/port/linux/sandbox.h"
#include "core/port/linux/spawn.h"
#include "core/port/linux/spawner.h"
#include "core/port/linux/watch.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static int channel = -1;
static pid_t spawner = -1;

/*
 * One descriptor procd holds only to give up: a child the spawner made runs
 * with its capabilities until procd kills it, and procd can kill it only
 * through a pidfd, so a pidfd_open refused for a full table (EMFILE) would
 * leave it running until procd ends. Closing the reserve frees a slot, and
 * procd is single-threaded, so nothing takes that slot before pidfd_open.
 *
 * Why a reserve rather than a pidfd the spawner makes (CLONE_PIDFD) and
 * sends back: under the same EMFILE, SCM_RIGHTS drops the descriptor on
 * procd's side (MSG_CTRUNC), and procd would then have to ask the spawner
 * to do the killing, which gives the spawner the right to signal; and
 * CLONE_PIDFD takes the clone argument that carries the spawn key. Why not
 * kill(pid): procd's filter would then let it signal any process of its
 * uid, where pidfd_send_signal reaches only a process procd holds.
 *
 * Taken at the lowest free number once the spawner runs: every descriptor
 * below it lives as long as procd, so a limit procd's table really fills
 * is above the reserve, and the slot it frees is one pidfd_open may use.
 * It is its own (empty) file, so giving it up also frees a file for a
 * system whose file table is full (ENFILE). procd starts no child without
 * it: if it could not be taken back, the next start tries again and fails
 * before any child exists.
 */
static int reserve = -1;

static int take_reserve(void)
{
	if (reserve < 0)
		reserve = memfd_create("procd-reserve", MFD_CLOEXEC);
	return reserve;
}

int linux_spawn_init(void)
{
	if (linux_sandbox_init() != 0 || linux_spawner_start(&channel, &spawner) != 0)
		return -1;
	if (linux_watch_spawner(channel) != 0) {
		linux_log_errno("procd: cannot watch its spawner", errno);
		linux_spawn_shutdown();
		return -1;
	}
	if (take_reserve() < 0) {
		linux_log_errno("procd: cannot take its reserve descriptor", errno);
		linux_spawn_shutdown();
		return -1;
	}
	return 0;
}

void linux_spawn_shutdown(void)
{
	siginfo_t info;

	if (channel < 0)
		return;
	/* Hung up on, the spawner ends; procd collects it like any child. */
	close(channel);
	channel = -1;
	if (reserve >= 0)
		close(reserve);
	reserve = -1;
	memset(&info, 0, sizeof info);
	waitid(P_PID, (id_t)spawner, &info, WEXITED);
}

static int ask_spawner(const struct port_child *spec, struct spawn_reply *r)
{
	struct spawn_request rq;
	int fds[SPAWN_MAX_CAPS + 1];
	size_t nfds;
	int truncated;
	ssize_t n;

	memset(&rq, 0, sizeof rq);
	rq.window = spec->window;
	rq.ncaps = (uint32_t)spec->ncaps;
	fds[0] = spec->image;
	for (size_t i = 0; i < spec->ncaps; i++) {
		rq.slots[i] = spec->slots[i];
		fds[i + 1] = spec->caps[i];
	}
	if (linux_send_fds(channel, &rq, sizeof rq, fds, spec->ncaps + 1, 0) != 0) {
		linux_log_errno("procd: cannot start a child: the spawner is gone", errno);
		return -1;
	}
	do
		n = linux_receive_fds(channel, r, sizeof *r, fds, 0, &nfds, &truncated, 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof *r || truncated) {
		linux_log_errno("procd: cannot start a child: the spawner is gone", n < 0 ? errno : EPIPE);
		return -1;
	}
	r->step[sizeof r->step - 1] = '\0';
	return 0;
}

static int collect(procd_cap handle, int options, siginfo_t *info)
{
	memset(info, 0, sizeof *info);
	return waitid((idtype_t)P_PIDFD, (id_t)handle, info, WEXITED | options);
}

static int pidfd_of(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/*
 * A child procd could not hold: killed and collected through a pidfd taken
 * in the reserve's slot, and the reserve taken back in the slot that pidfd
 * leaves. Until procd collects it, its pid is procd's alone, so the pidfd
 * is on this very child.
 */
static void take_back(pid_t pid, int err)
{
	siginfo_t info;
	int pidfd;

	close(reserve);
	reserve = -1;
	pidfd = pidfd_of(pid);
	/* Only a limit set below procd's own start-up descriptors (or a
	 * system out of memory) fails here; the child still dies with procd.
	 * No waiting on a child the kill did not reach: it would never end. */
	if (pidfd < 0 || syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) != 0 ||
	    collect(pidfd, 0, &info) != 0)
		linux_log_errno("procd: cannot take back a started child it cannot hold; it runs until procd ends",
				errno);
	else
		linux_log_errno("procd: cannot hold a started child, so killed and collected it", err);
	if (pidfd >= 0)
		close(pidfd);
	if (take_reserve() < 0)
		linux_log_errno("procd: cannot take back its reserve descriptor; no child starts until it can",
				errno);
}

int port_process_start(const struct port_child *spec, procd_cap *handle, int64_t *os_id)
{
	struct spawn_reply r;
	siginfo_t info;
	int pidfd;

	if (spec->ncaps > SPAWN_MAX_CAPS || channel < 0)
		return -1;
	if (take_reserve() < 0) {
		linux_log_errno("procd: cannot start a child: no reserve descriptor to take it back with", errno);
		return -1;
	}
	if (ask_spawner(spec, &r) != 0)
		return -1;
	if (r.pid <= 0) {
		linux_log_step("procd: cannot start a child: could not", r.step, r.error);
		return -1;
	}
	/* It ended before exec, and is procd's own child: collected by pid,
	 * which needs no descriptor. */
	if (r.step[0]) {
		memset(&info, 0, sizeof info);
		waitid(P_PID, (id_t)r.pid, &info, WEXITED);
		linux_log_step("procd: cannot start a child: could not", r.step, r.error);
		return -1;
	}
	pidfd = pidfd_of(r.pid);
	if (pidfd < 0) {
		take_back(r.pid, errno);
		return -1;
	}
	*handle = pidfd;
	*os_id = r.pid;
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
