/* SPDX-License-Identifier: ISC */
/*
 * procd-boot: the hosted boot shim. It plays rootd: reads a boot manifest,
 * builds procd's intake and startup envelope, launches procd, asks it for
 * the manifest's children (staged create, installs, start), serves the far
 * ends of the endpoints it installed (discovery, kernel time and IRQ, probe
 * notifications), and stops procd at the end by hanging up.
 *
 * Manifest, one directive per line ('#' starts a comment):
 *   module NAME PATH [boot] a boot image; relative PATHs are taken from
 *                           the current directory; `boot`: procd starts
 *                           the role whose image it is in its boot plan
 *   kernel ENDPOINT         a kernel endpoint (kernel-time, kernel-irq, ...)
 *                           transferred to procd in its envelope; rootd
 *                           serves the far end
 *   late ENDPOINT SECONDS   the same, published that long after procd
 *                           started (UPDATE_FOUNDATION_ENDPOINTS)
 *   spawn ROLE [install SERVICE]... [exit-with CODE]
 *                           stage ROLE from the module of the same name,
 *                           install each SERVICE (named, kernel-time,
 *                           kernel-irq, probe-notify, procd, procd-driver),
 *                           start it; exit-with tells it, once started, to
 *                           exit with CODE (helpers that serve their endpoint)
 *   load ROLE PATH          ask the loaderd spawned earlier to load the ELF
 *                           file at PATH (opened here, handed over as a
 *                           descriptor) as ROLE: procd materializes it
 *   driver ROLE             a driver deviced is to start: deviced asks the
 *                           kernel which devices there are (on its
 *                           kernel-log endpoint), and rootd answers with
 *                           these roles
 *
 * tools/manifest.c reads and checks it against procd's registry; any
 * mistake stops procd-boot before procd is launched.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/abi/procd_msg.h"
#include "core/abi/procd_ops.h"
#include "core/abi/procd_slots.h"
#include "core/abi/procd_status.h"
#include "core/text.h"
#include "helpers/proto.h"
#include "tools/bootlib.h"
#include "tools/manifest.h"
#include "tools/registry_file.h"
#include "tools/say.h"

#define MAX_SERVED 128

#define services manifest_services

static struct manifest man;
static const struct registry_file *boot_registry; /* procd's, for role names */
static int late_done[MANIFEST_MAX_LATE];
/* Per spawn line: procd's pid for it and its endpoint alias (-1: none). */
static uint32_t spawn_pid[MANIFEST_MAX_SPAWNS];
static int spawn_alias[MANIFEST_MAX_SPAWNS];

struct served {
	int fd;
	enum service svc;
	char role[PROCD_MODULE_NAME_MAX]; /* who holds the other end */
};

static struct served served[MAX_SERVED];
static size_t nserved;
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* A new endpoint pair of which rootd serves sv[keep] for `role`; the other
 * end is the caller's to hand on and close. -1, with nothing made, if the
 * served table is full or no pair can be made. */
static int serve_new(enum service svc, const char *role, int sv[2], int keep)
{
	if (nserved >= MAX_SERVED || boot_pair(sv) != 0)
		return -1;
	served[nserved].fd = sv[keep];
	served[nserved].svc = svc;
	snprintf(served[nserved].role, sizeof served[nserved].role, "%s", role);
	nserved++;
	return 0;
}

/* A kernel endpoint for procd's intake: procd gets one end at the
 * canonical slot, rootd serves the other. */
static int transfer_kernel(struct boot_intake *in, enum service svc)
{
	int sv[2];

	if (serve_new(svc, "procd's children", sv, 1) != 0)
		return -1;
	return boot_add_transferred(in, services[svc].slot, PROCD_CAP_ENDPOINT, sv[0]);
}

static const char *status_name(int64_t status)
{
	static const char *const names[] = { "ok", "denied", "invalid", "not-found", "exists",
					     "no-space", "busy", "stale", "unsupported", "io", "timeout" };

	return status >= 0 && status < (int64_t)(sizeof names / sizeof names[0]) ? names[status] : "failed";
}

/* Stage, install, start one manifest line. */
/* Gives back the child of a spawn line that could not be finished, and
 * its alias: nothing of it stays staged in procd. */
static int give_up(struct boot_intake *in, size_t i)
{
	const struct manifest_spawn *s = &man.spawns[i];
	struct procd_msg_pid m = { .pid = spawn_pid[i] };
	int64_t st = boot_call(in->bootstrap[1], PROCD_OP_ABORT_STAGED_PROCESS, &m, sizeof m, NULL, 0, NULL, 0,
			       NULL);

	if (st != PROCD_OK)
		say_line("rootd: abort %s: %s", s->role, status_name(st));
	close(spawn_alias[i]);
	spawn_alias[i] = -1;
	return -1;
}

static int spawn_one(struct boot_intake *in, size_t i)
{
	const struct manifest_spawn *s = &man.spawns[i];
	struct procd_msg_create create = { .role = s->role_id };
	struct procd_msg_created created;
	int caps[2];
	size_t ncaps;
	int64_t st;
	int module = boot_module_index(in, s->role);

	if (module < 0) {
		say_line("rootd: no boot module named %s", s->role);
		return -1;
	}
	st = boot_call(in->bootstrap[1], PROCD_OP_CREATE_STAGED_PROCESS, &create, sizeof create, &created,
		       sizeof created, caps, 2, &ncaps);
	if (st != PROCD_OK || ncaps != 2) {
		say_line("rootd: create %s: %s", s->role, status_name(st));
		for (size_t k = 0; k < ncaps; k++)
			close(caps[k]);
		return -1;
	}
	spawn_pid[i] = created.pid;
	spawn_alias[i] = caps[0];
	for (size_t k = 0; k < s->ninstall; k++) {
		enum service svc = s->install[k];
		int sv[2] = { -1, -1 };

		if (!services[svc].minted && serve_new(svc, s->role, sv, 0) != 0) {
			say_line("rootd: no endpoint for %s in %s", services[svc].name, s->role);
			close(caps[1]);
			return give_up(in, i);
		}
		st = boot_install(caps[1], services[svc].slot, sv[1]);
		if (sv[1] >= 0)
			close(sv[1]);
		if (st != PROCD_OK)
			say_line("rootd: install %s into %s: %s", services[svc].name, s->role, status_name(st));
	}
	close(caps[1]); /* installs are done */
	struct procd_msg_start start = { .pid = spawn_pid[i], .image_module = (uint32_t)module };
	struct procd_msg_pid started;

	st = boot_call(in->bootstrap[1], PROCD_OP_START_STAGED_PROCESS, &start, sizeof start, &started,
		       sizeof started, NULL, 0, NULL);
	if (st != PROCD_OK) {
		say_line("rootd: start %s: %s", s->role, status_name(st));
		return give_up(in, i);
	}
	if (s->exit_with >= 0) {
		struct helper_exit_msg m = { { HELPER_OP_EXIT, sizeof m, 1, 0 }, s->exit_with };

		if (send(spawn_alias[i], &m, sizeof m, MSG_NOSIGNAL) != (ssize_t)sizeof m)
			say_line("rootd: could not tell %s to exit", s->role);
	}
	return 0;
}

/* A `load` line: loaderd (spawned earlier, holding procd's alias) gets
 * the file and transfers it; procd materializes and starts it. */
static int load_one(const struct manifest_spawn *s)
{
	struct helper_load_msg m = { { HELPER_OP_LOAD, sizeof m, 1, 0 }, s->role_id, 0 };
	struct { uint32_t pid, reserved; } rep;
	int loader = -1, file;
	int64_t st;

	for (size_t i = 0; i < man.nspawns; i++)
		if (strcmp(man.spawns[i].role, "loaderd") == 0 && spawn_alias[i] >= 0)
			loader = spawn_alias[i];
	if (loader < 0) {
		say_line("rootd: load %s: no loaderd was spawned before it", s->role);
		return -1;
	}
	file = open(s->load_path, O_RDONLY | O_CLOEXEC);
	if (file < 0) {
		say_line("rootd: load %s: %s: %s", s->role, s->load_path, strerror(errno));
		return -1;
	}
	st = boot_exchange(loader, &m, sizeof m, &file, 1, &rep, sizeof rep);
	close(file);
	if (st != PROCD_OK) {
		say_line("rootd: loaderd could not load %s from %s: %s", s->role, s->load_path, status_name(st));
		return -1;
	}
	say_line("rootd: loaderd loaded %s from %s; procd started it as pid %u", s->role, s->load_path, rep.pid);
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Answers one message on a served endpoint, as the service would. */
static void serve(struct served *sv)
{
	unsigned char buf[PROCD_MSG_MAX];
	struct procd_msg_header h;
	ssize_t n = recv(sv->fd, buf, sizeof buf, 0);

	if (n <= 0) {
		close(sv->fd);
		sv->fd = -1;
		return;
	}
	if ((size_t)n < sizeof h)
		return;
	memcpy(&h, buf, sizeof h);
	h.length = sizeof h;
	h.status = PROCD_OK;
	switch (sv->svc) {
	case SVC_NAMED:
		say_line("rootd: %s looked up '%.32s'", sv->role, (const char *)buf + sizeof h);
		break;
	case SVC_IRQ:
		say_line("rootd: %s claimed an IRQ", sv->role);
		break;
	case SVC_LOG:
		if (h.op == HELPER_OP_DEVICES) {
			struct helper_devices_reply r = { h, 0, { 0 } };

			r.h.length = sizeof r;
			for (size_t i = 0; i < man.ndrivers && r.count < HELPER_DEVICES_MAX; i++)
				r.roles[r.count++] = man.drivers[i].role_id;
			say_line("rootd: %s asked the kernel for its devices: %u driver%s", sv->role, r.count,
			    r.count == 1 ? "" : "s");
			send(sv->fd, &r, sizeof r, MSG_NOSIGNAL);
			return;
		}
		say_line("rootd: %s used %s", sv->role, services[sv->svc].name);
		break;
	case SVC_TIME: {
		struct helper_time_reply r = { h, now_ns() };

		r.h.length = sizeof r;
		say_line("rootd: %s asked the kernel for the time", sv->role);
		send(sv->fd, &r, sizeof r, MSG_NOSIGNAL);
		return;
	}
	default:
		say_line("rootd: %s used %s", sv->role, services[sv->svc].name);
		break;
	}
	send(sv->fd, &h, sizeof h, MSG_NOSIGNAL);
}

/* Says each notice procd sent since last asked (some arrive while a
 * reply is awaited and are set aside by the boot library). */
static void report_notices(void)
{
	static unsigned reported;

	while (reported < boot_notices.probe_complete) {
		reported++;
		const struct procd_policy *p = registry_policy_by_role(boot_registry, boot_notices.last_role);

		if (p)
			say_line("rootd: procd notified probe completion: pid %u (%.*s)", boot_notices.last_pid,
			    (int)sizeof p->name, p->name);
		else
			say_line("rootd: procd notified probe completion: pid %u (role 0x%x)", boot_notices.last_pid,
			    boot_notices.last_role);
	}
}

/* Publishes the `late` kernel endpoints whose time has come. */
static void publish_late(int ep, uint64_t started)
{
	for (size_t i = 0; i < man.nlate; i++) {
		const struct manifest_late *late = &man.late[i];
		struct procd_msg_foundation m = { .slot = services[late->svc].slot };
		struct { struct procd_msg_header h; struct procd_msg_foundation m; } msg =
			{ { PROCD_OP_UPDATE_FOUNDATION_ENDPOINTS, sizeof msg, 1, 0 }, m };
		int sv[2];
		int64_t st;

		if (late_done[i] || now_ns() < started + (uint64_t)(late->after * 1e9))
			continue;
		late_done[i] = 1;
		if (serve_new(late->svc, "procd's children", sv, 1) != 0)
			continue;
		st = boot_call_raw(ep, &msg, sizeof msg, &sv[0], 1);
		close(sv[0]);
		say_line("rootd: published %s to procd late (UPDATE_FOUNDATION_ENDPOINTS): %s", services[late->svc].name,
		    status_name(st));
	}
}

static void serve_until(int ep, uint64_t deadline_ns)
{
	uint64_t started = now_ns();

	while (!stop_requested && now_ns() < deadline_ns) {
		struct pollfd pfd[MAX_SERVED + 1];
		uint64_t left = deadline_ns - now_ns();
		/* Poll in short steps: a `late` endpoint may fall due at any
		 * time, and an unbounded deadline must not overflow the wait. */
		int ms = left > 100000000u ? 100 : (int)(left / 1000000u) + 1;

		publish_late(ep, started);
		report_notices();
		for (size_t i = 0; i < nserved; i++) {
			pfd[i].fd = served[i].fd;
			pfd[i].events = POLLIN;
		}
		pfd[nserved].fd = ep; /* procd's notices */
		pfd[nserved].events = POLLIN;
		if (poll(pfd, nserved + 1, ms) <= 0)
			continue;
		for (size_t i = 0; i < nserved; i++)
			if (pfd[i].revents && served[i].fd >= 0)
				serve(&served[i]);
		if (pfd[nserved].revents) {
			if (pfd[nserved].revents & (POLLHUP | POLLERR))
				break; /* procd is gone */
			while (boot_poll_notice(ep))
				;
		}
	}
}

/* The procd beside this program: both are in sbin when installed, and at
 * the top of the build tree when built. */
static const char *default_procd(void)
{
	static char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - sizeof "/procd");
	char *slash;

	if (n > 0) {
		path[n] = '\0';
		slash = strrchr(path, '/');
		if (slash) {
			strcpy(slash, "/procd");
			if (access(path, X_OK) == 0)
				return path;
		}
	}
	return "./procd";
}

/* Builds procd's intake from the manifest: its modules and the kernel
 * endpoints handed over at startup. */
static int intake_from_manifest(struct boot_intake *in, const char *path)
{
	for (size_t i = 0; i < man.nmodules; i++) {
		const struct manifest_module *mod = &man.modules[i];

		if (boot_add_module_flags(in, mod->name, mod->path, mod->boot ? PROCD_MODULE_BOOT : 0) != 0) {
			say_line("procd-boot: %s:%u: module %s: %s: %s", path, mod->line, mod->name, mod->path,
			    strerror(errno));
			return -1;
		}
	}
	for (size_t i = 0; i < man.nkernel; i++)
		if (transfer_kernel(in, man.kernel[i]) != 0) {
			say_line("procd-boot: %s:%u: kernel %s: no endpoint could be made", path, man.kernel_line[i],
			    services[man.kernel[i]].name);
			return -1;
		}
	return 0;
}

static void usage(FILE *out)
{
	fputs("usage: procd-boot [--procd PATH] [--run-for SECONDS] MANIFEST\n"
	      "  --procd PATH       the procd to launch (default: the procd beside procd-boot)\n"
	      "  --run-for SECONDS  stop procd after this long (default: until SIGINT/SIGTERM)\n",
	      out);
}

int main(int argc, char **argv)
{
	const char *procd_path = NULL, *manifest = NULL;
	double run_for = -1;
	struct boot_intake in;
	struct registry_file rf;
	struct elf_error err;
	struct sigaction sa = { .sa_handler = on_signal };
	int status;
	pid_t procd;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--procd") == 0 && i + 1 < argc) {
			procd_path = argv[++i];
		} else if (strcmp(argv[i], "--run-for") == 0 && i + 1 < argc) {
			if (manifest_seconds(argv[++i], &run_for) != 0) {
				say_line("procd-boot: --run-for %s: expected a number of seconds from 0 to %.0f",
				    argv[i], MANIFEST_LATE_MAX_SECONDS);
				return 2;
			}
		} else if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] != '-' && !manifest) {
			manifest = argv[i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!manifest) {
		usage(stderr);
		return 2;
	}
	if (!procd_path)
		procd_path = default_procd();
	if (registry_load(&rf, procd_path, &err) != 0) {
		say_line("procd-boot: %s: %s", procd_path, err.msg);
		return 1;
	}
	boot_registry = &rf;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (boot_raise_fd_limit() != 0) {
		say_line("procd-boot: cannot raise the descriptor limit above slot %u", SLOT_KERNEL_PROCESS_ENDPOINT);
		return 1;
	}
	for (size_t i = 0; i < MANIFEST_MAX_SPAWNS; i++)
		spawn_alias[i] = -1;
	if (manifest_read(&man, manifest, &rf, stderr) != 0) {
		registry_free(&rf);
		return 1;
	}
	if (boot_intake_init(&in) != 0 || intake_from_manifest(&in, manifest) != 0)
		return 1;
	say_line("rootd: launching %s with %zu boot modules", procd_path, in.nmodules);
	procd = boot_launch(&in, procd_path, NULL);
	if (procd < 0) {
		say_line("procd-boot: cannot launch %s: %s", procd_path, strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < man.nspawns && !stop_requested; i++) {
		if (man.spawns[i].load_path[0])
			load_one(&man.spawns[i]);
		else
			spawn_one(&in, i);
	}
	serve_until(in.bootstrap[1], run_for < 0 ? UINT64_MAX : now_ns() + (uint64_t)(run_for * 1e9));
	say_line("rootd: shutting down: hanging up on procd");
	boot_intake_close(&in);
	for (size_t i = 0; i < man.nspawns; i++)
		if (spawn_alias[i] >= 0)
			close(spawn_alias[i]);
	for (size_t i = 0; i < nserved; i++)
		if (served[i].fd >= 0)
			close(served[i].fd);
	registry_free(&rf);
	/* A second signal while procd stops its children must not make
	 * rootd leave before procd. */
	pid_t got;

	while ((got = waitpid(procd, &status, 0)) < 0 && errno == EINTR)
		;
	if (got != procd)
		return 1;
	if (WIFEXITED(status)) {
		say_line("rootd: procd exited with status %d", WEXITSTATUS(status));
		return WEXITSTATUS(status);
	}
	say_line("rootd: procd died of signal %d", WTERMSIG(status));
	return 1;
}
