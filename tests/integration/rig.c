/* SPDX-License-Identifier: ISC */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers/proto.h"
#include "tests/integration/rig.h"

static const char *const helpers[] = {
	"phase0-exit", "phase0-fault-kill", "phase0-isolation-a", "phase0-isolation-b",
	"phase0-probe", "phase1-lookup-client", "phase1-time-client", "phase2-irq-client",
};

static void add_module(struct rig *r, const char *name, const char *file)
{
	const char *dir = getenv("abs_top_builddir");
	char path[4096];

	ck_assert_msg(dir != NULL, "abs_top_builddir is not set; run through make check");
	snprintf(path, sizeof path, "%s/%s", dir, file);
	ck_assert_msg(boot_add_module(&r->in, name, path) == 0, "module %s: %s", path, strerror(errno));
}

void rig_up(struct rig *r)
{
	rig_up_with(r, "tests/integration/relay", NULL);
}

void rig_up_with(struct rig *r, const char *loaderd, char *const env[])
{
	char file[256];
	int time_pair[2];

	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(boot_raise_fd_limit(), 0);
	ck_assert_int_eq(boot_intake_init(&r->in), 0);
	for (size_t i = 0; i < sizeof helpers / sizeof helpers[0]; i++) {
		snprintf(file, sizeof file, "helpers/%s", helpers[i]);
		add_module(r, helpers[i], file);
	}
	/* Stand-in images for seed roles: a helper that serves its endpoint
	 * until told to exit, and the relay for deviced. */
	add_module(r, "named", "helpers/phase0-exit");
	add_module(r, "timed", "helpers/phase0-exit");
	add_module(r, "drv-serial", "helpers/phase0-exit");
	add_module(r, "loaderd", loaderd);
	add_module(r, "deviced", "tests/integration/relay");
	/* rootd transfers the kernel time endpoint for procd to install. */
	ck_assert_int_eq(boot_pair(time_pair), 0);
	r->time_far = time_pair[1];
	ck_assert_int_eq(boot_add_transferred(&r->in, SLOT_KERNEL_TIME_ENDPOINT, PROCD_CAP_ENDPOINT,
					      time_pair[0]), 0);
	r->procd = boot_launch(&r->in, getenv("PROCD_BINARY") ? getenv("PROCD_BINARY") : "./procd", env);
	ck_assert_int_gt(r->procd, 0);
	r->ep = r->in.bootstrap[1];
	r->drv = r->in.driver[1];
	/* procd is serving once it answers: a query of a pid that cannot exist. */
	ck_assert_int_eq(rig_pid_op(r->ep, PROCD_OP_QUERY_PROCESS, 0xfffffff0u), PROCD_E_NOT_FOUND);
}

void rig_down(struct rig *r)
{
	pid_t kids[64];
	size_t n = boot_children_of(r->procd, kids, 64);
	pid_t spawner = boot_spawner_of(r->procd);
	int status;

	ck_assert_msg(spawner > 0, "procd has no spawner");
	boot_intake_close(&r->in);
	close(r->time_far);
	ck_assert_int_eq(waitpid(r->procd, &status, 0), r->procd);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "procd ended with status %#x", status);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(process_gone(kids[i]), "child %d outlived procd", (int)kids[i]);
	ck_assert_msg(process_gone(spawner), "the spawner %d outlived procd", (int)spawner);
}

void rig_up_boot(struct rig *r, const char *const modules[], const uint32_t kernel[], int kernel_far[])
{
	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(boot_raise_fd_limit(), 0);
	ck_assert_int_eq(boot_intake_init(&r->in), 0);
	for (size_t i = 0; modules[i]; i++) {
		char name[64], path[4096];
		const char *eq = strchr(modules[i], '=');
		size_t n = (size_t)(eq - modules[i]);
		uint32_t flags = 0;

		ck_assert_ptr_nonnull(eq);
		if (n > 0 && modules[i][n - 1] == '+') {
			flags = PROCD_MODULE_BOOT;
			n--;
		}
		snprintf(name, sizeof name, "%.*s", (int)n, modules[i]);
		snprintf(path, sizeof path, "%s/%s", getenv("abs_top_builddir"), eq + 1);
		ck_assert_msg(boot_add_module_flags(&r->in, name, path, flags) == 0, "module %s", path);
	}
	for (size_t i = 0; kernel && kernel[i]; i++) {
		int sv[2];

		ck_assert_int_eq(boot_pair(sv), 0);
		kernel_far[i] = sv[1];
		ck_assert_int_eq(boot_add_transferred(&r->in, kernel[i], PROCD_CAP_ENDPOINT, sv[0]), 0);
	}
	r->time_far = dup(STDIN_FILENO); /* rig_down closes it */
	r->procd = boot_launch(&r->in, getenv("PROCD_BINARY") ? getenv("PROCD_BINARY") : "./procd", NULL);
	ck_assert_int_gt(r->procd, 0);
	r->ep = r->in.bootstrap[1];
	r->drv = r->in.driver[1];
	ck_assert_int_eq(rig_pid_op(r->ep, PROCD_OP_QUERY_PROCESS, 0xfffffff0u), PROCD_E_NOT_FOUND);
}

int rig_module(const struct rig *r, const char *name)
{
	int i = boot_module_index(&r->in, name);

	ck_assert_msg(i >= 0, "no module %s", name);
	return i;
}

int64_t rig_create(int ep, uint32_t role, uint32_t *pid, int *alias, int *grant)
{
	struct procd_msg_create c = { .role = role };
	struct procd_msg_created out;
	int caps[2] = { -1, -1 };
	size_t n = 0;
	int64_t st = boot_call(ep, PROCD_OP_CREATE_STAGED_PROCESS, &c, sizeof c, &out, sizeof out, caps, 2, &n);

	if (st == PROCD_OK) {
		ck_assert_uint_eq(n, 2);
		*pid = out.pid;
		*alias = caps[0];
		*grant = caps[1];
	} else {
		ck_assert_uint_eq(n, 0);
	}
	return st;
}

int64_t rig_start(const struct rig *r, int ep, uint32_t pid, const char *module)
{
	struct procd_msg_start s = { .pid = pid, .image_module = (uint32_t)rig_module(r, module) };
	struct procd_msg_pid out;

	return boot_call(ep, PROCD_OP_START_STAGED_PROCESS, &s, sizeof s, &out, sizeof out, NULL, 0, NULL);
}

int64_t rig_pid_op(int ep, uint32_t op, uint32_t pid)
{
	struct procd_msg_pid p = { .pid = pid };
	struct procd_msg_pid out;

	return boot_call(ep, op, &p, sizeof p, &out, sizeof out, NULL, 0, NULL);
}

int64_t rig_query(int ep, uint32_t pid, struct procd_msg_info *info)
{
	struct procd_msg_pid p = { .pid = pid };

	return boot_call(ep, PROCD_OP_QUERY_PROCESS, &p, sizeof p, info, sizeof *info, NULL, 0, NULL);
}

int64_t rig_set_restart(int ep, uint32_t pid, struct procd_msg_restart *rp)
{
	struct procd_msg_pid out;

	rp->pid = pid;
	return boot_call(ep, PROCD_OP_SET_RESTART_POLICY, rp, sizeof *rp, &out, sizeof out, NULL, 0, NULL);
}

int64_t rig_wait(int ep, uint32_t pid, uint32_t after, uint32_t timeout_ms, struct procd_msg_event *ev)
{
	struct procd_msg_wait w = { .pid = pid, .after_seq = after, .timeout_ms = timeout_ms };

	return boot_call(ep, PROCD_OP_WAIT_PROCESS_EVENT, &w, sizeof w, ev, sizeof *ev, NULL, 0, NULL);
}

int32_t rig_wait_for(int ep, uint32_t pid, uint32_t kind, uint32_t *seq)
{
	struct procd_msg_event ev;

	for (;;) {
		int64_t st = rig_wait(ep, pid, *seq, 5000, &ev);

		ck_assert_msg(st == PROCD_OK, "waiting for event %u of pid %u: status %lld", kind, pid,
			      (long long)st);
		*seq = ev.seq;
		if (ev.kind == kind)
			return ev.code;
	}
}

void rig_tell_exit(int alias, int32_t code)
{
	struct helper_exit_msg m = { { HELPER_OP_EXIT, sizeof m, 1, 0 }, code };

	ck_assert_int_eq(send(alias, &m, sizeof m, MSG_NOSIGNAL), (ssize_t)sizeof m);
}

size_t rig_procd_fds(const struct rig *r)
{
	ck_assert_int_eq(rig_pid_op(r->ep, PROCD_OP_QUERY_PROCESS, 0xfffffff0u), PROCD_E_NOT_FOUND);
	return fd_count(r->procd);
}

void rig_assert_fds(pid_t child, const int *want, size_t nwant)
{
	int fds[64];
	size_t n = 0;

	/* The child may still be in exec, before the kernel has closed its
	 * close-on-exec descriptors: its table is final once it runs. Look
	 * until it matches, for up to two seconds, then judge what is there. */
	for (int tries = 0; tries < 200; tries++) {
		n = fd_list(child, fds, 64);
		if (n == nwant && memcmp(fds, want, n * sizeof *fds) == 0)
			return;
		usleep(10000);
	}
	ck_assert_msg(n == nwant, "child %d holds %zu descriptors, expected %zu", (int)child, n, nwant);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(fds[i] == want[i], "child %d holds fd %d where %d was expected", (int)child, fds[i],
			      want[i]);
}

int rig_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

size_t fd_list(pid_t pid, int *fds, size_t max)
{
	char path[64];
	DIR *d;
	struct dirent *de;
	size_t n = 0;

	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	d = opendir(path);
	ck_assert_msg(d != NULL, "%s: %s", path, strerror(errno));
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && n < max)
			fds[n++] = atoi(de->d_name);
	closedir(d);
	qsort(fds, n, sizeof *fds, cmp_int);
	return n;
}

size_t fd_count(pid_t pid)
{
	static int fds[70000];

	return fd_list(pid, fds, sizeof fds / sizeof fds[0]);
}

long nofile_limit(pid_t pid)
{
	char path[64], line[256];
	FILE *f;
	long soft = -1;

	snprintf(path, sizeof path, "/proc/%d/limits", (int)pid);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "Max open files", 14) == 0)
			soft = strtol(line + 26, NULL, 10);
	fclose(f);
	return soft;
}

pid_t new_child(pid_t procd, const pid_t *known, size_t nknown)
{
	for (int tries = 0; tries < 200; tries++) {
		pid_t kids[256];
		size_t n = boot_children_of(procd, kids, 256);

		for (size_t i = 0; i < n; i++) {
			int seen = 0;

			for (size_t j = 0; j < nknown; j++)
				seen |= kids[i] == known[j];
			if (!seen)
				return kids[i];
		}
		usleep(5000);
	}
	return 0;
}

/* Neither running nor a zombie: an uncollected child is a leak too. */
int process_gone_now(pid_t pid)
{
	char state;

	ck_assert_msg(pid > 0, "no process to look for (%d)", (int)pid);
	state = boot_process_state(pid);
	return state == 0 || state == 'X';
}

int process_gone(pid_t pid)
{
	for (int tries = 0; tries < 100; tries++) {
		if (process_gone_now(pid))
			return 1;
		usleep(10000);
	}
	return 0;
}
