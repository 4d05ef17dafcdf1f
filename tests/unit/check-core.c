/* SPDX-License-Identifier: ISC */
/*
 * The core on the in-memory port (tests/fuzz/fake_port.h): procd's request
 * path, its refusals and its lifecycle driven directly through the entry
 * points the platform loop calls, in one process, with no descriptor or
 * child of the host. Each test starts procd afresh (Check forks per test).
 *
 * One suite per area: refusals (every rule of core/authority.c a request
 * can reach), quotas, the lifecycle, process ids.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi/procd_envelope.h"
#include "core/abi/procd_msg.h"
#include "core/abi/procd_ops.h"
#include "core/abi/procd_status.h"
#include "core/authority.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/proc.h"
#include "tests/unit/core-rig.h"
#include "tests/roles.h"

/* ---- refusals ---- */

START_TEST(a_reserved_op_is_denied)
{
	struct procd_msg_pid m = { 0 };

	start_procd();
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_ADOPT_PROCESS, &m, sizeof m, 0), PROCD_E_DENIED);
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_LAUNCH_LOADED_IMAGE, &m, sizeof m, 0), PROCD_E_DENIED);
}
END_TEST

START_TEST(an_op_from_a_caller_it_does_not_accept_is_denied)
{
	struct procd_msg_foundation m = { .slot = SLOT_KERNEL_PAGER_ENDPOINT };
	procd_cap gift;
	uint32_t dev;

	start_procd();
	dev = deviced_driver_alias();
	/* UPDATE_FOUNDATION_ENDPOINTS is rootd's, on the bootstrap endpoint. */
	gift = fake_gift(FAKE_ENDPOINT);
	ck_assert_uint_eq(request_caps(dev, PROCD_OP_UPDATE_FOUNDATION_ENDPOINTS, &m, sizeof m, &gift, 1, 0),
			  PROCD_E_DENIED);
	ck_assert(fake_obj(fake_cap(gift)->obj)->gone || fake_obj_of(gift) == FAKE_NO_OBJ);
}
END_TEST

START_TEST(capabilities_on_an_op_that_takes_none_are_denied_and_dropped)
{
	struct procd_msg_pid m = { .pid = 1 };
	procd_cap gift;
	uint32_t obj;

	start_procd();
	gift = fake_gift(FAKE_ENDPOINT);
	obj = fake_obj_of(gift);
	ck_assert_uint_eq(request_caps(EP_BOOTSTRAP, PROCD_OP_QUERY_PROCESS, &m, sizeof m, &gift, 1, 0), PROCD_E_DENIED);
	ck_assert(fake_obj(obj)->gone);
}
END_TEST

START_TEST(a_role_asked_for_on_the_wrong_endpoint_is_denied)
{
	uint32_t pid, used;

	start_procd();
	used = procd_process_count(&d);
	/* timed is requested on the bootstrap endpoint; drv-serial on the
	 * driver endpoint only. */
	ck_assert_uint_eq(create(EP_DRIVER, ROLE_TIMED, &pid), PROCD_E_DENIED);
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_DRV_SERIAL, &pid), PROCD_E_DENIED);
	ck_assert_uint_eq(procd_process_count(&d), used);
}
END_TEST

START_TEST(a_role_asked_for_by_one_not_its_requester_is_denied)
{
	uint32_t pid, dev;

	start_procd();
	dev = deviced_driver_alias();
	ck_assert_uint_eq(create(dev, ROLE_DRV_SERIAL, &pid), PROCD_OK);
	/* rootd is not among drv-serial's requesters, even on the driver endpoint. */
	ck_assert_uint_eq(create(EP_DRIVER, ROLE_DRV_SERIAL, &pid), PROCD_E_DENIED);
}
END_TEST

START_TEST(the_legacy_spawn_of_a_declared_role_is_denied)
{
	struct procd_msg_spawn m = { .role = ROLE_TIMED, .image_module = 3 };
	uint32_t used;

	start_procd();
	used = procd_process_count(&d);
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_SPAWN, &m, sizeof m, 0), PROCD_E_DENIED);
	ck_assert_uint_eq(procd_process_count(&d), used);
}
END_TEST

START_TEST(another_roles_image_is_denied_before_anything_is_built)
{
	struct procd_msg_spawn m = { .role = ROLE_TIMED, .image_module = MODULE_EXIT };
	uint32_t nobjs;

	start_procd();
	nobjs = fake_nobjs();
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_SPAWN_SERVICE, &m, sizeof m, 0), PROCD_E_DENIED);
	ck_assert_uint_eq(fake_nobjs(), nobjs);
}
END_TEST

START_TEST(a_process_of_another_creator_or_endpoint_is_not_managed)
{
	uint32_t dev, drv;

	start_procd();
	dev = deviced_driver_alias();
	ck_assert_uint_eq(create(dev, ROLE_DRV_SERIAL, &drv), PROCD_OK);
	/* Managed on the driver endpoint only: rootd's bootstrap endpoint is refused. */
	ck_assert_uint_eq(pid_op(EP_BOOTSTRAP, PROCD_OP_QUERY_PROCESS, drv), PROCD_E_DENIED);
	ck_assert_uint_eq(pid_op(EP_DRIVER, PROCD_OP_QUERY_PROCESS, drv), PROCD_OK);
	ck_assert_uint_eq(pid_op(dev, PROCD_OP_QUERY_PROCESS, drv), PROCD_OK);
}
END_TEST

START_TEST(installs_outside_the_grant_or_of_the_wrong_kind_are_refused)
{
	uint32_t pid;
	procd_cap gift;
	uint32_t obj;

	start_procd();
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_TIMED, &pid), PROCD_OK);
	/* not granted, outside the window */
	gift = fake_gift(FAKE_ENDPOINT);
	ck_assert_uint_eq(install(pid, SLOT_KERNEL_PAGER_ENDPOINT, gift), PROCD_E_DENIED);
	/* not granted, inside the window */
	gift = fake_gift(FAKE_ENDPOINT);
	ck_assert_uint_eq(install(pid, SLOT_PEER_ENDPOINT, gift), PROCD_E_DENIED);
	/* procd's own endpoint passed in: procd mints those (deviced's 2112) */
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_DEVICED, &pid), PROCD_OK);
	gift = fake_gift(FAKE_ENDPOINT);
	ck_assert_uint_eq(install(pid, SLOT_PROCD_DRIVER_ENDPOINT, gift), PROCD_E_DENIED);
	/* an image where an endpoint belongs */
	gift = fake_gift(FAKE_IMAGE);
	obj = fake_obj_of(gift);
	ck_assert_uint_eq(install(pid, SLOT_NAMED_ENDPOINT, gift), PROCD_E_DENIED);
	ck_assert(fake_obj(obj)->gone);
	/* the right kind at a granted slot */
	gift = fake_gift(FAKE_ENDPOINT);
	ck_assert_uint_eq(install(pid, SLOT_NAMED_ENDPOINT, gift), PROCD_OK);
	gift = fake_gift(FAKE_ENDPOINT);
	ck_assert_uint_eq(install(pid, SLOT_NAMED_ENDPOINT, gift), PROCD_E_EXISTS);
}
END_TEST

START_TEST(an_install_after_start_is_refused_as_busy)
{
	struct procd_msg_start st = { .image_module = PROCD_IMAGE_OF_ROLE };
	uint32_t pid;

	start_procd();
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_PHASE0_EXIT, &pid), PROCD_OK);
	st.pid = pid;
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_START_STAGED_PROCESS, &st, sizeof st, 0), PROCD_OK);
	/* the grant is gone once the child starts: nothing answers */
	ck_assert_uint_eq(d.table.procs[index_of(pid)].grant, PROCD_NO_CAP);
}
END_TEST

START_TEST(a_denial_names_the_caller_the_target_and_the_rule)
{
	uint32_t pid;

	start_procd();
	ck_assert_uint_eq(create(EP_DRIVER, ROLE_TIMED, &pid), PROCD_E_DENIED);
	ck_assert_str_eq(fake_last_log_line(), "procd: denied CREATE_STAGED_PROCESS from rootd on the driver endpoint"
					       " for timed: the role is requested on the other endpoint");
}
END_TEST

/* ---- logging ---- */

/* phase0-probe, started by rootd with its notify alias minted at 21: the
 * endpoint entry of that alias, to speak as the probing child. */
static uint32_t probe_notify_alias(void)
{
	uint32_t pid;

	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_PHASE0_PROBE, &pid), PROCD_OK);
	ck_assert_uint_eq(install(pid, SLOT_PROBE_NOTIFY, PROCD_NO_CAP), PROCD_OK);
	return 2u + PROCD_MINTED_KINDS * index_of(pid) + 2u;
}

START_TEST(a_peer_causes_at_most_ten_lines_a_second)
{
	struct procd_msg_probe_done m = { 0 };
	unsigned long before;
	uint32_t notify;

	start_procd();
	notify = probe_notify_alias();
	before = fake_log_lines();
	for (int i = 0; i < 1000; i++)
		request(notify, PROCD_OP_PROBE_COMPLETE, &m, sizeof m, 0);
	ck_assert_uint_eq(fake_log_lines() - before, PROCD_LOG_LINES_PER_PEER);
	/* The next second says how many were not written, then logs again. */
	fake_set_now(fake_now() + 1000);
	before = fake_log_lines();
	request(notify, PROCD_OP_PROBE_COMPLETE, &m, sizeof m, 0);
	ck_assert_uint_eq(fake_log_lines() - before, 2);
	ck_assert_ptr_nonnull(strstr(fake_last_log_line(), "finished probing"));
}
END_TEST

START_TEST(rootd_is_not_limited_but_its_denials_are)
{
	uint32_t pid;
	unsigned long before;

	start_procd();
	before = fake_log_lines();
	for (int i = 0; i < 30; i++)
		ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_PHASE0_EXIT, &pid), PROCD_OK);
	ck_assert_uint_eq(fake_log_lines() - before, 30); /* "staged", each */
	before = fake_log_lines();
	for (int i = 0; i < 30; i++)
		ck_assert_uint_eq(create(EP_DRIVER, ROLE_TIMED, &pid), PROCD_E_DENIED);
	ck_assert_uint_le(fake_log_lines() - before, PROCD_LOG_LINES_PER_PEER);
}
END_TEST

/* ---- quotas ---- */

/* deviced declares its own (policies/deviced.c). */
static const struct procd_quota *quota_of(uint32_t role)
{
	const struct procd_policy *policy = procd_policy_by_role(&d.reg, role);

	ck_assert_ptr_nonnull(policy);
	ck_assert_uint_ne(policy->quota.children, 0);
	return &policy->quota;
}

START_TEST(a_requester_at_its_quota_of_children_is_refused_and_rootd_is_not)
{
	uint32_t dev, pid, used;

	start_procd();
	dev = deviced_driver_alias();
	for (uint32_t i = 0; i < quota_of(ROLE_DEVICED)->children; i++)
		ck_assert_uint_eq(create(dev, ROLE_DRV_SERIAL, &pid), PROCD_OK);
	used = procd_process_count(&d);
	ck_assert_uint_eq(create(dev, ROLE_DRV_SERIAL, &pid), PROCD_E_QUOTA);
	ck_assert_uint_eq(procd_process_count(&d), used);
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_TIMED, &pid), PROCD_OK);
	/* one retired frees one */
	ck_assert_uint_eq(pid_op(dev, PROCD_OP_ABORT_STAGED_PROCESS, pid - 1), PROCD_OK);
	ck_assert_uint_eq(create(dev, ROLE_DRV_SERIAL, &pid), PROCD_OK);
}
END_TEST

/* However a child's entry is given back (aborted while staged, stopped
 * while running, stopped once it ended), its requester's count of children
 * gives one back, down to none, and the whole quota is there again. */
START_TEST(a_requesters_count_of_children_returns_to_zero_when_they_end)
{
	struct procd_msg_start st = { .image_module = PROCD_IMAGE_OF_ROLE };
	uint32_t dev, staged, running, ended, pid;

	start_procd();
	dev = deviced_driver_alias();
	ck_assert_uint_eq(procd_proc_children_of(&d.table, ROLE_DEVICED), 0);
	ck_assert_uint_eq(create(dev, ROLE_DRV_SERIAL, &staged), PROCD_OK);
	ck_assert_uint_eq(create(dev, ROLE_DRV_SERIAL, &running), PROCD_OK);
	ck_assert_uint_eq(create(dev, ROLE_DRV_SERIAL, &ended), PROCD_OK);
	ck_assert_uint_eq(procd_proc_children_of(&d.table, ROLE_DEVICED), 3);
	st.pid = running;
	ck_assert_uint_eq(request(dev, PROCD_OP_START_STAGED_PROCESS, &st, sizeof st, 0), PROCD_OK);
	st.pid = ended;
	ck_assert_uint_eq(request(dev, PROCD_OP_START_STAGED_PROCESS, &st, sizeof st, 0), PROCD_OK);
	fake_end_process(fake_obj_of(d.table.procs[index_of(ended)].handle), PROCD_EVENT_EXITED, 0);
	procd_on_process_end(&d, index_of(ended));
	ck_assert_uint_eq(d.table.procs[index_of(ended)].state, PROCD_STATE_ENDED);
	/* an ended child keeps its entry, and so its count, until it is stopped */
	ck_assert_uint_eq(procd_proc_children_of(&d.table, ROLE_DEVICED), 3);
	ck_assert_uint_eq(pid_op(dev, PROCD_OP_ABORT_STAGED_PROCESS, staged), PROCD_OK);
	ck_assert_uint_eq(pid_op(dev, PROCD_OP_STOP_PROCESS, running), PROCD_OK);
	ck_assert_uint_eq(pid_op(dev, PROCD_OP_STOP_PROCESS, ended), PROCD_OK);
	ck_assert_uint_eq(procd_proc_children_of(&d.table, ROLE_DEVICED), 0);
	for (uint32_t i = 0; i < quota_of(ROLE_DEVICED)->children; i++)
		ck_assert_uint_eq(create(dev, ROLE_DRV_SERIAL, &pid), PROCD_OK);
	ck_assert_uint_eq(create(dev, ROLE_DRV_SERIAL, &pid), PROCD_E_QUOTA);
}
END_TEST

START_TEST(a_requester_at_its_quota_of_waits_is_refused_and_rootd_is_not)
{
	struct procd_msg_wait w = { .after_seq = 100, .timeout_ms = 60000 };
	uint32_t dev, drv;

	start_procd();
	dev = deviced_driver_alias();
	ck_assert_uint_eq(create(dev, ROLE_DRV_SERIAL, &drv), PROCD_OK);
	w.pid = drv;
	for (uint32_t i = 0; i < quota_of(ROLE_DEVICED)->waits; i++)
		ck_assert_uint_eq(request(dev, PROCD_OP_WAIT_PROCESS_EVENT, &w, sizeof w, 0), UINT32_MAX);
	ck_assert_uint_eq(request(dev, PROCD_OP_WAIT_PROCESS_EVENT, &w, sizeof w, 0), PROCD_E_QUOTA);
	/* rootd's WAIT still parks, on the driver endpoint where drv-* is managed */
	ck_assert_uint_eq(request(EP_DRIVER, PROCD_OP_WAIT_PROCESS_EVENT, &w, sizeof w, 0), UINT32_MAX);
}
END_TEST

/* With the seed policies only deviced creates (and so waits on) children,
 * under its own quota; the reserve is for several requesters together, so
 * it is checked on the rule itself, with the tables filled by hand. */
START_TEST(the_last_entries_and_wait_slots_are_kept_for_rootd)
{
	struct procd_refusal why = { 0 };

	start_procd();
	ck_assert_uint_gt(PROCD_ROOTD_RESERVE_CHILDREN, 0);
	d.table.used = PROCD_MAX_PROCESSES - PROCD_ROOTD_RESERVE_CHILDREN;
	ck_assert_uint_eq(procd_may_hold(&d, ROLE_DEVICED, PROCD_HOLD_CHILD, &why), PROCD_E_QUOTA);
	ck_assert_str_eq(why.rule, "the last process entries are kept for rootd");
	ck_assert_uint_eq(procd_may_hold(&d, ROLE_ROOTD, PROCD_HOLD_CHILD, 0), PROCD_OK);
	d.table.used = PROCD_MAX_PROCESSES - PROCD_ROOTD_RESERVE_CHILDREN - 1;
	ck_assert_uint_eq(procd_may_hold(&d, ROLE_DEVICED, PROCD_HOLD_CHILD, 0), PROCD_OK);
	d.table.used = 0;
	for (uint32_t i = 0; i < PROCD_MAX_WAITERS - PROCD_ROOTD_RESERVE_WAITS; i++)
		ck_assert_uint_eq(procd_waiter_park(&d.waiters, 1, EP_BOOTSTRAP, 0, 0, UINT64_MAX), PROCD_OK);
	ck_assert_uint_eq(procd_may_hold(&d, ROLE_DEVICED, PROCD_HOLD_WAIT, &why), PROCD_E_QUOTA);
	ck_assert_str_eq(why.rule, "the last WAIT slots are kept for rootd");
	ck_assert_uint_eq(procd_may_hold(&d, ROLE_ROOTD, PROCD_HOLD_WAIT, 0), PROCD_OK);
}
END_TEST

/* ---- the lifecycle ---- */

static void set_always(uint32_t pid)
{
	struct procd_msg_restart m = { .pid = pid, .policy = PROCD_RESTART_ALWAYS, .max_restarts = 5,
				       .window_ms = 10000, .backoff_min_ms = 0, .backoff_max_ms = 0 };

	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_SET_RESTART_POLICY, &m, sizeof m, 0), PROCD_OK);
}

START_TEST(an_end_is_restarted_by_policy)
{
	uint32_t pid;

	start_procd();
	pid = spawn_exit();
	set_always(pid);
	fake_end_process(running_obj_of(pid), PROCD_EVENT_EXITED, 0);
	procd_on_process_end(&d, index_of(pid));
	ck_assert_uint_eq(d.table.procs[index_of(pid)].state, PROCD_STATE_RUNNING);
	ck_assert_uint_eq(d.table.procs[index_of(pid)].sup.restarts, 1);
	ck_assert_uint_eq(live_processes(), 1);
}
END_TEST

START_TEST(nothing_is_restarted_once_procd_is_stopping)
{
	uint32_t pid;

	start_procd();
	pid = spawn_exit();
	set_always(pid);
	d.stopping = 1; /* as a signal or rootd's hang-up sets it */
	fake_end_process(running_obj_of(pid), PROCD_EVENT_KILLED, 2);
	procd_on_process_end(&d, index_of(pid));
	ck_assert_uint_eq(d.table.procs[index_of(pid)].state, PROCD_STATE_ENDED);
	ck_assert_uint_eq(live_processes(), 0);
	procd_on_tick(&d, fake_now() + 60000);
	ck_assert_uint_eq(live_processes(), 0);
}
END_TEST

START_TEST(start_of_a_running_process_is_busy_and_abort_of_it_too)
{
	struct procd_msg_start st = { .image_module = PROCD_IMAGE_OF_ROLE };
	uint32_t pid;

	start_procd();
	pid = spawn_exit();
	st.pid = pid;
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_START_STAGED_PROCESS, &st, sizeof st, 0), PROCD_E_BUSY);
	ck_assert_uint_eq(pid_op(EP_BOOTSTRAP, PROCD_OP_ABORT_STAGED_PROCESS, pid), PROCD_E_BUSY);
	ck_assert_uint_eq(pid_op(EP_BOOTSTRAP, PROCD_OP_STOP_PROCESS, pid), PROCD_OK);
	ck_assert_uint_eq(live_processes(), 0);
	ck_assert_uint_eq(pid_op(EP_BOOTSTRAP, PROCD_OP_QUERY_PROCESS, pid), PROCD_E_NOT_FOUND);
}
END_TEST

/* Every cell of actions[state][event], through the entry points that feed
 * it: a process is brought to the row's state, the column's event is fed,
 * and the outcome is the cell's. */
enum cell_event { CELL_START, CELL_ABORT, CELL_STOP, CELL_END, CELL_DUE, CELL_EVENTS };
enum cell_outcome {
	STAYS,   /* nothing changes: same state, same instance */
	BUSY,    /* refused with PROCD_E_BUSY, nothing changes */
	RETIRED, /* the record is gone (its id is not found) */
	RUNS,    /* a (new) instance is running */
};

static const struct {
	uint32_t state;
	enum cell_outcome out[CELL_EVENTS];
} cells[] = {
	/*                          START    ABORT    STOP     END      DUE */
	{ PROCD_STATE_STAGED,  { RUNS,   RETIRED, RETIRED, STAYS,   STAYS } },
	{ PROCD_STATE_RUNNING, { BUSY,   BUSY,    RETIRED, STAYS,   STAYS } },
	{ PROCD_STATE_BACKOFF, { BUSY,   BUSY,    RETIRED, STAYS,   RUNS  } },
	{ PROCD_STATE_ENDED,   { BUSY,   BUSY,    RETIRED, STAYS,   STAYS } },
};

/* A phase0-exit child in `state`; a BACKOFF one is due at fake_now() + 1000. */
static uint32_t child_in(uint32_t state)
{
	struct procd_msg_restart rp = { .policy = PROCD_RESTART_ALWAYS, .max_restarts = 5, .window_ms = 100000,
					.backoff_min_ms = 1000, .backoff_max_ms = 1000 };
	uint32_t pid;

	if (state == PROCD_STATE_STAGED) {
		ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_PHASE0_EXIT, &pid), PROCD_OK);
		return pid;
	}
	pid = spawn_exit();
	if (state == PROCD_STATE_RUNNING)
		return pid;
	rp.pid = pid;
	if (state == PROCD_STATE_ENDED)
		rp.policy = PROCD_RESTART_NEVER;
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_SET_RESTART_POLICY, &rp, sizeof rp, 0), PROCD_OK);
	/* A first restart is immediate; one more end backs off. */
	fake_end_process(running_obj_of(pid), PROCD_EVENT_EXITED, 1);
	procd_on_process_end(&d, index_of(pid));
	if (state == PROCD_STATE_BACKOFF) {
		fake_end_process(running_obj_of(pid), PROCD_EVENT_EXITED, 1);
		procd_on_process_end(&d, index_of(pid));
	}
	ck_assert_uint_eq(d.table.procs[index_of(pid)].state, state);
	return pid;
}

START_TEST(every_cell_of_the_state_table)
{
	uint32_t row = (uint32_t)_i / CELL_EVENTS, col = (uint32_t)_i % CELL_EVENTS;
	enum cell_outcome want = cells[row].out[col];
	struct procd_msg_start st = { .image_module = PROCD_IMAGE_OF_ROLE };
	struct procd_proc *p;
	uint32_t pid, status = PROCD_OK, before_restarts;
	unsigned before_live;

	start_procd();
	pid = child_in(cells[row].state);
	p = &d.table.procs[index_of(pid)];
	before_live = live_processes();
	before_restarts = p->sup.restarts;
	switch ((enum cell_event)col) {
	case CELL_START:
		st.pid = pid;
		status = request(EP_BOOTSTRAP, PROCD_OP_START_STAGED_PROCESS, &st, sizeof st, 0);
		break;
	case CELL_ABORT:
		status = pid_op(EP_BOOTSTRAP, PROCD_OP_ABORT_STAGED_PROCESS, pid);
		break;
	case CELL_STOP:
		status = pid_op(EP_BOOTSTRAP, PROCD_OP_STOP_PROCESS, pid);
		break;
	case CELL_END: /* the handle readable while nothing ended: a spurious wake-up */
		procd_on_process_end(&d, index_of(pid));
		break;
	case CELL_DUE:
		fake_set_now(fake_now() + 1000);
		procd_on_tick(&d, fake_now());
		break;
	default:
		break;
	}
	switch (want) {
	case STAYS:
		ck_assert_uint_eq(status, PROCD_OK);
		ck_assert_uint_eq(p->pid, pid);
		ck_assert_uint_eq(p->state, cells[row].state);
		ck_assert_uint_eq(live_processes(), before_live);
		break;
	case BUSY:
		ck_assert_uint_eq(status, PROCD_E_BUSY);
		ck_assert_uint_eq(p->state, cells[row].state);
		ck_assert_uint_eq(live_processes(), before_live);
		break;
	case RETIRED:
		ck_assert_uint_eq(status, PROCD_OK);
		ck_assert_uint_eq(pid_op(EP_BOOTSTRAP, PROCD_OP_QUERY_PROCESS, pid), PROCD_E_NOT_FOUND);
		ck_assert_uint_eq(live_processes(), 0);
		break;
	case RUNS:
		ck_assert_uint_eq(status, PROCD_OK);
		ck_assert_uint_eq(p->state, PROCD_STATE_RUNNING);
		ck_assert_uint_eq(live_processes(), 1);
		ck_assert_uint_ge(p->sup.restarts, before_restarts);
		break;
	}
}
END_TEST

/* ---- process ids ---- */

START_TEST(an_id_is_never_handed_out_twice)
{
	static struct procd_proc_table t;
	static const struct procd_policy policy = { .name = "x", .role = 0x100 };
	uint32_t first, last = 0;
	struct procd_proc *p;

	procd_proc_table_init(&t);
	p = procd_proc_alloc(&t, &policy, ROLE_ROOTD);
	first = p->pid;
	procd_proc_free(&t, p);
	/* Past where a 16-bit generation would wrap back to the first id. */
	/* (Plain compares: a Check assertion per round would cost more than
	 * the table.) */
	for (uint32_t i = 0; i < 70000; i++) {
		p = procd_proc_alloc(&t, &policy, ROLE_ROOTD);
		if (!p || p->pid == first || p->pid <= last)
			ck_abort_msg("round %u: id %u after %u (the first was %u)", i, p ? p->pid : 0, last, first);
		last = p->pid;
		procd_proc_free(&t, p);
	}
	ck_assert_ptr_null(procd_proc_find(&t, first));
}
END_TEST

START_TEST(an_entry_whose_ids_are_spent_is_never_used_again)
{
	static struct procd_proc_table t;
	static const struct procd_policy policy = { .name = "x", .role = 0x100 };
	struct procd_proc *p;

	procd_proc_table_init(&t);
	/* Entry 0 at its last id. */
	t.generation[0] = (uint32_t)((0xffffffffu - 1u) / PROCD_MAX_PROCESSES);
	p = procd_proc_alloc(&t, &policy, ROLE_ROOTD);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(procd_proc_index(&t, p), 0);
	procd_proc_free(&t, p);
	p = procd_proc_alloc(&t, &policy, ROLE_ROOTD);
	if (PROCD_MAX_PROCESSES == 1) {
		ck_assert_ptr_null(p);
	} else {
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq(procd_proc_index(&t, p), 1);
	}
}
END_TEST

/* Every walk of the children goes through this one: it must see each live
 * entry once, in table order, and none that was freed. */
START_TEST(the_walk_of_live_entries_skips_free_ones_and_ends)
{
	static struct procd_proc_table t;
	static const struct procd_policy policy = { .name = "x", .role = 0x100 };
	struct procd_proc *a, *b, *c, *p;
	uint32_t i = 0;

	procd_proc_table_init(&t);
	ck_assert_ptr_null(procd_proc_next_live(&t, &i));
	a = procd_proc_alloc(&t, &policy, ROLE_ROOTD);
	b = procd_proc_alloc(&t, &policy, ROLE_ROOTD);
	c = procd_proc_alloc(&t, &policy, ROLE_ROOTD);
	if (!c)
		return; /* a table too small for the walk to skip anything */
	procd_proc_free(&t, b);
	i = 0;
	ck_assert_ptr_eq(procd_proc_next_live(&t, &i), a);
	ck_assert_ptr_eq(procd_proc_next_live(&t, &i), c);
	ck_assert_ptr_null(procd_proc_next_live(&t, &i));
	ck_assert_ptr_null(procd_proc_next_live(&t, &i));
	ck_assert_uint_eq(i, PROCD_MAX_PROCESSES);
	/* By index: any entry, live or free, and nothing past the table. */
	p = procd_proc_at(&t, procd_proc_index(&t, b));
	ck_assert_ptr_eq(p, b);
	ck_assert_uint_eq(p->pid, 0);
	ck_assert_ptr_null(procd_proc_at(&t, PROCD_MAX_PROCESSES));
	ck_assert_ptr_null(procd_proc_at(&t, 0xffffffffu));
}
END_TEST

static Suite *make_refusals_suite(void)
{
	Suite *s = suite_create("refusals");
	TCase *tc = tcase_create("authority");

	tcase_add_test(tc, a_reserved_op_is_denied);
	tcase_add_test(tc, an_op_from_a_caller_it_does_not_accept_is_denied);
	tcase_add_test(tc, capabilities_on_an_op_that_takes_none_are_denied_and_dropped);
	tcase_add_test(tc, a_role_asked_for_on_the_wrong_endpoint_is_denied);
	tcase_add_test(tc, a_role_asked_for_by_one_not_its_requester_is_denied);
	tcase_add_test(tc, the_legacy_spawn_of_a_declared_role_is_denied);
	tcase_add_test(tc, another_roles_image_is_denied_before_anything_is_built);
	tcase_add_test(tc, a_process_of_another_creator_or_endpoint_is_not_managed);
	tcase_add_test(tc, installs_outside_the_grant_or_of_the_wrong_kind_are_refused);
	tcase_add_test(tc, an_install_after_start_is_refused_as_busy);
	tcase_add_test(tc, a_denial_names_the_caller_the_target_and_the_rule);
	suite_add_tcase(s, tc);
	tc = tcase_create("logging");
	/* A probing child is the peer: PROBE_COMPLETE is the probe module's op. */
	tcase_add_test_needing(tc, "probe", a_peer_causes_at_most_ten_lines_a_second);
	tcase_add_test(tc, rootd_is_not_limited_but_its_denials_are);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *make_quota_suite(void)
{
	Suite *s = suite_create("quotas");
	TCase *tc = tcase_create("requesters");

	tcase_add_test(tc, a_requester_at_its_quota_of_children_is_refused_and_rootd_is_not);
	tcase_add_test(tc, a_requesters_count_of_children_returns_to_zero_when_they_end);
	tcase_add_test(tc, a_requester_at_its_quota_of_waits_is_refused_and_rootd_is_not);
	tcase_add_test(tc, the_last_entries_and_wait_slots_are_kept_for_rootd);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *make_lifecycle_suite(void)
{
	Suite *s = suite_create("lifecycle");
	TCase *tc = tcase_create("states");

	tcase_add_test(tc, an_end_is_restarted_by_policy);
	tcase_add_test(tc, nothing_is_restarted_once_procd_is_stopping);
	tcase_add_test(tc, start_of_a_running_process_is_busy_and_abort_of_it_too);
	tcase_add_loop_test(tc, every_cell_of_the_state_table, 0, (int)(sizeof cells / sizeof cells[0]) * CELL_EVENTS);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *make_ids_suite(void)
{
	Suite *s = suite_create("ids");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, an_id_is_never_handed_out_twice);
	tcase_add_test(tc, an_entry_whose_ids_are_spent_is_never_used_again);
	tcase_add_test(tc, the_walk_of_live_entries_skips_free_ones_and_ends);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	Suite *const suites[] = { make_refusals_suite(), make_quota_suite(), make_lifecycle_suite(),
				  make_ids_suite() };

	return rig_run(suites, sizeof suites / sizeof suites[0]);
}
