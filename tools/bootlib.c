/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/abi/procd_msg.h"
#include "core/abi/procd_ops.h"
#include "core/abi/procd_roles.h"
#include "core/abi/procd_slots.h"
#include "tools/bootlib.h"
#include "tools/fd_pass.h"

extern char **environ;

int boot_pair(int sv[2])
{
	return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv);
}

int boot_raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return -1;
	/* As root, also lift the hard limit so procd can hold the capabilities
	 * of many children; elsewhere take what the hard limit allows. */
	if (rl.rlim_max < 65536) {
		struct rlimit more = { 65536, 65536 };

		if (setrlimit(RLIMIT_NOFILE, &more) == 0)
			return 0;
	}
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		return -1;
	return rl.rlim_cur > SLOT_KERNEL_PROCESS_ENDPOINT + 64 ? 0 : -1;
}

int boot_intake_init(struct boot_intake *in)
{
	memset(in, 0, sizeof *in);
	in->bootstrap[0] = in->bootstrap[1] = -1;
	in->driver[0] = in->driver[1] = -1;
	in->control[0] = in->control[1] = -1;
	if (boot_pair(in->bootstrap) != 0 || boot_pair(in->driver) != 0 || boot_pair(in->control) != 0) {
		boot_intake_close(in);
		return -1;
	}
	return 0;
}

int boot_add_module(struct boot_intake *in, const char *name, const char *path)
{
	return boot_add_module_flags(in, name, path, 0);
}

int boot_add_module_flags(struct boot_intake *in, const char *name, const char *path, uint32_t flags)
{
	int fd;

	if (in->nmodules >= PROCD_ENVELOPE_MODULES_MAX || strlen(name) >= PROCD_MODULE_NAME_MAX) {
		errno = ENOSPC;
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	memset(in->modules[in->nmodules].name, 0, PROCD_MODULE_NAME_MAX);
	memcpy(in->modules[in->nmodules].name, name, strlen(name));
	in->modules[in->nmodules].fd = fd;
	in->modules[in->nmodules].flags = flags;
	in->nmodules++;
	return 0;
}

int boot_add_transferred(struct boot_intake *in, uint32_t slot, uint32_t kind, int fd)
{
	if (in->ntransferred >= PROCD_ENVELOPE_SLOTS_MAX) {
		close(fd);
		errno = ENOSPC;
		return -1;
	}
	in->transferred[in->ntransferred].slot = slot;
	in->transferred[in->ntransferred].kind = kind;
	in->transferred[in->ntransferred].fd = fd;
	in->ntransferred++;
	return 0;
}

int boot_module_index(const struct boot_intake *in, const char *name)
{
	for (size_t i = 0; i < in->nmodules; i++)
		if (strncmp(in->modules[i].name, name, PROCD_MODULE_NAME_MAX) == 0)
			return (int)i;
	return -1;
}

size_t boot_envelope(const struct boot_intake *in, void *buf, size_t size)
{
	struct procd_envelope h = { .version = PROCD_ENVELOPE_VERSION, .role = ROLE_PROCD,
				    .control_slot = SLOT_KERNEL_PROCESS_ENDPOINT,
				    .bootstrap_slot = SLOT_SELF_ENDPOINT,
				    .driver_slot = SLOT_PROCD_DRIVER_ENDPOINT };
	unsigned char *out = buf;
	size_t len;

	memcpy(h.magic, PROCD_ENVELOPE_MAGIC, 8);
	h.nmodules = (uint32_t)in->nmodules;
	h.nslots = (uint32_t)in->ntransferred;
	len = sizeof h + in->nmodules * sizeof(struct procd_envelope_module) +
	      in->ntransferred * sizeof(struct procd_envelope_slot);
	if (len > size)
		return 0;
	h.length = (uint32_t)len;
	memcpy(out, &h, sizeof h);
	out += sizeof h;
	for (size_t i = 0; i < in->nmodules; i++) {
		struct procd_envelope_module m = { .slot = SLOT_BOOT_MODULE_BASE + (uint32_t)i,
						   .flags = in->modules[i].flags };

		memcpy(m.name, in->modules[i].name, PROCD_MODULE_NAME_MAX);
		memcpy(out, &m, sizeof m);
		out += sizeof m;
	}
	for (size_t i = 0; i < in->ntransferred; i++) {
		struct procd_envelope_slot s = { .slot = in->transferred[i].slot,
						 .kind = in->transferred[i].kind };

		memcpy(out, &s, sizeof s);
		out += sizeof s;
	}
	return len;
}

/* Envelope bytes in a memfd positioned at their start. */
static int envelope_fd(const void *bytes, size_t len)
{
	int fd = (int)syscall(SYS_memfd_create, "procd-envelope", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (write(fd, bytes, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The envelope, three intake endpoints, the modules, the transferred slots,
 * and the one stray descriptor a test may place. */
#define MAX_PLACED (4 + PROCD_ENVELOPE_MODULES_MAX + PROCD_ENVELOPE_SLOTS_MAX + 1)

/* In the forked child: put each fd at its slot, close everything else. */
static void place_and_exec(const int *from, const int *to, size_t n, const char *procd_path,
			   char *const env[])
{
	int lifted[MAX_PLACED];
	int above = SLOT_KERNEL_PROCESS_ENDPOINT + 1;
	char *const argv[] = { (char *)"procd", NULL };

	for (size_t i = 0; i < n; i++)
		if (to[i] >= above)
			above = to[i] + 1;
	for (size_t i = 0; i < n; i++) {
		lifted[i] = fcntl(from[i], F_DUPFD_CLOEXEC, above);
		if (lifted[i] < 0)
			_exit(126);
	}
	for (size_t i = 0; i < n; i++)
		if (dup2(lifted[i], to[i]) < 0)
			_exit(126);
	/* Everything not placed was close-on-exec or is closed now. */
	for (int fd = 3; fd < above; fd++) {
		int keep = 0;

		for (size_t i = 0; i < n && !keep; i++)
			keep = to[i] == fd;
		if (!keep)
			close(fd);
	}
	syscall(SYS_close_range, above, ~0U, 0);
	/* A terminal's Ctrl-C is rootd's to act on: procd (and the children
	 * it starts) stop when rootd hangs up, not each on its own signal
	 * while the others still run. */
	setpgid(0, 0);
	execve(procd_path, argv, env);
	_exit(127);
}

pid_t boot_launch(struct boot_intake *in, const char *procd_path, char *const extra_env[])
{
	static unsigned char bytes[65536];
	size_t len = boot_envelope(in, bytes, sizeof bytes);

	if (len == 0)
		return -1;
	return boot_launch_with(in, procd_path, extra_env, bytes, len, -1, 0);
}

pid_t boot_launch_with(struct boot_intake *in, const char *procd_path, char *const extra_env[],
		       const void *envelope_bytes, size_t len, int stray_fd, int stray_slot)
{
	int from[MAX_PLACED], to[MAX_PLACED];
	size_t n = 0, nenv = 0, nextra = 0;
	char **env;
	int envelope = envelope_fd(envelope_bytes, len);
	pid_t pid;

	if (envelope < 0)
		return -1;
	from[n] = envelope, to[n++] = 3;
	from[n] = in->bootstrap[0], to[n++] = SLOT_SELF_ENDPOINT;
	from[n] = in->driver[0], to[n++] = SLOT_PROCD_DRIVER_ENDPOINT;
	from[n] = in->control[0], to[n++] = SLOT_KERNEL_PROCESS_ENDPOINT;
	for (size_t i = 0; i < in->nmodules; i++)
		from[n] = in->modules[i].fd, to[n++] = SLOT_BOOT_MODULE_BASE + (int)i;
	for (size_t i = 0; i < in->ntransferred; i++)
		from[n] = in->transferred[i].fd, to[n++] = (int)in->transferred[i].slot;
	if (stray_fd >= 0)
		from[n] = stray_fd, to[n++] = stray_slot;

	while (environ[nenv])
		nenv++;
	while (extra_env && extra_env[nextra])
		nextra++;
	env = calloc(nenv + nextra + 1, sizeof *env);
	if (!env) {
		close(envelope);
		return -1;
	}
	memcpy(env, environ, nenv * sizeof *env);
	if (nextra)
		memcpy(env + nenv, extra_env, nextra * sizeof *env);

	pid = fork();
	if (pid == 0)
		place_and_exec(from, to, n, procd_path, env);
	free(env);
	close(envelope);
	/* procd holds its ends now; rootd keeps only its aliases. */
	for (size_t i = 1; i < n; i++)
		if (from[i] != stray_fd)
			close(from[i]);
	in->bootstrap[0] = in->driver[0] = in->control[0] = -1;
	for (size_t i = 0; i < in->nmodules; i++)
		in->modules[i].fd = -1;
	for (size_t i = 0; i < in->ntransferred; i++)
		in->transferred[i].fd = -1;
	return pid;
}

static void close_if(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void boot_intake_close(struct boot_intake *in)
{
	for (int i = 0; i < 2; i++) {
		close_if(&in->bootstrap[i]);
		close_if(&in->driver[i]);
		close_if(&in->control[i]);
	}
	for (size_t i = 0; i < in->nmodules; i++)
		close_if(&in->modules[i].fd);
	for (size_t i = 0; i < in->ntransferred; i++)
		close_if(&in->transferred[i].fd);
}

struct boot_notices boot_notices;

/* Whether buf[0..n) is a notice (and if so, records it). */
static int take_notice(const unsigned char *buf, size_t n)
{
	struct procd_msg_header h;
	struct procd_msg_probe_done p;

	if (n != sizeof h + sizeof p)
		return 0;
	memcpy(&h, buf, sizeof h);
	if (h.op != PROCD_NOTIFY_PROBE_COMPLETE || h.tag != 0 || h.length != n)
		return 0;
	memcpy(&p, buf + sizeof h, sizeof p);
	boot_notices.probe_complete++;
	boot_notices.last_pid = p.pid;
	boot_notices.last_role = p.role;
	return 1;
}

int boot_poll_notice(int ep)
{
	unsigned char buf[64];
	struct procd_msg_header h;
	ssize_t n = recv(ep, buf, sizeof buf, MSG_DONTWAIT | MSG_PEEK);

	/* Look first: only a notice is taken, never a reply someone awaits. */
	if (n < (ssize_t)sizeof h)
		return 0;
	memcpy(&h, buf, sizeof h);
	if (h.op != PROCD_NOTIFY_PROBE_COMPLETE || h.tag != 0)
		return 0;
	n = recv(ep, buf, sizeof buf, MSG_DONTWAIT);
	return n > 0 && take_notice(buf, (size_t)n);
}

/* One reply: its header, body and capabilities. */
static int64_t receive_reply(int ep, void *out, size_t outlen, int *caps, size_t maxcaps, size_t *ncaps)
{
	unsigned char buf[PROCD_MSG_MAX + 16];
	struct procd_msg_header h;
	size_t got;
	int truncated;
	ssize_t n;

	/* Notices procd sends unasked are set aside, not taken as the reply. */
	for (;;) {
		n = fd_pass_receive(ep, buf, sizeof buf, caps, caps ? maxcaps : 0, &got, &truncated);
		if (n < 0 || !take_notice(buf, (size_t)n))
			break;
		for (size_t i = 0; i < got; i++)
			close(caps[i]);
	}
	if (ncaps)
		*ncaps = got;
	if (n < (ssize_t)sizeof h)
		return -1;
	memcpy(&h, buf, sizeof h);
	if (h.status == 0 && out && outlen) {
		if ((size_t)n != sizeof h + outlen)
			return -1;
		memcpy(out, buf + sizeof h, outlen);
	}
	return h.status;
}

int64_t boot_call(int ep, uint32_t op, const void *body, size_t len, void *out, size_t outlen,
		  int *caps, size_t maxcaps, size_t *ncaps)
{
	static unsigned char buf[PROCD_MSG_LARGE_MAX]; /* a loader chunk is the longest */
	static uint32_t tag;
	struct procd_msg_header h = { .op = op, .length = (uint32_t)(sizeof h + len), .tag = ++tag };

	if (sizeof h + len > sizeof buf)
		return -1;
	memcpy(buf, &h, sizeof h);
	if (len)
		memcpy(buf + sizeof h, body, len);
	if (fd_pass_send(ep, buf, sizeof h + len, NULL, 0) != 0)
		return -1;
	return receive_reply(ep, out, outlen, caps, maxcaps, ncaps);
}

int64_t boot_install(int grant, uint32_t slot, int fd)
{
	struct {
		struct procd_msg_header h;
		struct procd_msg_install m;
	} msg = { { PROCD_GRANT_INSTALL, sizeof msg, 1, 0 }, { slot, 0 } };

	if (fd_pass_send(grant, &msg, sizeof msg, &fd, fd >= 0 ? 1 : 0) != 0)
		return -1;
	return receive_reply(grant, NULL, 0, NULL, 0, NULL);
}

int64_t boot_call_raw(int ep, const void *msg, size_t len, const int *fds, size_t nfds)
{
	return boot_exchange(ep, msg, len, fds, nfds, NULL, 0);
}

int64_t boot_exchange(int ep, const void *msg, size_t len, const int *fds, size_t nfds, void *out, size_t outlen)
{
	if (fd_pass_send(ep, msg, len, fds, nfds) != 0)
		return -1;
	return receive_reply(ep, out, outlen, NULL, 0, NULL);
}

/* The value of a /proc/PID/status field, the blanks before it skipped:
 * 0, or -1 if there is no such process or field. */
static int status_value(pid_t pid, const char *field, char *out, size_t size)
{
	char path[64], line[256];
	size_t len = strlen(field);
	int found = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (found != 0 && fgets(line, sizeof line, f))
		if (strncmp(line, field, len) == 0 && line[len] == ':') {
			snprintf(out, size, "%s", line + len + 1 + strspn(line + len + 1, " \t"));
			found = 0;
		}
	fclose(f);
	return found;
}

long boot_status_field(pid_t pid, const char *field)
{
	char value[256];

	return status_value(pid, field, value, sizeof value) == 0 ? strtol(value, NULL, 10) : -1;
}

char boot_process_state(pid_t pid)
{
	char value[256];

	return status_value(pid, "State", value, sizeof value) == 0 ? value[0] : 0;
}

static int is_spawner(pid_t pid)
{
	char name[64];

	return status_value(pid, "Name", name, sizeof name) == 0 && strcmp(name, "procd-spawner\n") == 0;
}

#define MAX_LISTED_CHILDREN 512

/* Every child of procd's, the spawner among them, read once. */
static size_t read_children_of(pid_t procd, pid_t *out, size_t max)
{
	char path[64];
	FILE *f;
	size_t n = 0;
	int pid;

	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)procd, (int)procd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (n < max && fscanf(f, "%d", &pid) == 1)
		out[n++] = pid;
	fclose(f);
	return n;
}

static size_t live_spawner_names(const pid_t *all, size_t n)
{
	size_t named = 0;

	for (size_t i = 0; i < n; i++)
		named += is_spawner(all[i]) && boot_process_state(all[i]) != 'Z';
	return named;
}

/* Every child of procd's, once none is between clone and exec. A child
 * carries the spawner's name until its exec renames it, and the spawner
 * is released (CLONE_VFORK) a moment before that rename: a listing taken
 * then would count a started child as a second spawner. */
static size_t all_children_of(pid_t procd, pid_t *out, size_t max)
{
	const struct timespec pause = { .tv_nsec = 1000000 };
	size_t n = read_children_of(procd, out, max);

	for (int tries = 0; tries < 2000 && live_spawner_names(out, n) > 1; tries++) {
		nanosleep(&pause, NULL);
		n = read_children_of(procd, out, max);
	}
	return n;
}

size_t boot_children_of(pid_t procd, pid_t *out, size_t max)
{
	pid_t all[MAX_LISTED_CHILDREN];
	size_t n = all_children_of(procd, all, MAX_LISTED_CHILDREN), k = 0;

	for (size_t i = 0; i < n && k < max; i++)
		if (!is_spawner(all[i]))
			out[k++] = all[i];
	return k;
}

pid_t boot_spawner_of(pid_t procd)
{
	pid_t all[MAX_LISTED_CHILDREN];
	size_t n = all_children_of(procd, all, MAX_LISTED_CHILDREN);

	for (size_t i = 0; i < n; i++)
		if (is_spawner(all[i]))
			return all[i];
	return 0;
}
