/* SPDX-License-Identifier: ISC */
/*
 * From procd's first instruction to a booted system: the boot plan, late
 * kernel endpoints, late-bound logd/crashd, the driver endpoint under a
 * flood of the bootstrap endpoint, and probe completion. Real processes;
 * procd's log (which its children share) is read back from a file.
 */
#include <check.h>
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
#include "tests/roles.h"

static struct rig r;
static FILE *logfile;

/* procd's log (and its children's) goes to a file this test reads. */
static void capture_log(void)
{
	logfile = tmpfile();
	ck_assert_ptr_nonnull(logfile);
	fflush(stderr);
	dup2(fileno(logfile), STDERR_FILENO);
}

/* Whether the log has (or gets, within ~5 s) a line containing text. */
static int log_has(const char *text)
{
	static char buf[1 << 20];

	for (int tries = 0; tries < 500; tries++) {
		size_t n;

		fflush(stderr);
		rewind(logfile);
		n = fread(buf, 1, sizeof buf - 1, logfile);
		buf[n] = '\0';
		if (strstr(buf, text))
			return 1;
		usleep(10000);
	}
	return 0;
}


/* The os pid of the procd child with role `role` (via the pid order: the
 * boot plan starts them in order), found by its procd pid. */
static pid_t os_pid_of_nth_child(size_t nth)
{
	pid_t kids[64];
	size_t n = 0;

	for (int tries = 0; tries < 200 && n <= nth; tries++) {
		n = boot_children_of(r.procd, kids, 64);
		if (n <= nth)
			usleep(10000);
	}
	ck_assert_uint_gt(n, nth);
	return kids[nth];
}


/* ------------------------------------------------------------ boot plan */

START_TEST(the_boot_plan_starts_foundation_then_runtime_with_their_grants)
{
	static const char *const modules[] = {
		"timed+=helpers/phase0-exit", "named+=helpers/phase0-exit", "logd+=helpers/phase0-exit",
		"crashd+=helpers/phase0-exit", "phase0-exit=helpers/phase0-exit", NULL,
	};
	static const uint32_t kernel[] = { SLOT_KERNEL_TIME_ENDPOINT, 0 };
	static const int want_named[] = { 0, 1, 2, 16, 17, 19, 20 };
	static const int want_logd[] = { 0, 1, 2, 16, 18 };
	static const int want_timed[] = { 0, 1, 2, 16, 18, 19, 20, 2128 };
	int far[8];

	capture_log();
	rig_up_boot(&r, modules, kernel, far);
	/* Foundation first (named, logd, crashd in module order), then timed,
	 * although timed's module comes first in the table. */
	rig_assert_fds(os_pid_of_nth_child(0), want_named, 7);
	rig_assert_fds(os_pid_of_nth_child(1), want_logd, 5);
	rig_assert_fds(os_pid_of_nth_child(2), (const int[]){ 0, 1, 2, 16, 18, 19 }, 6); /* crashd */
	rig_assert_fds(os_pid_of_nth_child(3), want_timed, 8);
	ck_assert_int_eq(nofile_limit(os_pid_of_nth_child(3)), SLOT_KERNEL_TIME_ENDPOINT + 1);
	ck_assert(log_has("procd: boot plan done; serving requests"));
	/* phase0-exit is not a boot module: nothing started it. */
	pid_t kids[16];
	ck_assert_uint_eq(boot_children_of(r.procd, kids, 16), 4);
	rig_down(&r);
}
END_TEST

START_TEST(procd_boots_and_serves_without_named)
{
	static const char *const modules[] = { "logd+=helpers/phase0-exit", "timed+=helpers/phase0-exit", NULL };
	static const uint32_t kernel[] = { SLOT_KERNEL_TIME_ENDPOINT, 0 };
	static const int want_timed[] = { 0, 1, 2, 16, 19, 2128 };
	int far[8];
	uint32_t pid;
	int alias, grant;

	capture_log();
	rig_up_boot(&r, modules, kernel, far);
	ck_assert(log_has("procd: boot plan: named has no boot module; booting without it"));
	ck_assert(log_has("procd: boot plan: crashd has no boot module; booting without it"));
	rig_assert_fds(os_pid_of_nth_child(1), want_timed, 6);
	ck_assert_int_eq(rig_create(r.ep, ROLE_PHASE0_EXIT, &pid, &alias, &grant), PROCD_OK);
	rig_down(&r);
}
END_TEST

START_TEST(a_service_waits_for_a_late_kernel_endpoint)
{
	static const char *const modules[] = { "pagerd+=helpers/phase0-exit", NULL };
	struct { struct procd_msg_header h; struct procd_msg_foundation m; } msg =
		{ { PROCD_OP_UPDATE_FOUNDATION_ENDPOINTS, sizeof msg, 1, 0 }, { SLOT_KERNEL_PAGER_ENDPOINT, 0 } };
	static const int want[] = { 0, 1, 2, 16, 2256 };
	struct procd_msg_info info;
	int pager[2], pipefd[2];
	pid_t kids[8];
	size_t before;

	capture_log();
	rig_up_boot(&r, modules, NULL, NULL);
	ck_assert(log_has("deferred: waiting for its kernel endpoint 2256"));
	ck_assert_uint_eq(boot_children_of(r.procd, kids, 8), 0);
	ck_assert_int_eq(rig_query(r.ep, 1, &info), PROCD_OK);
	ck_assert_uint_eq(info.state, PROCD_STATE_STAGED);
	before = rig_procd_fds(&r);
	ck_assert_int_eq(boot_pair(pager), 0);
	ck_assert_int_eq(pipe(pipefd), 0);
	/* From the driver endpoint, with no capability, with two, with one that
	 * is not an endpoint, for a slot that is not a kernel endpoint: refused
	 * before anything changes. */
	ck_assert_int_eq(boot_call_raw(r.drv, &msg, sizeof msg, &pager[0], 1), PROCD_E_DENIED);
	ck_assert_int_eq(boot_call_raw(r.ep, &msg, sizeof msg, NULL, 0), PROCD_E_INVALID);
	ck_assert_int_eq(boot_call_raw(r.ep, &msg, sizeof msg, pager, 2), PROCD_E_INVALID);
	ck_assert_int_eq(boot_call_raw(r.ep, &msg, sizeof msg, &pipefd[0], 1), PROCD_E_INVALID);
	msg.m.slot = SLOT_KERNEL_PROCESS_ENDPOINT;
	ck_assert_int_eq(boot_call_raw(r.ep, &msg, sizeof msg, &pager[0], 1), PROCD_E_INVALID);
	ck_assert_uint_eq(rig_procd_fds(&r), before);
	ck_assert_uint_eq(boot_children_of(r.procd, kids, 8), 0);
	/* rootd publishes the pager endpoint: pagerd starts with it. */
	msg.m.slot = SLOT_KERNEL_PAGER_ENDPOINT;
	ck_assert_int_eq(boot_call_raw(r.ep, &msg, sizeof msg, &pager[0], 1), PROCD_OK);
	rig_assert_fds(os_pid_of_nth_child(0), want, 5);
	ck_assert_int_eq(rig_query(r.ep, 1, &info), PROCD_OK);
	ck_assert_uint_eq(info.state, PROCD_STATE_RUNNING);
	ck_assert_int_eq(boot_call_raw(r.ep, &msg, sizeof msg, &pager[0], 1), PROCD_E_EXISTS);
	rig_down(&r);
}
END_TEST

/* ------------------------------------------------------------ late peers */

/* rootd stages and starts role with image, returning its pid and alias. */
static uint32_t start_role(uint32_t role, const char *module, int *alias, uint32_t mint)
{
	uint32_t pid;
	int grant;

	ck_assert_int_eq(rig_create(r.ep, role, &pid, alias, &grant), PROCD_OK);
	if (mint)
		ck_assert_int_eq(boot_install(grant, mint, -1), PROCD_OK);
	close(grant);
	ck_assert_int_eq(rig_start(&r, r.ep, pid, module), PROCD_OK);
	return pid;
}

static int64_t publish(int named, uint32_t role, int cap)
{
	struct { struct procd_msg_header h; struct procd_msg_peer p; } msg =
		{ { PROCD_OP_PUBLISH_FOUNDATION_PEER, sizeof msg, 5, 0 }, { role, 0 } };

	return boot_call_raw(named, &msg, sizeof msg, &cap, cap >= 0 ? 1 : 0);
}

/* How many log lines start with `start` and contain `text`. */
static int log_count(const char *start, const char *text)
{
	static char buf[1 << 20];
	size_t n;
	int count = 0;

	fflush(stderr);
	rewind(logfile);
	n = fread(buf, 1, sizeof buf - 1, logfile);
	buf[n] = '\0';
	for (char *line = buf; line && *line;) {
		char *next = strchr(line, '\n');

		if (next)
			*next++ = '\0';
		if (strncmp(line, start, strlen(start)) == 0 && strstr(line, text))
			count++;
		line = next;
	}
	return count;
}

/* Tells logd to exit and reads what it says it kept: the count, and the
 * last line into last. The QUERY round trip first: procd hands logd a
 * line after printing it, and answers nothing before it has. */
static unsigned logd_kept(int logd_alias, char *last, size_t cap)
{
	static const char lead[] = "logd: kept ";
	static char buf[1 << 20];
	unsigned count = 0;
	const char *at, *text;
	size_t n;

	rig_procd_fds(&r);
	rig_tell_exit(logd_alias, 0);
	ck_assert(log_has(lead));
	fflush(stderr);
	rewind(logfile);
	n = fread(buf, 1, sizeof buf - 1, logfile);
	buf[n] = '\0';
	at = strstr(buf, lead);
	ck_assert_int_eq(sscanf(at + strlen(lead), "%u", &count), 1);
	text = strstr(at, "; the last: ");
	ck_assert_ptr_nonnull(text);
	text += strlen("; the last: ");
	n = strcspn(text, "\n");
	ck_assert_uint_lt(n, cap);
	memcpy(last, text, n);
	last[n] = '\0';
	return count;
}

static const char *const peer_modules[] = {
	"named=tests/integration/relay", "logd=helpers/logd", "crashd=helpers/crashd",
	"timed=helpers/phase0-exit", "phase0-fault-kill=helpers/phase0-fault-kill",
	"phase0-exit=helpers/phase0-exit", NULL,
};

START_TEST(logd_and_crashd_are_bound_only_when_named_publishes_their_own_endpoints)
{
	int logd_alias, crashd_alias, timed_alias, named_alias, fault_alias;

	capture_log();
	rig_up_boot(&r, peer_modules, NULL, NULL);
	start_role(ROLE_LOGD, "logd", &logd_alias, 0);
	start_role(ROLE_CRASHD, "crashd", &crashd_alias, 0);
	start_role(ROLE_TIMED, "timed", &timed_alias, 0);
	start_role(ROLE_NAMED, "named", &named_alias, SLOT_PROCD_ENDPOINT); /* the test speaks as named */
	/* Not from rootd; not another role's endpoint; not a role procd binds. */
	ck_assert_int_eq(publish(r.ep, ROLE_LOGD, logd_alias), PROCD_E_DENIED);
	ck_assert_int_eq(publish(named_alias, ROLE_LOGD, timed_alias), PROCD_E_DENIED);
	ck_assert_int_eq(publish(named_alias, ROLE_LOGD, crashd_alias), PROCD_E_DENIED);
	ck_assert_int_eq(publish(named_alias, ROLE_TIMED, timed_alias), PROCD_E_INVALID);
	ck_assert_int_eq(publish(named_alias, ROLE_LOGD, -1), PROCD_E_INVALID);
	ck_assert_int_eq(log_count("procd: ", "bound as procd's peer"), 0);
	/* Its own endpoint: bound, and procd's lines now reach logd. */
	ck_assert_int_eq(publish(named_alias, ROLE_LOGD, logd_alias), PROCD_OK);
	ck_assert_int_eq(publish(named_alias, ROLE_CRASHD, crashd_alias), PROCD_OK);
	ck_assert(log_has("procd: logd (pid 1) bound as procd's peer, published by named"));
	ck_assert(log_has("procd: crashd (pid 2) bound as procd's peer"));
	start_role(ROLE_PHASE0_FAULT_KILL, "phase0-fault-kill", &fault_alias, 0);
	ck_assert(log_has("procd: phase0-fault-kill (pid 5) started"));
	ck_assert(log_has("crashd: phase0-fault-kill (pid 5) faulted with signal 11"));
	char last[256];
	ck_assert_uint_ge(logd_kept(logd_alias, last, sizeof last), 3); /* both bound lines, the start */
	/* logd kept them; it did not print them a second time. */
	ck_assert_int_eq(log_count("logd: procd:", ""), 0);
	rig_down(&r);
}
END_TEST

START_TEST(a_dead_logd_is_unbound_at_once_and_rebound_only_when_republished)
{
	int logd_alias, crashd_alias, named_alias, exit_alias;
	uint32_t logd, seq = 0;
	size_t bound;

	capture_log();
	rig_up_boot(&r, peer_modules, NULL, NULL);
	logd = start_role(ROLE_LOGD, "logd", &logd_alias, 0);
	start_role(ROLE_CRASHD, "crashd", &crashd_alias, 0);
	start_role(ROLE_NAMED, "named", &named_alias, SLOT_PROCD_ENDPOINT);
	ck_assert_int_eq(publish(named_alias, ROLE_LOGD, logd_alias), PROCD_OK);
	ck_assert(log_has("bound as procd's peer"));
	bound = rig_procd_fds(&r);
	/* logd dies: its slot is cleared and the capability closed at once. */
	kill(os_pid_of_nth_child(0), SIGKILL);
	ck_assert_int_eq(rig_wait_for(r.ep, logd, PROCD_EVENT_KILLED, &seq), SIGKILL);
	ck_assert(log_has("procd: logd unbound: its process ended; waiting for named to publish it again"));
	ck_assert_uint_eq(rig_procd_fds(&r), bound - 1);
	/* It is restarted (foundation: always), but procd does not talk to it
	 * until named publishes it again. */
	ck_assert_int_eq(rig_wait_for(r.ep, logd, PROCD_EVENT_RESTARTED, &seq), 1);
	/* (Lines procd sent before the death may still be read by the new
	 * instance; a line procd logs now must never reach it.) */
	start_role(ROLE_TIMED, "timed", &exit_alias, 0);
	ck_assert(log_has("procd: timed (pid 4) started"));
	size_t unbound = rig_procd_fds(&r);
	ck_assert_int_eq(publish(named_alias, ROLE_LOGD, logd_alias), PROCD_OK);
	ck_assert_int_eq(log_count("procd: ", "bound as procd's peer"), 2);
	ck_assert_uint_eq(rig_procd_fds(&r), unbound + 1);
	start_role(ROLE_PHASE0_EXIT, "phase0-exit", &exit_alias, 0);
	ck_assert(log_has("procd: phase0-exit (pid 5) started"));
	/* The rebound logd has the lines since, the last last. That no line
	 * logged while it was unbound reaches it is the descriptor count
	 * above: procd held nothing to send it on. */
	char last[256];
	ck_assert_uint_ge(logd_kept(logd_alias, last, sizeof last), 2);
	static const char started[] = "procd: phase0-exit (pid 5) started as os pid ";
	ck_assert_msg(strncmp(last, started, strlen(started)) == 0, "logd's last line: %s", last);
	rig_down(&r);
}
END_TEST

/* ------------------------------------------------------- driver endpoint */

/* Sends garbage on fd as fast as procd takes it, draining the refusals;
 * returns once procd has refused some, so the flood is under way. */
static pid_t flood(int fd)
{
	int started[2];
	char byte = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(started), 0);
	pid = fork();
	if (pid == 0) {
		unsigned char junk[48] = { 0x42 };
		char sink[256];
		int told = 0;

		close(started[0]);
		for (;;) {
			send(fd, junk, sizeof junk, MSG_DONTWAIT | MSG_NOSIGNAL);
			while (recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0)
				if (!told)
					told = write(started[1], &byte, 1) == 1;
		}
	}
	close(started[1]);
	ck_assert_int_eq(read(started[0], &byte, 1), 1);
	close(started[0]);
	return pid;
}

START_TEST(a_flooded_bootstrap_endpoint_does_not_starve_the_driver_endpoint)
{
	static const char *const modules[] = {
		"deviced=tests/integration/relay", "drv-serial=helpers/phase0-exit", NULL,
	};
	uint32_t dpid, spid;
	int dalias, salias, sgrant;
	pid_t flooder;
	struct procd_msg_info info;

	capture_log();
	rig_up_boot(&r, modules, NULL, NULL);
	dpid = start_role(ROLE_DEVICED, "deviced", &dalias, SLOT_PROCD_DRIVER_ENDPOINT);
	(void)dpid;
	ck_assert_int_eq(rig_create(dalias, ROLE_DRV_SERIAL, &spid, &salias, &sgrant), PROCD_OK);
	close(sgrant);
	flooder = flood(r.ep);
	ck_assert_int_gt(flooder, 0);
	/* Every driver request is served while the flood goes on: a request
	 * stranded behind bootstrap traffic would hang here (the test's own
	 * timeout fails it). The latency is for make bench to report. */
	for (int i = 0; i < 500; i++)
		ck_assert_int_eq(rig_query(dalias, spid, &info), PROCD_OK);
	ck_assert_int_eq(rig_start(&r, dalias, spid, "drv-serial"), PROCD_OK);
	ck_assert_int_eq(rig_query(dalias, spid, &info), PROCD_OK);
	ck_assert_uint_eq(info.state, PROCD_STATE_RUNNING);
	kill(flooder, SIGKILL);
	waitpid(flooder, NULL, 0);
	rig_down(&r);
}
END_TEST

/* --------------------------------------------------------------- probes */

START_TEST(probe_completion_reaches_rootd_without_blocking_procd)
{
	static const char *const modules[] = { "phase0-probe=helpers/phase0-probe", NULL };
	uint32_t pid, seq = 0;
	int alias;

	capture_log();
	rig_up_boot(&r, modules, NULL, NULL);
	pid = start_role(ROLE_PHASE0_PROBE, "phase0-probe", &alias, SLOT_PROBE_NOTIFY);
	ck_assert_int_eq(rig_wait_for(r.ep, pid, PROCD_EVENT_EXITED, &seq), 0);
	for (int tries = 0; tries < 200 && boot_notices.probe_complete == 0; tries++) {
		boot_poll_notice(r.ep);
		usleep(5000);
	}
	ck_assert_uint_eq(boot_notices.probe_complete, 1);
	ck_assert_uint_eq(boot_notices.last_pid, pid);
	ck_assert_uint_eq(boot_notices.last_role, ROLE_PHASE0_PROBE);
	ck_assert(log_has("phase0-probe (pid 1) finished probing; rootd notified"));
	rig_down(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("boot");
	TCase *plan = tcase_create("boot plan"), *peers = tcase_create("late peers"),
	      *drivers = tcase_create("driver endpoint"), *probes = tcase_create("probe completion");

	tcase_set_timeout(plan, 30);
	tcase_set_timeout(peers, 30);
	tcase_set_timeout(drivers, 60);
	tcase_set_timeout(probes, 30);
	tcase_add_test(plan, the_boot_plan_starts_foundation_then_runtime_with_their_grants);
	tcase_add_test(plan, procd_boots_and_serves_without_named);
	tcase_add_test(plan, a_service_waits_for_a_late_kernel_endpoint);
	tcase_add_test(peers, logd_and_crashd_are_bound_only_when_named_publishes_their_own_endpoints);
	tcase_add_test(peers, a_dead_logd_is_unbound_at_once_and_rebound_only_when_republished);
	tcase_add_test(drivers, a_flooded_bootstrap_endpoint_does_not_starve_the_driver_endpoint);
	tcase_add_test_needing(probes, "probe", probe_completion_reaches_rootd_without_blocking_procd);
	suite_add_tcase(s, plan);
	suite_add_tcase(s, peers);
	suite_add_tcase(s, drivers);
	suite_add_tcase(s, probes);
	return rig_run(s);
}
