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
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
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
#include "tools/registry_file.h"

#define MAX_SPAWNS  64
#define MAX_SERVED  128
#define MAX_INSTALL 8

enum service {
	SVC_NAMED, SVC_TIME, SVC_IRQ, SVC_HOTPLUG, SVC_PCI, SVC_ACPI, SVC_COM1, SVC_I8042, SVC_CONSOLE,
	SVC_MEM, SVC_VSPACE, SVC_PAGER, SVC_LOG, SVC_PROBE, SVC_PROCD, SVC_PROCD_DRIVER, SVC_COUNT
};

/* What rootd can hand out: endpoints it serves itself (the kernel's, and
 * discovery for helpers started without named), and names for the aliases
 * procd mints (nothing of rootd's is installed for those). */
static const struct {
	const char *name;
	uint32_t slot;
	int minted;
} services[SVC_COUNT] = {
	[SVC_NAMED] = { "named", SLOT_NAMED_ENDPOINT, 0 },
	[SVC_TIME] = { "kernel-time", SLOT_KERNEL_TIME_ENDPOINT, 0 },
	[SVC_IRQ] = { "kernel-irq", SLOT_KERNEL_IRQ_ENDPOINT, 0 },
	[SVC_HOTPLUG] = { "kernel-hotplug", SLOT_KERNEL_HOTPLUG_ENDPOINT, 0 },
	[SVC_PCI] = { "kernel-pci-config", SLOT_KERNEL_PCI_CONFIG_ENDPOINT, 0 },
	[SVC_ACPI] = { "kernel-acpi-read", SLOT_KERNEL_ACPI_READ_ENDPOINT, 0 },
	[SVC_COM1] = { "kernel-com1", SLOT_KERNEL_COM1_ENDPOINT, 0 },
	[SVC_I8042] = { "kernel-i8042", SLOT_KERNEL_I8042_ENDPOINT, 0 },
	[SVC_CONSOLE] = { "kernel-console", SLOT_KERNEL_CONSOLE_ENDPOINT, 0 },
	[SVC_MEM] = { "kernel-mem", SLOT_KERNEL_MEM_ENDPOINT, 0 },
	[SVC_VSPACE] = { "kernel-vspace", SLOT_KERNEL_VSPACE_ENDPOINT, 0 },
	[SVC_PAGER] = { "kernel-pager", SLOT_KERNEL_PAGER_ENDPOINT, 0 },
	[SVC_LOG] = { "kernel-log", SLOT_KERNEL_LOG_ENDPOINT, 0 },
	[SVC_PROBE] = { "probe-notify", SLOT_PROBE_NOTIFY, 1 },
	[SVC_PROCD] = { "procd", SLOT_PROCD_ENDPOINT, 1 },
	[SVC_PROCD_DRIVER] = { "procd-driver", SLOT_PROCD_DRIVER_ENDPOINT, 1 },
};

/* `late SERVICE SECONDS`: a kernel endpoint rootd publishes to procd only
 * after a while (UPDATE_FOUNDATION_ENDPOINTS), as when pagerd = 0 at boot. */
#define MAX_LATE 8
static struct {
	enum service svc;
	double after;
	int done;
} late[MAX_LATE];
static size_t nlate;

struct spawn_line {
	char role[PROCD_MODULE_NAME_MAX];
	char load_path[256]; /* a `load` line: the file loaderd is to load */
	enum service install[MAX_INSTALL];
	size_t ninstall;
	int exit_with; /* -1: leave it running */
	uint32_t pid;
	int alias;
};

struct served {
	int fd;
	enum service svc;
	char role[PROCD_MODULE_NAME_MAX]; /* who holds the other end */
};

static struct spawn_line spawns[MAX_SPAWNS];
static size_t nspawns;
static struct served served[MAX_SERVED];
static size_t nserved;
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

static int parse_service(const char *word, enum service *out)
{
	for (int s = 0; s < SVC_COUNT; s++)
		if (strcmp(word, services[s].name) == 0) {
			*out = (enum service)s;
			return 0;
		}
	return -1;
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

static int parse_manifest(const char *path, struct boot_intake *in)
{
	FILE *f = fopen(path, "re");
	char line[512];
	unsigned lineno = 0;

	if (!f) {
		say("procd-boot: %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		char *save = NULL, *word;

		lineno++;
		line[strcspn(line, "#\n")] = '\0';
		word = strtok_r(line, " \t", &save);
		if (!word)
			continue;
		if (strcmp(word, "module") == 0) {
			char *name = strtok_r(NULL, " \t", &save), *file = strtok_r(NULL, " \t", &save);
			char *flag = strtok_r(NULL, " \t", &save);

			if (!name || !file || (flag && strcmp(flag, "boot") != 0) || strtok_r(NULL, " \t", &save)) {
				say("procd-boot: %s:%u: usage: module NAME PATH [boot]", path, lineno);
				goto fail;
			}
			if (boot_add_module_flags(in, name, file, flag ? PROCD_MODULE_BOOT : 0) != 0) {
				say("procd-boot: %s:%u: module %s: %s: %s", path, lineno, name, file, strerror(errno));
				goto fail;
			}
		} else if (strcmp(word, "spawn") == 0) {
			struct spawn_line *s = &spawns[nspawns];
			char *role = strtok_r(NULL, " \t", &save);

			if (!role || nspawns >= MAX_SPAWNS || strlen(role) >= sizeof s->role) {
				say("procd-boot: %s:%u: usage: spawn ROLE [install SERVICE]... [exit-with CODE]", path, lineno);
				goto fail;
			}
			memset(s, 0, sizeof *s);
			strcpy(s->role, role);
			s->exit_with = -1;
			s->alias = -1;
			while ((word = strtok_r(NULL, " \t", &save))) {
				char *arg = strtok_r(NULL, " \t", &save);

				if (strcmp(word, "install") == 0 && arg && s->ninstall < MAX_INSTALL &&
				    parse_service(arg, &s->install[s->ninstall]) == 0) {
					s->ninstall++;
				} else if (strcmp(word, "exit-with") == 0 && arg) {
					s->exit_with = atoi(arg);
				} else {
					say("procd-boot: %s:%u: unknown '%s %s' (services: named kernel-time "
					    "kernel-irq probe-notify procd procd-driver)", path, lineno, word, arg ? arg : "");
					goto fail;
				}
			}
			nspawns++;
		} else if (strcmp(word, "kernel") == 0 || strcmp(word, "late") == 0) {
			char *name = strtok_r(NULL, " \t", &save);
			enum service svc;

			if (!name || parse_service(name, &svc) != 0 || services[svc].minted ||
			    services[svc].slot < SLOT_KERNEL_TIME_ENDPOINT) {
				say("procd-boot: %s:%u: usage: %s KERNEL-ENDPOINT%s", path, lineno, word,
				    word[0] == 'l' ? " SECONDS" : "");
				goto fail;
			}
			if (word[0] == 'k') {
				if (transfer_kernel(in, svc) != 0)
					goto fail;
			} else {
				char *when = strtok_r(NULL, " \t", &save);

				if (!when || nlate >= MAX_LATE) {
					say("procd-boot: %s:%u: usage: late KERNEL-ENDPOINT SECONDS", path, lineno);
					goto fail;
				}
				late[nlate].svc = svc;
				late[nlate].after = atof(when);
				nlate++;
			}
		} else if (strcmp(word, "load") == 0) {
			struct spawn_line *s = &spawns[nspawns];
			char *role = strtok_r(NULL, " \t", &save), *file = strtok_r(NULL, " \t", &save);

			if (!role || !file || nspawns >= MAX_SPAWNS || strlen(role) >= sizeof s->role ||
			    strlen(file) >= sizeof s->load_path) {
				say("procd-boot: %s:%u: usage: load ROLE PATH", path, lineno);
				goto fail;
			}
			memset(s, 0, sizeof *s);
			strcpy(s->role, role);
			strcpy(s->load_path, file);
			s->exit_with = -1;
			s->alias = -1;
			nspawns++;
		} else {
			say("procd-boot: %s:%u: unknown directive '%s'", path, lineno, word);
			goto fail;
		}
	}
	fclose(f);
	return 0;
fail:
	fclose(f);
	return -1;
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
static int give_up(struct boot_intake *in, struct spawn_line *s)
{
	struct procd_msg_pid m = { .pid = s->pid };
	int64_t st = boot_call(in->bootstrap[1], PROCD_OP_ABORT_STAGED_PROCESS, &m, sizeof m, NULL, 0, NULL, 0,
			       NULL);

	if (st != PROCD_OK)
		say("rootd: abort %s: %s", s->role, status_name(st));
	close(s->alias);
	s->alias = -1;
	return -1;
}

static int spawn_one(struct boot_intake *in, struct spawn_line *s, uint32_t role)
{
	struct procd_msg_create create = { .role = role };
	struct procd_msg_created created;
	int caps[2];
	size_t ncaps;
	int64_t st;
	int module = boot_module_index(in, s->role);

	if (module < 0) {
		say("rootd: no boot module named %s", s->role);
		return -1;
	}
	st = boot_call(in->bootstrap[1], PROCD_OP_CREATE_STAGED_PROCESS, &create, sizeof create, &created,
		       sizeof created, caps, 2, &ncaps);
	if (st != PROCD_OK || ncaps != 2) {
		say("rootd: create %s: %s", s->role, status_name(st));
		for (size_t i = 0; i < ncaps; i++)
			close(caps[i]);
		return -1;
	}
	s->pid = created.pid;
	s->alias = caps[0];
	for (size_t i = 0; i < s->ninstall; i++) {
		enum service svc = s->install[i];
		int sv[2] = { -1, -1 };

		if (!services[svc].minted && serve_new(svc, s->role, sv, 0) != 0) {
			say("rootd: no endpoint for %s in %s", services[svc].name, s->role);
			close(caps[1]);
			return give_up(in, s);
		}
		st = boot_install(caps[1], services[svc].slot, sv[1]);
		if (sv[1] >= 0)
			close(sv[1]);
		if (st != PROCD_OK)
			say("rootd: install %s into %s: %s", services[svc].name, s->role, status_name(st));
	}
	close(caps[1]); /* installs are done */
	struct procd_msg_start start = { .pid = s->pid, .image_module = (uint32_t)module };
	struct procd_msg_pid started;

	st = boot_call(in->bootstrap[1], PROCD_OP_START_STAGED_PROCESS, &start, sizeof start, &started,
		       sizeof started, NULL, 0, NULL);
	if (st != PROCD_OK) {
		say("rootd: start %s: %s", s->role, status_name(st));
		return give_up(in, s);
	}
	if (s->exit_with >= 0) {
		struct helper_exit_msg m = { { HELPER_OP_EXIT, sizeof m, 1, 0 }, s->exit_with };

		if (send(s->alias, &m, sizeof m, MSG_NOSIGNAL) != (ssize_t)sizeof m)
			say("rootd: could not tell %s to exit", s->role);
	}
	return 0;
}

/* A `load` line: loaderd (spawned earlier, holding procd's alias) gets
 * the file and transfers it; procd materializes and starts it. */
static int load_one(const struct spawn_line *s, uint32_t role)
{
	struct helper_load_msg m = { { HELPER_OP_LOAD, sizeof m, 1, 0 }, role, 0 };
	struct { uint32_t pid, reserved; } rep;
	int loader = -1, file;
	int64_t st;

	for (size_t i = 0; i < nspawns; i++)
		if (strcmp(spawns[i].role, "loaderd") == 0 && spawns[i].alias >= 0)
			loader = spawns[i].alias;
	if (loader < 0) {
		say("rootd: load %s: no loaderd was spawned before it", s->role);
		return -1;
	}
	file = open(s->load_path, O_RDONLY | O_CLOEXEC);
	if (file < 0) {
		say("rootd: load %s: %s: %s", s->role, s->load_path, strerror(errno));
		return -1;
	}
	st = boot_exchange(loader, &m, sizeof m, &file, 1, &rep, sizeof rep);
	close(file);
	if (st != PROCD_OK) {
		say("rootd: loaderd could not load %s from %s: %s", s->role, s->load_path, status_name(st));
		return -1;
	}
	say("rootd: loaderd loaded %s from %s; procd started it as pid %u", s->role, s->load_path, rep.pid);
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
		say("rootd: %s looked up '%.32s'", sv->role, (const char *)buf + sizeof h);
		break;
	case SVC_IRQ:
		say("rootd: %s claimed an IRQ", sv->role);
		break;
	case SVC_TIME: {
		struct helper_time_reply r = { h, now_ns() };

		r.h.length = sizeof r;
		say("rootd: %s asked the kernel for the time", sv->role);
		send(sv->fd, &r, sizeof r, MSG_NOSIGNAL);
		return;
	}
	default:
		say("rootd: %s used %s", sv->role, services[sv->svc].name);
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
		say("rootd: procd notified probe completion: pid %u (role 0x%x)", boot_notices.last_pid,
		    boot_notices.last_role);
	}
}

/* Publishes the `late` kernel endpoints whose time has come. */
static void publish_late(int ep, uint64_t started)
{
	for (size_t i = 0; i < nlate; i++) {
		struct procd_msg_foundation m = { .slot = services[late[i].svc].slot };
		struct { struct procd_msg_header h; struct procd_msg_foundation m; } msg =
			{ { PROCD_OP_UPDATE_FOUNDATION_ENDPOINTS, sizeof msg, 1, 0 }, m };
		int sv[2];
		int64_t st;

		if (late[i].done || now_ns() < started + (uint64_t)(late[i].after * 1e9))
			continue;
		late[i].done = 1;
		if (serve_new(late[i].svc, "procd's children", sv, 1) != 0)
			continue;
		st = boot_call_raw(ep, &msg, sizeof msg, &sv[0], 1);
		close(sv[0]);
		say("rootd: published %s to procd late (UPDATE_FOUNDATION_ENDPOINTS): %s", services[late[i].svc].name,
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

/* The role id of a role name, from the registry of the procd binary
 * itself, so every compiled-in role (a vendor's too) can be named. */
static int role_id(const struct registry_file *rf, const char *name)
{
	for (size_t i = 0; i < rf->npolicies; i++)
		if (procd_field_eq(rf->policies[i].name, sizeof rf->policies[i].name, name, strlen(name)))
			return (int)rf->policies[i].role;
	return -1;
}

static void usage(FILE *out)
{
	fputs("usage: procd-boot [--procd PATH] [--run-for SECONDS] MANIFEST\n"
	      "  --procd PATH       the procd to launch (default: ./procd)\n"
	      "  --run-for SECONDS  stop procd after this long (default: until SIGINT/SIGTERM)\n",
	      out);
}

int main(int argc, char **argv)
{
	const char *procd_path = "./procd", *manifest = NULL;
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
			run_for = atof(argv[++i]);
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
	if (registry_load(&rf, procd_path, &err) != 0) {
		say("procd-boot: %s: %s", procd_path, err.msg);
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (boot_raise_fd_limit() != 0) {
		say("procd-boot: cannot raise the descriptor limit above slot %u", SLOT_KERNEL_PROCESS_ENDPOINT);
		return 1;
	}
	if (boot_intake_init(&in) != 0 || parse_manifest(manifest, &in) != 0)
		return 1;
	say("rootd: launching %s with %zu boot modules", procd_path, in.nmodules);
	procd = boot_launch(&in, procd_path, NULL);
	if (procd < 0) {
		say("procd-boot: cannot launch %s: %s", procd_path, strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < nspawns && !stop_requested; i++) {
		int role = role_id(&rf, spawns[i].role);

		if (role < 0)
			say("rootd: unknown role %s", spawns[i].role);
		else if (spawns[i].load_path[0])
			load_one(&spawns[i], (uint32_t)role);
		else
			spawn_one(&in, &spawns[i], (uint32_t)role);
	}
	serve_until(in.bootstrap[1], run_for < 0 ? UINT64_MAX : now_ns() + (uint64_t)(run_for * 1e9));
	say("rootd: shutting down: hanging up on procd");
	boot_intake_close(&in);
	for (size_t i = 0; i < nspawns; i++)
		if (spawns[i].alias >= 0)
			close(spawns[i].alias);
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
		say("rootd: procd exited with status %d", WEXITSTATUS(status));
		return WEXITSTATUS(status);
	}
	say("rootd: procd died of signal %d", WTERMSIG(status));
	return 1;
}
