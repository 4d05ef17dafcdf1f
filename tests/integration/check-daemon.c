/* SPDX-License-Identifier: ISC */
/*
 * procd with real processes: each test launches its own procd (through the
 * boot library, as rootd would) and checks what users rely on from the
 * real state: /proc/PID/fd and limits of children, exit statuses, events,
 * and procd's own descriptor count after bad input.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/integration/rig.h"

static struct rig r;

static void up(void) { rig_up(&r); }


/* Starts a staged child and returns its os pid. */
static pid_t start_child(int ep, uint32_t pid, const char *module)
{
	pid_t known[256];
	size_t n = boot_children_of(r.procd, known, 256);

	pid_t child;

	ck_assert_int_eq(rig_start(&r, ep, pid, module), PROCD_OK);
	child = new_child(r.procd, known, n);
	ck_assert_int_gt(child, 0);
	return child;
}


/* ------------------------------------------------------------ authority */

START_TEST(staged_child_runs_no_code_until_start)
{
	uint32_t pid;
	int alias, grant;
	pid_t kids[64];
	struct procd_msg_info info;

	up();
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
	ck_assert_uint_eq(boot_children_of(r.procd, kids, 64), 0);
	ck_assert_int_eq(rig_query(r.ep, pid, &info), PROCD_OK);
	ck_assert_uint_eq(info.state, PROCD_STATE_STAGED);
	ck_assert_uint_eq(info.role, ROLE_PHASE0_EXIT);
	close(alias);
	close(grant);
	rig_down(&r);
}
END_TEST

START_TEST(extension_child_holds_stdio_and_its_endpoint_only)
{
	static const int want[] = { 0, 1, 2, SLOT_SELF_ENDPOINT };
	uint32_t pid;
	int alias, grant;
	pid_t child;

	up();
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
	close(grant);
	child = start_child(r.ep, pid, "phase0-exit");
	ck_assert_int_gt(child, 0);
	rig_assert_fds(child, want, 4);
	ck_assert_int_eq(nofile_limit(child), PROCD_WINDOW_SERVICE);
	rig_tell_exit(alias, 0);
	close(alias);
	rig_down(&r);
}
END_TEST

START_TEST(service_child_holds_its_kernel_endpoint_at_its_slot)
{
	static const int want[] = { 0, 1, 2, SLOT_SELF_ENDPOINT, SLOT_LOGD_ENDPOINT, SLOT_KERNEL_TIME_ENDPOINT };
	uint32_t pid;
	int alias, grant, logd[2], kt[2];
	pid_t child;

	up();
	ck_assert_int_eq(rig_create(r.ep, ROLE_TIMED, &pid, &alias, &grant), PROCD_OK);
	ck_assert_int_eq(boot_pair(logd), 0);
	ck_assert_int_eq(boot_pair(kt), 0);
	ck_assert_int_eq(boot_install(grant, SLOT_LOGD_ENDPOINT, logd[1]), PROCD_OK);
	ck_assert_int_eq(boot_install(grant, SLOT_KERNEL_TIME_ENDPOINT, kt[1]), PROCD_OK);
	close(grant);
	child = start_child(r.ep, pid, "timed");
	rig_assert_fds(child, want, 6);
	ck_assert_int_eq(nofile_limit(child), SLOT_KERNEL_TIME_ENDPOINT + 1);
	rig_down(&r);
}
END_TEST

START_TEST(foundation_child_holds_its_grant)
{
	static const int want[] = { 0, 1, 2, SLOT_SELF_ENDPOINT, SLOT_LOGD_ENDPOINT };
	uint32_t pid;
	int alias, grant, logd[2];
	pid_t child;

	up();
	ck_assert_int_eq(rig_create(r.ep, ROLE_NAMED, &pid, &alias, &grant), PROCD_OK);
	ck_assert_int_eq(boot_pair(logd), 0);
	ck_assert_int_eq(boot_install(grant, SLOT_LOGD_ENDPOINT, logd[1]), PROCD_OK);
	/* named is not granted discovery of itself. */
	ck_assert_int_eq(boot_install(grant, SLOT_NAMED_ENDPOINT, logd[0]), PROCD_E_DENIED);
	close(grant);
	child = start_child(r.ep, pid, "named");
	rig_assert_fds(child, want, 5);
	ck_assert_int_eq(nofile_limit(child), PROCD_WINDOW_SERVICE);
	rig_down(&r);
}
END_TEST

/* deviced gets procd's driver endpoint minted at 2112; through it (the
 * relay image forwards for the test) it asks for drv-serial, which then
 * holds exactly its own narrow endpoint. */
START_TEST(driver_child_is_requested_by_deviced_on_the_driver_endpoint)
{
	static const int want[] = { 0, 1, 2, SLOT_SELF_ENDPOINT, SLOT_KERNEL_COM1_ENDPOINT };
	uint32_t dpid, spid;
	int dalias, dgrant, salias, sgrant, com1[2];
	pid_t child;

	up();
	ck_assert_int_eq(rig_create(r.ep, ROLE_DEVICED, &dpid, &dalias, &dgrant), PROCD_OK);
	ck_assert_int_eq(boot_install(dgrant, SLOT_PROCD_DRIVER_ENDPOINT, -1), PROCD_OK);
	close(dgrant);
	start_child(r.ep, dpid, "deviced");
	/* As deviced (through the relay): */
	ck_assert_int_eq(rig_create(dalias, ROLE_DRV_SERIAL, &spid, &salias, &sgrant), PROCD_OK);
	ck_assert_int_eq(boot_pair(com1), 0);
	ck_assert_int_eq(boot_install(sgrant, SLOT_KERNEL_COM1_ENDPOINT, com1[1]), PROCD_OK);
	ck_assert_int_eq(boot_install(sgrant, SLOT_KERNEL_I8042_ENDPOINT, com1[0]), PROCD_E_DENIED);
	close(sgrant);
	child = start_child(dalias, spid, "drv-serial");
	rig_assert_fds(child, want, 5);
	ck_assert_int_eq(nofile_limit(child), SLOT_KERNEL_COM1_ENDPOINT + 1);
	/* The driver is managed on the driver endpoint only. */
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_QUERY_PROCESS, spid), PROCD_E_DENIED);
	struct procd_msg_info info;
	ck_assert_int_eq(rig_query(dalias, spid, &info), PROCD_OK);
	ck_assert_uint_eq(info.state, PROCD_STATE_RUNNING);
	rig_down(&r);
}
END_TEST

START_TEST(spawns_are_accepted_only_on_their_endpoint)
{
	uint32_t pid;
	int alias, grant;

	up();
	/* drv-* on the bootstrap endpoint, and a service on the driver one. */
	ck_assert_int_eq(rig_create(r.ep, ROLE_DRV_SERIAL, &pid, &alias, &grant), PROCD_E_DENIED);
	ck_assert_int_eq(rig_create(r.drv, ROLE_TIMED, &pid, &alias, &grant), PROCD_E_DENIED);
	/* rootd is not a requester of drivers, even on the driver endpoint. */
	ck_assert_int_eq(rig_create(r.drv, ROLE_DRV_SERIAL, &pid, &alias, &grant), PROCD_E_DENIED);
	ck_assert_int_eq(rig_create(r.ep, 0x7777, &pid, &alias, &grant), PROCD_E_NOT_FOUND);
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_QUERY_PROCESS, 1), PROCD_E_NOT_FOUND);
	rig_down(&r);
}
END_TEST

START_TEST(installs_outside_the_grant_are_refused_and_dropped)
{
	uint32_t pid;
	int alias, grant, sv[2];
	size_t before;

	up();
	ck_assert_int_eq(rig_create(r.ep, ROLE_TIMED, &pid, &alias, &grant), PROCD_OK);
	before = rig_procd_fds(&r);
	ck_assert_int_eq(boot_pair(sv), 0);
	/* In the window but not allowed; outside the window; a kernel endpoint
	 * of another role; procd's own endpoint passed in rather than minted;
	 * the child's own endpoint slot, which procd fills. */
	ck_assert_int_eq(boot_install(grant, 40, sv[1]), PROCD_E_DENIED);
	ck_assert_int_eq(boot_install(grant, 3000, sv[1]), PROCD_E_DENIED);
	ck_assert_int_eq(boot_install(grant, SLOT_KERNEL_IRQ_ENDPOINT, sv[1]), PROCD_E_DENIED);
	ck_assert_int_eq(boot_install(grant, 5, sv[1]), PROCD_E_DENIED);
	ck_assert_int_eq(boot_install(grant, SLOT_PROCD_ENDPOINT, sv[1]), PROCD_E_DENIED);
	ck_assert_int_eq(boot_install(grant, SLOT_SELF_ENDPOINT, sv[1]), PROCD_E_EXISTS);
	/* Allowed, but without the capability, or with two. */
	ck_assert_int_eq(boot_install(grant, SLOT_LOGD_ENDPOINT, -1), PROCD_E_INVALID);
	int two[2] = { sv[0], sv[1] };
	struct { struct procd_msg_header h; struct procd_msg_install m; } msg =
		{ { PROCD_GRANT_INSTALL, sizeof msg, 9, 0 }, { SLOT_LOGD_ENDPOINT, 0 } };
	ck_assert_int_eq(boot_call_raw(grant, &msg, sizeof msg, two, 2), PROCD_E_INVALID);
	/* Every refused descriptor was closed: procd holds what it held. */
	ck_assert_uint_eq(rig_procd_fds(&r), before);
	ck_assert_int_eq(boot_install(grant, SLOT_LOGD_ENDPOINT, sv[1]), PROCD_OK);
	ck_assert_uint_eq(rig_procd_fds(&r), before + 1);
	ck_assert_int_eq(boot_install(grant, SLOT_LOGD_ENDPOINT, sv[1]), PROCD_E_EXISTS);
	ck_assert_uint_eq(rig_procd_fds(&r), before + 1);
	rig_down(&r);
}
END_TEST

/* An allowed slot takes only the kind of capability the slot table says:
 * anything else would be ambient authority under an endpoint's name. */
START_TEST(an_install_of_the_wrong_kind_is_denied_and_dropped)
{
	uint32_t pid;
	int alias, grant, sv[2], wrong[4];
	size_t before;

	up();
	ck_assert_int_eq(rig_create(r.ep, ROLE_TIMED, &pid, &alias, &grant), PROCD_OK);
	before = rig_procd_fds(&r);
	wrong[0] = socket(AF_INET, SOCK_STREAM, 0);
	wrong[1] = open("/", O_PATH | O_DIRECTORY);
	wrong[2] = eventfd(0, 0);
	wrong[3] = open("/proc/self/exe", O_RDONLY);
	for (int i = 0; i < 4; i++) {
		ck_assert_int_ge(wrong[i], 0);
		ck_assert_int_eq(boot_install(grant, SLOT_NAMED_ENDPOINT, wrong[i]), PROCD_E_DENIED);
		close(wrong[i]);
	}
	ck_assert_uint_eq(rig_procd_fds(&r), before);
	ck_assert_int_eq(boot_pair(sv), 0);
	ck_assert_int_eq(boot_install(grant, SLOT_NAMED_ENDPOINT, sv[1]), PROCD_OK);
	rig_down(&r);
}
END_TEST

START_TEST(reserved_ops_are_denied_before_anything_changes)
{
	struct procd_msg_pid body = { 1, 0 };
	size_t before;

	up();
	before = rig_procd_fds(&r);
	ck_assert_int_eq(boot_call(r.ep, PROCD_OP_ADOPT_PROCESS, &body, sizeof body, NULL, 0, NULL, 0, NULL),
			 PROCD_E_DENIED);
	ck_assert_int_eq(boot_call(r.ep, PROCD_OP_LAUNCH_LOADED_IMAGE, &body, sizeof body, NULL, 0, NULL, 0,
				   NULL), PROCD_E_DENIED);
	ck_assert_int_eq(boot_call(r.drv, PROCD_OP_ADOPT_PROCESS, &body, sizeof body, NULL, 0, NULL, 0, NULL),
			 PROCD_E_DENIED);
	ck_assert_uint_eq(rig_procd_fds(&r), before);
	rig_down(&r);
}
END_TEST

START_TEST(legacy_spawn_starts_extension_roles_only)
{
	struct procd_msg_spawn sp = { .role = ROLE_TIMED };
	struct procd_msg_pid out;
	int caps[2];
	size_t n;
	pid_t kids[8];

	up();
	sp.image_module = (uint32_t)rig_module(&r, "timed");
	ck_assert_int_eq(boot_call(r.ep, PROCD_OP_SPAWN, &sp, sizeof sp, &out, sizeof out, caps, 2, &n),
			 PROCD_E_DENIED);
	ck_assert_uint_eq(boot_children_of(r.procd, kids, 8), 0);
	/* The same role through its typed compatibility path is fine, and
	 * procd installs the kernel time endpoint rootd transferred to it. */
	ck_assert_int_eq(boot_call(r.ep, PROCD_OP_SPAWN_SERVICE, &sp, sizeof sp, &out, sizeof out, caps, 2, &n),
			 PROCD_OK);
	ck_assert_uint_eq(n, 1);
	pid_t timed = new_child(r.procd, NULL, 0);
	static const int want_timed[] = { 0, 1, 2, SLOT_SELF_ENDPOINT, SLOT_KERNEL_TIME_ENDPOINT };
	rig_assert_fds(timed, want_timed, 5);
	rig_tell_exit(caps[0], 0);
	close(caps[0]);

	sp.role = ROLE_PHASE0_EXIT;
	sp.image_module = (uint32_t)rig_module(&r, "phase0-exit");
	ck_assert_int_eq(boot_call(r.ep, PROCD_OP_SPAWN, &sp, sizeof sp, &out, sizeof out, caps, 2, &n),
			 PROCD_OK);
	ck_assert_uint_eq(n, 1);
	uint32_t seq = 0;
	rig_tell_exit(caps[0], 5);
	ck_assert_int_eq(rig_wait_for(r.ep, out.pid, PROCD_EVENT_EXITED, &seq), 5);
	close(caps[0]);
	rig_down(&r);
}
END_TEST

START_TEST(a_spawn_of_another_roles_image_is_denied_before_anything_is_built)
{
	struct procd_msg_spawn sp = { .role = ROLE_TIMED };
	struct procd_msg_pid out;
	uint32_t pid;
	int caps[2], alias, grant;
	size_t n, before;
	pid_t kids[8];

	up();
	before = rig_procd_fds(&r);
	sp.image_module = (uint32_t)rig_module(&r, "phase0-exit");
	ck_assert_int_eq(boot_call(r.ep, PROCD_OP_SPAWN_SERVICE, &sp, sizeof sp, &out, sizeof out, caps, 2, &n),
			 PROCD_E_DENIED);
	ck_assert_uint_eq(boot_children_of(r.procd, kids, 8), 0);
	ck_assert_uint_eq(rig_procd_fds(&r), before);
	/* No process entry was taken and given back: the first create gets
	 * the first id, as in a procd that never saw the spawn. */
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
	ck_assert_uint_eq(pid, 1);
	close(alias);
	close(grant);
	rig_down(&r);
}
END_TEST

START_TEST(an_image_must_be_the_roles_own)
{
	uint32_t pid;
	int alias, grant;
	pid_t kids[8];

	up();
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
	ck_assert_int_eq(rig_start(&r, r.ep, pid, "phase0-fault-kill"), PROCD_E_DENIED);
	struct procd_msg_start bad = { .pid = pid, .image_module = 999 };
	struct procd_msg_pid out;
	ck_assert_int_eq(boot_call(r.ep, PROCD_OP_START_STAGED_PROCESS, &bad, sizeof bad, &out, sizeof out,
				   NULL, 0, NULL), PROCD_E_NOT_FOUND);
	ck_assert_uint_eq(boot_children_of(r.procd, kids, 8), 0);
	ck_assert_int_eq(rig_start(&r, r.ep, pid, "phase0-exit"), PROCD_OK);
	ck_assert_int_eq(rig_start(&r, r.ep, pid, "phase0-exit"), PROCD_E_BUSY);
	rig_down(&r);
}
END_TEST

START_TEST(isolation_a_cannot_reach_isolation_b)
{
	uint32_t a, b, seq = 0;
	int aa, ag, ba, bg;

	up();
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_ISOLATION_B, &b, &ba, &bg), PROCD_OK);
	close(bg);
	start_child(r.ep, b, "phase0-isolation-b");
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_ISOLATION_A, &a, &aa, &ag), PROCD_OK);
	close(ag);
	start_child(r.ep, a, "phase0-isolation-a");
	/* isolation-a checks its whole window (and beyond) and exits 1 if it
	 * holds anything but stdio and its own endpoint. */
	rig_tell_exit(aa, 0);
	ck_assert_int_eq(rig_wait_for(r.ep, a, PROCD_EVENT_EXITED, &seq), 0);
	rig_down(&r);
}
END_TEST

/* ------------------------------------------------------------ lifecycle */

START_TEST(exit_status_is_reported_as_an_event)
{
	uint32_t pid, seq = 0;
	int alias, grant;
	struct procd_msg_info info;

	up();
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
	close(grant);
	start_child(r.ep, pid, "phase0-exit");
	ck_assert_int_eq(rig_wait_for(r.ep, pid, PROCD_EVENT_STARTED, &seq), 0);
	/* Nothing more yet: a zero-timeout wait says so at once. */
	struct procd_msg_event ev;
	ck_assert_int_eq(rig_wait(r.ep, pid, seq, 0, &ev), PROCD_E_TIMEOUT);
	ck_assert_int_eq(rig_wait(r.ep, pid, seq, 50, &ev), PROCD_E_TIMEOUT);
	rig_tell_exit(alias, 7);
	ck_assert_int_eq(rig_wait_for(r.ep, pid, PROCD_EVENT_EXITED, &seq), 7);
	ck_assert_int_eq(rig_query(r.ep, pid, &info), PROCD_OK);
	ck_assert_uint_eq(info.state, PROCD_STATE_ENDED); /* policy: never restart */
	ck_assert_uint_eq(info.last_kind, PROCD_EVENT_EXITED);
	ck_assert_int_eq(info.last_code, 7);
	rig_down(&r);
}
END_TEST

START_TEST(a_fault_is_reported_with_its_signal_and_crash_loops_are_given_up)
{
	struct procd_msg_restart rp = { .policy = PROCD_RESTART_ON_FAILURE, .max_restarts = 3,
					.window_ms = 60000, .backoff_min_ms = 10, .backoff_max_ms = 40 };
	struct procd_msg_info info;
	uint32_t pid, seq = 0, restarts = 0;
	int alias, grant;

	up();
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_FAULT_KILL, &pid, &alias, &grant), PROCD_OK);
	ck_assert_int_eq(rig_set_restart(r.ep, pid, &rp), PROCD_OK);
	ck_assert_int_eq(rig_start(&r, r.ep, pid, "phase0-fault-kill"), PROCD_OK);
	ck_assert_int_eq(rig_wait_for(r.ep, pid, PROCD_EVENT_FAULTED, &seq), SIGSEGV);
	for (;;) {
		struct procd_msg_event ev;

		ck_assert_int_eq(rig_wait(r.ep, pid, seq, 5000, &ev), PROCD_OK);
		seq = ev.seq;
		if (ev.kind == PROCD_EVENT_RESTARTED)
			restarts++;
		if (ev.kind == PROCD_EVENT_GAVE_UP) {
			ck_assert_int_eq(ev.code, 3);
			break;
		}
	}
	ck_assert_uint_eq(restarts, 3);
	ck_assert_int_eq(rig_query(r.ep, pid, &info), PROCD_OK);
	ck_assert_uint_eq(info.state, PROCD_STATE_ENDED);
	ck_assert_uint_eq(info.restarts, 3);
	rig_down(&r);
}
END_TEST

START_TEST(on_failure_restarts_a_failed_exit_from_the_same_cspace)
{
	struct procd_msg_restart rp = { .policy = PROCD_RESTART_ON_FAILURE, .max_restarts = 5,
					.window_ms = 60000, .backoff_min_ms = 1, .backoff_max_ms = 10 };
	uint32_t pid, seq = 0;
	int alias, grant;
	pid_t first, second;

	up();
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
	close(grant);
	ck_assert_int_eq(rig_set_restart(r.ep, pid, &rp), PROCD_OK);
	first = start_child(r.ep, pid, "phase0-exit");
	rig_tell_exit(alias, 3);
	ck_assert_int_eq(rig_wait_for(r.ep, pid, PROCD_EVENT_RESTARTED, &seq), 1);
	second = new_child(r.procd, &first, 1);
	ck_assert_int_gt(second, 0);
	static const int want[] = { 0, 1, 2, SLOT_SELF_ENDPOINT };
	rig_assert_fds(second, want, 4);
	/* The same alias reaches the new instance: its endpoint is procd's to
	 * keep. A clean exit is not a failure, so it stays ended. */
	rig_tell_exit(alias, 0);
	ck_assert_int_eq(rig_wait_for(r.ep, pid, PROCD_EVENT_EXITED, &seq), 0);
	struct procd_msg_event ev;
	ck_assert_int_eq(rig_wait(r.ep, pid, seq, 200, &ev), PROCD_E_TIMEOUT);
	rig_down(&r);
}
END_TEST

START_TEST(a_kill_from_outside_is_a_failure_and_restarts)
{
	struct procd_msg_restart rp = { .policy = PROCD_RESTART_ON_FAILURE, .max_restarts = 5,
					.window_ms = 60000, .backoff_min_ms = 20, .backoff_max_ms = 100 };
	uint32_t pid, seq = 0;
	int alias, grant;
	pid_t child;

	up();
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
	close(grant);
	ck_assert_int_eq(rig_set_restart(r.ep, pid, &rp), PROCD_OK);
	child = start_child(r.ep, pid, "phase0-exit");
	kill(child, SIGKILL);
	ck_assert_int_eq(rig_wait_for(r.ep, pid, PROCD_EVENT_KILLED, &seq), SIGKILL);
	ck_assert_int_eq(rig_wait_for(r.ep, pid, PROCD_EVENT_RESTARTED, &seq), 1);
	ck_assert(process_gone(child));
	rig_down(&r);
}
END_TEST

START_TEST(process_ids_are_deterministic)
{
	uint32_t a, b, c;
	int alias, grant;

	up();
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &a, &alias, &grant), PROCD_OK);
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &b, &alias, &grant), PROCD_OK);
	ck_assert_uint_eq(a, 1);
	ck_assert_uint_eq(b, 2);
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_ABORT_STAGED_PROCESS, a), PROCD_OK);
	/* The lowest entry again, under its next generation. */
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &c, &alias, &grant), PROCD_OK);
	ck_assert_uint_eq(c, 1 + PROCD_MAX_PROCESSES);
	rig_down(&r);
}
END_TEST

START_TEST(restart_policy_reads_back_and_rejects_nonsense)
{
	struct procd_msg_restart rp = { .policy = PROCD_RESTART_ALWAYS, .max_restarts = 4,
					.window_ms = 1000, .backoff_min_ms = 5, .backoff_max_ms = 500 };
	struct procd_msg_restart got;
	uint32_t pid;
	int alias, grant;

	up();
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
	struct procd_msg_pid q = { pid, 0 };
	ck_assert_int_eq(boot_call(r.ep, PROCD_OP_GET_RESTART_POLICY, &q, sizeof q, &got, sizeof got, NULL,
				   0, NULL), PROCD_OK);
	ck_assert_uint_eq(got.policy, PROCD_RESTART_NEVER); /* the policy's default */
	ck_assert_int_eq(rig_set_restart(r.ep, pid, &rp), PROCD_OK);
	ck_assert_int_eq(boot_call(r.ep, PROCD_OP_GET_RESTART_POLICY, &q, sizeof q, &got, sizeof got, NULL,
				   0, NULL), PROCD_OK);
	ck_assert_uint_eq(got.policy, PROCD_RESTART_ALWAYS);
	ck_assert_uint_eq(got.max_restarts, 4);
	ck_assert_uint_eq(got.backoff_max_ms, 500);
	rp.policy = 9;
	ck_assert_int_eq(rig_set_restart(r.ep, pid, &rp), PROCD_E_INVALID);
	rp.policy = PROCD_RESTART_ALWAYS;
	rp.backoff_min_ms = 600; /* above the maximum */
	ck_assert_int_eq(rig_set_restart(r.ep, pid, &rp), PROCD_E_INVALID);
	rig_down(&r);
}
END_TEST

START_TEST(stop_kills_and_retires_synchronously)
{
	uint32_t pid;
	int alias, grant;
	pid_t child;
	size_t before;
	struct procd_msg_info info;

	up();
	before = rig_procd_fds(&r);
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
	close(grant);
	child = start_child(r.ep, pid, "phase0-exit");
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_STOP_PROCESS, pid), PROCD_OK);
	/* Collected before the reply: no process, no zombie, no record. */
	ck_assert(process_gone_now(child));
	ck_assert_int_eq(rig_query(r.ep, pid, &info), PROCD_E_NOT_FOUND);
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_STOP_PROCESS, pid), PROCD_E_NOT_FOUND);
	ck_assert_uint_eq(rig_procd_fds(&r), before);
	/* The entry is reused under a new id; the old id stays stale. */
	uint32_t again;
	int a2, g2;
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &again, &a2, &g2), PROCD_OK);
	ck_assert_uint_ne(again, pid);
	ck_assert_int_eq(rig_query(r.ep, pid, &info), PROCD_E_NOT_FOUND);
	close(alias);
	rig_down(&r);
}
END_TEST

START_TEST(abort_reclaims_a_staged_child_and_everything_installed)
{
	uint32_t pid;
	int alias, grant, sv[2];
	size_t before;

	up();
	before = rig_procd_fds(&r);
	ck_assert_int_eq(rig_create(r.ep, ROLE_TIMED, &pid, &alias, &grant), PROCD_OK);
	ck_assert_int_eq(boot_pair(sv), 0);
	ck_assert_int_eq(boot_install(grant, SLOT_LOGD_ENDPOINT, sv[1]), PROCD_OK);
	ck_assert_int_eq(boot_install(grant, SLOT_KERNEL_TIME_ENDPOINT, sv[1]), PROCD_OK);
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_ABORT_STAGED_PROCESS, pid), PROCD_OK);
	ck_assert_uint_eq(rig_procd_fds(&r), before);
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_QUERY_PROCESS, pid), PROCD_E_NOT_FOUND);
	/* The grant is gone with it. */
	ck_assert_int_lt(boot_install(grant, SLOT_LOGD_ENDPOINT, sv[1]), 0);
	rig_down(&r);
}
END_TEST

START_TEST(a_full_table_says_so_and_leaks_nothing)
{
	static uint32_t pids[PROCD_MAX_PROCESSES];
	uint32_t extra;
	int alias, grant;
	size_t before;

	up();
	before = rig_procd_fds(&r);
	for (uint32_t i = 0; i < PROCD_MAX_PROCESSES; i++) {
		ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pids[i], &alias, &grant), PROCD_OK);
		close(alias);
		close(grant);
	}
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &extra, &alias, &grant), PROCD_E_NO_SPACE);
	for (uint32_t i = 0; i < PROCD_MAX_PROCESSES; i++)
		ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_ABORT_STAGED_PROCESS, pids[i]), PROCD_OK);
	ck_assert_uint_eq(rig_procd_fds(&r), before);
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &extra, &alias, &grant), PROCD_OK);
	rig_down(&r);
}
END_TEST

/* The lowest descriptor number procd has free: with RLIMIT_NOFILE there,
 * procd's table is full, as a table that really filled up would be. (Its
 * count of descriptors would not do: procd's table has holes below it.) */
static rlim_t lowest_free_fd(pid_t pid)
{
	static int fds[70000];
	size_t n = fd_list(pid, fds, sizeof fds / sizeof fds[0]);
	rlim_t want = 0;

	for (size_t i = 0; i < n && (rlim_t)fds[i] == want; i++)
		want++;
	return want;
}

/* The spawner made and exec'd the child, then procd could not take a pidfd
 * on it: procd must kill and collect it, not leave it running with its
 * capabilities while the start is reported failed. */
START_TEST(a_child_procd_cannot_hold_is_killed_and_collected)
{
	uint32_t pid;
	int alias, grant;
	size_t before, nknown, nafter;
	pid_t known[256], after[256];
	struct rlimit full, saved;
	struct procd_msg_info info;

	up();
	/* CREATE makes the child's endpoints, so START needs no descriptor
	 * before the pidfd. */
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
	before = rig_procd_fds(&r);
	nknown = boot_children_of(r.procd, known, 256);
	ck_assert_int_eq(prlimit(r.procd, RLIMIT_NOFILE, NULL, &saved), 0);
	full = saved;
	full.rlim_cur = lowest_free_fd(r.procd);
	ck_assert_int_eq(prlimit(r.procd, RLIMIT_NOFILE, &full, NULL), 0);

	ck_assert_int_eq(rig_start(&r, r.ep, pid, "phase0-exit"), PROCD_E_IO);
	/* Collected before the reply: nothing of it is left, not even a zombie
	 * (/proc lists those among procd's children until it collects them). */
	nafter = boot_children_of(r.procd, after, 256);
	for (size_t i = 0; i < nafter; i++) {
		int seen = 0;

		for (size_t j = 0; j < nknown; j++)
			seen |= after[i] == known[j];
		ck_assert_msg(seen, "procd's child %d runs on (state %c) after its start failed", (int)after[i],
			      boot_process_state(after[i]));
	}
	ck_assert_int_eq(prlimit(r.procd, RLIMIT_NOFILE, &saved, NULL), 0);
	ck_assert_uint_eq(rig_procd_fds(&r), before);
	ck_assert_int_eq(rig_query(r.ep, pid, &info), PROCD_OK);
	ck_assert_uint_eq(info.state, PROCD_STATE_STAGED);

	/* The record is as it was: the same START now succeeds. */
	start_child(r.ep, pid, "phase0-exit");
	ck_assert_int_eq(rig_query(r.ep, pid, &info), PROCD_OK);
	ck_assert_uint_eq(info.state, PROCD_STATE_RUNNING);
	close(alias);
	close(grant);
	rig_down(&r);
}
END_TEST

/* deviced stages a driver and dies before starting it: the record is
 * reclaimed with it. */
START_TEST(a_creator_that_dies_takes_its_staged_children_with_it)
{
	uint32_t dpid, spid, seq = 0;
	int dalias, dgrant, salias, sgrant;
	struct procd_msg_info info;
	size_t before;

	up();
	before = rig_procd_fds(&r);
	ck_assert_int_eq(rig_create(r.ep, ROLE_DEVICED, &dpid, &dalias, &dgrant), PROCD_OK);
	ck_assert_int_eq(boot_install(dgrant, SLOT_PROCD_DRIVER_ENDPOINT, -1), PROCD_OK);
	close(dgrant);
	start_child(r.ep, dpid, "deviced");
	ck_assert_int_eq(rig_create(dalias, ROLE_DRV_SERIAL, &spid, &salias, &sgrant), PROCD_OK);
	close(sgrant);
	close(salias);
	close(dalias); /* the relay sees its endpoint close and exits 0 */
	ck_assert_int_eq(rig_wait_for(r.ep, dpid, PROCD_EVENT_EXITED, &seq), 0);
	ck_assert_int_eq(rig_query(r.drv, spid, &info), PROCD_E_NOT_FOUND);
	ck_assert_int_eq(rig_pid_op(r.ep, PROCD_OP_STOP_PROCESS, dpid), PROCD_OK);
	ck_assert_uint_eq(rig_procd_fds(&r), before);
	rig_down(&r);
}
END_TEST

START_TEST(processes_are_managed_only_by_their_creator_or_rootd)
{
	uint32_t lpid, xpid;
	int lalias, lgrant, xalias, xgrant;

	up();
	/* loaderd holds a bootstrap alias (minted, badged loaderd). */
	ck_assert_int_eq(rig_create(r.ep, ROLE_LOADERD, &lpid, &lalias, &lgrant), PROCD_OK);
	ck_assert_int_eq(boot_install(lgrant, SLOT_PROCD_ENDPOINT, -1), PROCD_OK);
	close(lgrant);
	start_child(r.ep, lpid, "loaderd");
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &xpid, &xalias, &xgrant), PROCD_OK);
	/* As loaderd: not a requester of phase0-exit, and not its creator. */
	uint32_t p;
	int a, g;
	ck_assert_int_eq(rig_create(lalias, ROLE_PHASE0_EXIT, &p, &a, &g), PROCD_E_DENIED);
	ck_assert_int_eq(rig_pid_op(lalias, PROCD_OP_STOP_PROCESS, xpid), PROCD_E_DENIED);
	ck_assert_int_eq(rig_pid_op(lalias, PROCD_OP_ABORT_STAGED_PROCESS, xpid), PROCD_E_DENIED);
	struct procd_msg_info info;
	ck_assert_int_eq(rig_query(r.ep, xpid, &info), PROCD_OK);
	rig_down(&r);
}
END_TEST

/* ------------------------------------------------------------ bad input */

START_TEST(malformed_requests_are_refused_and_procd_keeps_serving)
{
	static unsigned char big[PROCD_MSG_LARGE_MAX + 100];
	struct procd_msg_header h;
	struct { struct procd_msg_header h; struct procd_msg_pid p; } q;
	int sv[2];
	size_t before;
	struct procd_msg_info info;

	up();
	before = rig_procd_fds(&r);
	memset(big, 0xa5, sizeof big);
	/* Shorter than a header; longer than any message; garbage. */
	ck_assert_int_eq(boot_call_raw(r.ep, big, 3, NULL, 0), PROCD_E_INVALID);
	ck_assert_int_eq(boot_call_raw(r.ep, big, sizeof big, NULL, 0), PROCD_E_INVALID);
	ck_assert_int_eq(boot_call_raw(r.ep, big, 40, NULL, 0), PROCD_E_INVALID);
	/* A length field that lies; a status in a request; an unknown op. */
	q.h = (struct procd_msg_header){ PROCD_OP_QUERY_PROCESS, sizeof q + 4, 1, 0 };
	q.p = (struct procd_msg_pid){ 1, 0 };
	ck_assert_int_eq(boot_call_raw(r.ep, &q, sizeof q, NULL, 0), PROCD_E_INVALID);
	q.h.length = sizeof q;
	q.h.status = 1;
	ck_assert_int_eq(boot_call_raw(r.ep, &q, sizeof q, NULL, 0), PROCD_E_INVALID);
	q.h.status = 0;
	q.h.op = 0x4ff;
	ck_assert_int_eq(boot_call_raw(r.ep, &q, sizeof q, NULL, 0), PROCD_E_UNSUPPORTED);
	/* The right op with the wrong body size, and reserved bits set. */
	h = (struct procd_msg_header){ PROCD_OP_QUERY_PROCESS, sizeof h, 1, 0 };
	ck_assert_int_eq(boot_call_raw(r.ep, &h, sizeof h, NULL, 0), PROCD_E_INVALID);
	q.h.op = PROCD_OP_QUERY_PROCESS;
	q.p.reserved = 1;
	ck_assert_int_eq(boot_call_raw(r.ep, &q, sizeof q, NULL, 0), PROCD_E_INVALID);
	/* Capabilities nobody asked for: denied, and closed by procd. */
	q.p.reserved = 0;
	ck_assert_int_eq(boot_pair(sv), 0);
	ck_assert_int_eq(boot_call_raw(r.ep, &q, sizeof q, sv, 2), PROCD_E_DENIED);
	int many[8] = { sv[0], sv[1], sv[0], sv[1], sv[0], sv[1], sv[0], sv[1] };
	ck_assert_int_eq(boot_call_raw(r.ep, &q, sizeof q, many, 8), PROCD_E_DENIED);
	close(sv[0]);
	close(sv[1]);
	ck_assert_uint_eq(rig_procd_fds(&r), before);
	/* Still serving, still whole. */
	ck_assert_int_eq(rig_query(r.ep, 1, &info), PROCD_E_NOT_FOUND);
	uint32_t pid;
	int alias, grant;
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
	rig_down(&r);
}
END_TEST

START_TEST(a_flood_of_garbage_leaves_procd_serving)
{
	unsigned char junk[64];
	struct procd_msg_info info;
	size_t before;

	up();
	before = rig_procd_fds(&r);
	for (unsigned i = 0; i < 2000; i++) {
		for (size_t k = 0; k < sizeof junk; k++)
			junk[k] = (unsigned char)(i * 31u + k * 7u);
		ck_assert_int_ge(boot_call_raw(r.ep, junk, 1 + i % sizeof junk, NULL, 0), 1);
	}
	ck_assert_int_eq(rig_query(r.ep, 1, &info), PROCD_E_NOT_FOUND);
	ck_assert_uint_eq(rig_procd_fds(&r), before);
	rig_down(&r);
}
END_TEST

START_TEST(garbage_on_a_grant_is_refused)
{
	uint32_t pid;
	int alias, grant;
	unsigned char junk[24] = { 1, 2, 3 };

	up();
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
	ck_assert_int_eq(boot_call_raw(grant, junk, sizeof junk, NULL, 0), PROCD_E_INVALID);
	ck_assert_int_eq(boot_call_raw(grant, junk, 2, NULL, 0), PROCD_E_INVALID);
	ck_assert_int_eq(rig_start(&r, r.ep, pid, "phase0-exit"), PROCD_OK);
	rig_down(&r);
}
END_TEST

/* ------------------------------------------------------------- shutdown */

START_TEST(rootd_hanging_up_mid_request_leaves_nothing_behind)
{
	struct procd_msg_create c = { .role = ROLE_PHASE0_EXIT };
	struct { struct procd_msg_header h; struct procd_msg_create c; } msg =
		{ { PROCD_OP_CREATE_STAGED_PROCESS, sizeof msg, 1, 0 }, c };
	uint32_t pid;
	int alias, grant, status;

	up();
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
	close(grant);
	pid_t child = start_child(r.ep, pid, "phase0-exit");
	/* A request, then gone before the reply. */
	ck_assert_int_eq(send(r.ep, &msg, sizeof msg, MSG_NOSIGNAL), (ssize_t)sizeof msg);
	boot_intake_close(&r.in);
	ck_assert_int_eq(waitpid(r.procd, &status, 0), r.procd);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert(process_gone(child));
	close(r.time_far);
}
END_TEST

START_TEST(sigterm_stops_every_child_and_procd_exits_cleanly)
{
	uint32_t pid;
	int alias, grant, status;
	pid_t kids[4];

	up();
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
		close(grant);
		kids[i] = start_child(r.ep, pid, "phase0-exit");
	}
	kill(r.procd, SIGTERM);
	ck_assert_int_eq(waitpid(r.procd, &status, 0), r.procd);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (int i = 0; i < 3; i++)
		ck_assert(process_gone(kids[i]));
	boot_intake_close(&r.in);
	close(r.time_far);
}
END_TEST

/* Without its spawner procd can start nothing, and a child the spawner was
 * making may run with no entry: procd stops every child and exits 1. */
START_TEST(a_lost_spawner_stops_procd_and_every_child)
{
	uint32_t pid;
	int alias, grant, status;
	pid_t kids[3], spawner;

	up();
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
		close(grant);
		kids[i] = start_child(r.ep, pid, "phase0-exit");
	}
	spawner = boot_spawner_of(r.procd);
	ck_assert_int_gt(spawner, 0);
	ck_assert_int_eq(kill(spawner, SIGKILL), 0);
	ck_assert_int_eq(waitpid(r.procd, &status, 0), r.procd);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1, "procd ended with status %#x", status);
	for (int i = 0; i < 3; i++)
		ck_assert_msg(process_gone(kids[i]), "child %d outlived procd", (int)kids[i]);
	ck_assert(process_gone(spawner));
	boot_intake_close(&r.in);
	close(r.time_far);
}
END_TEST

/* -------------------------------------------------------------- startup */

struct bad_envelope {
	const char *what;
	void (*breakit)(unsigned char *env, size_t *len);
	int stray_kind; /* 0 none, 1 a socket at 40, 2 a pipe at the bootstrap slot */
	const char *message;
};

static struct procd_envelope *hdr(unsigned char *env)
{
	return (struct procd_envelope *)(void *)env;
}

static struct procd_envelope_module *module0(unsigned char *env)
{
	return (struct procd_envelope_module *)(void *)(env + sizeof(struct procd_envelope));
}

static void bad_magic(unsigned char *e, size_t *l) { (void)l; e[0] = 'X'; }
static void bad_version(unsigned char *e, size_t *l) { (void)l; hdr(e)->version = 2; }
static void bad_role(unsigned char *e, size_t *l) { (void)l; hdr(e)->role = ROLE_TIMED; }
static void truncated(unsigned char *e, size_t *l) { (void)e; *l -= 4; }
static void too_short(unsigned char *e, size_t *l) { (void)e; *l = 10; }
static void length_lies(unsigned char *e, size_t *l) { (void)l; hdr(e)->length += 8; }
static void too_many_modules(unsigned char *e, size_t *l) { (void)l; hdr(e)->nmodules = 1000; }
static void reserved_set(unsigned char *e, size_t *l) { (void)l; hdr(e)->reserved[1] = 1; }
static void control_elsewhere(unsigned char *e, size_t *l) { (void)l; hdr(e)->control_slot = 2289; }
static void module_bad_name(unsigned char *e, size_t *l) { (void)l; module0(e)->name[0] = 'A'; }
static void module_twice(unsigned char *e, size_t *l) { (void)l; memcpy(module0(e)[1].name, module0(e)[0].name, PROCD_MODULE_NAME_MAX); }
static void slot_twice(unsigned char *e, size_t *l) { (void)l; module0(e)->slot = SLOT_SELF_ENDPOINT; }
static void slot_low(unsigned char *e, size_t *l) { (void)l; module0(e)->slot = 4; }
static void module_missing(unsigned char *e, size_t *l) { (void)l; module0(e)->slot = 100; }
static void module_not_image(unsigned char *e, size_t *l) { (void)l; module0(e)->slot = SLOT_KERNEL_TIME_ENDPOINT; hdr(e)->nslots = 0; *l -= sizeof(struct procd_envelope_slot); hdr(e)->length = (uint32_t)*l; }
static void as_is(unsigned char *e, size_t *l) { (void)e; (void)l; }

static const struct bad_envelope bad_envelopes[] = {
	{ "bad magic", bad_magic, 0, "bad magic" },
	{ "unknown version", bad_version, 0, "unknown version" },
	{ "addressed to another role", bad_role, 0, "not addressed to the procd role" },
	{ "truncated", truncated, 0, "length does not match" },
	{ "shorter than a header", too_short, 0, "shorter than its header" },
	{ "length field lies", length_lies, 0, "length does not match" },
	{ "module count overflows", too_many_modules, 0, "too many boot modules" },
	{ "reserved field set", reserved_set, 0, "reserved header fields" },
	{ "control elsewhere", control_elsewhere, 0, "SLOT_KERNEL_PROCESS_ENDPOINT" },
	{ "module name", module_bad_name, 0, "bad name" },
	{ "module twice", module_twice, 0, "same name" },
	{ "slot declared twice", slot_twice, 0, "declared twice" },
	{ "slot below 16", slot_low, 0, "not a capability slot" },
	{ "declared slot missing", module_missing, 0, "boot module image is missing" },
	{ "declared slot of the wrong kind", module_not_image, 0, "not the expected kind" },
	{ "residual authority", as_is, 1, "residual authority" },
	{ "bootstrap endpoint not an endpoint", as_is, 2, "bootstrap endpoint is not the expected kind" },
};

START_TEST(a_bad_envelope_stops_procd_before_it_serves)
{
	const struct bad_envelope *c = &bad_envelopes[_i];
	static unsigned char env[65536];
	char log[4096] = "";
	size_t len;
	int status, stray = -1, slot = 0, sv[2], pipefd[2];
	FILE *f = tmpfile();
	pid_t procd;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(boot_raise_fd_limit(), 0);
	ck_assert_int_eq(boot_intake_init(&r.in), 0);
	ck_assert_int_eq(boot_add_module(&r.in, "phase0-exit", "helpers/phase0-exit") == 0 ||
			 boot_add_module(&r.in, "phase0-exit", getenv("PROCD_BINARY")) == 0, 1);
	ck_assert_int_eq(boot_add_module(&r.in, "timed", getenv("PROCD_BINARY")), 0);
	ck_assert_int_eq(boot_pair(sv), 0);
	ck_assert_int_eq(boot_add_transferred(&r.in, SLOT_KERNEL_TIME_ENDPOINT, PROCD_CAP_ENDPOINT, sv[0]), 0);
	len = boot_envelope(&r.in, env, sizeof env);
	c->breakit(env, &len);
	if (c->stray_kind == 1) {
		stray = dup(sv[1]);
		slot = 40;
	} else if (c->stray_kind == 2) {
		ck_assert_int_eq(pipe(pipefd), 0);
		close(r.in.bootstrap[0]);
		r.in.bootstrap[0] = pipefd[0];
	}
	/* procd's log goes to a file this test reads back. */
	fflush(stderr);
	int saved = dup(2);
	dup2(fileno(f), 2);
	procd = boot_launch_with(&r.in, getenv("PROCD_BINARY"), NULL, env, len, stray, slot);
	dup2(saved, 2);
	ck_assert_int_gt(procd, 0);
	ck_assert_int_eq(waitpid(procd, &status, 0), procd);
	rewind(f);
	log[fread(log, 1, sizeof log - 1, f)] = '\0';
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1, "%s: procd status %#x; log: %s", c->what,
		      status, log);
	ck_assert_msg(strstr(log, "refusing to start: startup envelope") && strstr(log, c->message),
		      "%s: log lacks '%s': %s", c->what, c->message, log);
	ck_assert_msg(!strstr(log, "serving"), "%s: procd served before validating: %s", c->what, log);
}
END_TEST

START_TEST(the_built_envelope_is_accepted)
{
	up();
	rig_down(&r);
}
END_TEST

/* ------------------------------------------------- the rig's listing */

/* A child of this test's that takes a name, says so on ready, and keeps
 * it for rename_after_ms (forever if 0) before it takes "started". */
static pid_t named_child(const char *name, int rename_after_ms, int ready)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_NAME, name, 0, 0, 0);
		if (write(ready, "!", 1) != 1)
			_exit(1);
		if (rename_after_ms > 0) {
			usleep((useconds_t)rename_after_ms * 1000);
			prctl(PR_SET_NAME, "started", 0, 0, 0);
		}
		for (;;)
			pause();
	}
	return pid;
}

/* A child carries the spawner's name from its clone until its exec, and
 * procd can answer START in that moment: the listing waits it out rather
 * than miss the child and count two spawners. */
START_TEST(a_child_between_clone_and_exec_is_not_taken_for_the_spawner)
{
	int ready[2];
	char c;
	pid_t spawner, child, kids[8];

	ck_assert_int_eq(pipe(ready), 0);
	spawner = named_child("procd-spawner", 0, ready[1]);
	child = named_child("procd-spawner", 200, ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	ck_assert_uint_eq(boot_children_of(getpid(), kids, 8), 1);
	ck_assert_int_eq(kids[0], child);
	ck_assert_int_eq(boot_spawner_of(getpid()), spawner);
	kill(spawner, SIGKILL);
	kill(child, SIGKILL);
	ck_assert_int_eq(waitpid(spawner, NULL, 0), spawner);
	ck_assert_int_eq(waitpid(child, NULL, 0), child);
	close(ready[0]);
	close(ready[1]);
}
END_TEST

static TCase *tcase(const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, 30);
	return tc;
}

int main(void)
{
	Suite *s = suite_create("daemon");
	TCase *authority = tcase("authority"), *lifecycle = tcase("lifecycle"), *bad = tcase("bad input"),
	      *shutdown = tcase("shutdown"), *startup = tcase("startup"), *listing = tcase("the rig's listing");

	tcase_add_test(authority, staged_child_runs_no_code_until_start);
	tcase_add_test(authority, extension_child_holds_stdio_and_its_endpoint_only);
	tcase_add_test(authority, service_child_holds_its_kernel_endpoint_at_its_slot);
	tcase_add_test(authority, foundation_child_holds_its_grant);
	tcase_add_test(authority, driver_child_is_requested_by_deviced_on_the_driver_endpoint);
	tcase_add_test(authority, spawns_are_accepted_only_on_their_endpoint);
	tcase_add_test(authority, installs_outside_the_grant_are_refused_and_dropped);
	tcase_add_test(authority, an_install_of_the_wrong_kind_is_denied_and_dropped);
	tcase_add_test(authority, reserved_ops_are_denied_before_anything_changes);
	tcase_add_test(authority, legacy_spawn_starts_extension_roles_only);
	tcase_add_test(authority, a_spawn_of_another_roles_image_is_denied_before_anything_is_built);
	tcase_add_test(authority, an_image_must_be_the_roles_own);
	tcase_add_test(authority, isolation_a_cannot_reach_isolation_b);
	tcase_add_test(authority, processes_are_managed_only_by_their_creator_or_rootd);
	suite_add_tcase(s, authority);

	tcase_add_test(lifecycle, exit_status_is_reported_as_an_event);
	tcase_add_test(lifecycle, a_fault_is_reported_with_its_signal_and_crash_loops_are_given_up);
	tcase_add_test(lifecycle, on_failure_restarts_a_failed_exit_from_the_same_cspace);
	tcase_add_test(lifecycle, a_kill_from_outside_is_a_failure_and_restarts);
	tcase_add_test(lifecycle, process_ids_are_deterministic);
	tcase_add_test(lifecycle, restart_policy_reads_back_and_rejects_nonsense);
	tcase_add_test(lifecycle, stop_kills_and_retires_synchronously);
	tcase_add_test(lifecycle, abort_reclaims_a_staged_child_and_everything_installed);
	tcase_add_test(lifecycle, a_full_table_says_so_and_leaks_nothing);
	tcase_add_test(lifecycle, a_child_procd_cannot_hold_is_killed_and_collected);
	tcase_add_test(lifecycle, a_creator_that_dies_takes_its_staged_children_with_it);
	suite_add_tcase(s, lifecycle);

	tcase_add_test(bad, malformed_requests_are_refused_and_procd_keeps_serving);
	tcase_add_test(bad, a_flood_of_garbage_leaves_procd_serving);
	tcase_add_test(bad, garbage_on_a_grant_is_refused);
	suite_add_tcase(s, bad);

	tcase_add_test(shutdown, rootd_hanging_up_mid_request_leaves_nothing_behind);
	tcase_add_test(shutdown, sigterm_stops_every_child_and_procd_exits_cleanly);
	tcase_add_test(shutdown, a_lost_spawner_stops_procd_and_every_child);
	suite_add_tcase(s, shutdown);

	tcase_add_test(startup, the_built_envelope_is_accepted);
	tcase_add_loop_test(startup, a_bad_envelope_stops_procd_before_it_serves, 0,
			    (int)(sizeof bad_envelopes / sizeof bad_envelopes[0]));
	suite_add_tcase(s, startup);

	tcase_add_test(listing, a_child_between_clone_and_exec_is_not_taken_for_the_spawner);
	suite_add_tcase(s, listing);

	return rig_run(s);
}
