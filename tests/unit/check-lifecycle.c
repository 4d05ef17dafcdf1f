/* SPDX-License-Identifier: ISC */
/*
 * The lifecycle on the in-memory port beyond the state table (check-core
 * has every cell): what a platform refusal leaves behind (nothing: no
 * record, no capability, no running child), supervision over time
 * (backoff, restart, giving up), parked WAITs answered by an event, a
 * timeout or a retirement, a creator hanging up, and shutdown.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi/procd_ops.h"
#include "core/abi/procd_status.h"
#include "tests/unit/core-rig.h"

static struct procd_msg_info query(uint32_t pid)
{
	struct procd_msg_pid m = { .pid = pid };
	struct procd_msg_info info;
	struct reply r;

	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_QUERY_PROCESS, &m, sizeof m, &r), PROCD_OK);
	memcpy(&info, r.body, sizeof info);
	return info;
}

static void set_restart(uint32_t pid, uint32_t policy, uint32_t max, uint32_t backoff_ms)
{
	struct procd_msg_restart m = { .pid = pid, .policy = policy, .max_restarts = max, .window_ms = 100000,
				       .backoff_min_ms = backoff_ms, .backoff_max_ms = backoff_ms };

	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_SET_RESTART_POLICY, &m, sizeof m, 0), PROCD_OK);
}

static void end_now(uint32_t pid, uint32_t kind, int32_t code)
{
	fake_end_process(running_obj_of(pid), kind, code);
	procd_on_process_end(&d, index_of(pid));
}

/* What procd holds and runs before a refused request, to compare after. */
struct before {
	unsigned holds, live;
	uint32_t used;
};

static struct before now_held(void)
{
	return (struct before){ procd_holds(), live_processes(), procd_process_count(&d) };
}

static void nothing_changed(struct before b)
{
	ck_assert_uint_eq(procd_holds(), b.holds);
	ck_assert_uint_eq(live_processes(), b.live);
	ck_assert_uint_eq(procd_process_count(&d), b.used);
}

/* ---- platform refusals ---- */

/* CREATE makes two endpoint pairs (the child's own, its grant) and
 * watches the grant: each refused in turn. */
START_TEST(a_create_the_platform_refuses_leaves_nothing)
{
	static const struct { enum fake_call call; unsigned nth; } refusals[] = {
		{ FAKE_CALL_ENDPOINT_PAIR, 1 }, { FAKE_CALL_ENDPOINT_PAIR, 2 }, { FAKE_CALL_WATCH, 1 },
	};
	struct before b;
	uint32_t pid;

	start_procd();
	b = now_held();
	fake_arm(refusals[_i].call, refusals[_i].nth);
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_TIMED, &pid), PROCD_E_IO);
	ck_assert_uint_eq(fake_fired(), 1);
	nothing_changed(b);
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_TIMED, &pid), PROCD_OK);
}
END_TEST

/* SPAWN_SERVICE: the child could not be made, or not started, or started
 * but not watched (then it is killed and collected at once). */
START_TEST(a_spawn_the_platform_refuses_leaves_nothing)
{
	static const enum fake_call refusals[] = { FAKE_CALL_ENDPOINT_PAIR, FAKE_CALL_PROCESS_START, FAKE_CALL_WATCH };
	struct procd_msg_spawn m = { .role = ROLE_PHASE0_EXIT, .image_module = MODULE_EXIT };
	struct before b;

	start_procd();
	b = now_held();
	fake_arm(refusals[_i], 1);
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_SPAWN_SERVICE, &m, sizeof m, 0), PROCD_E_IO);
	nothing_changed(b);
}
END_TEST

START_TEST(a_child_whose_creation_cannot_be_answered_is_taken_back)
{
	struct procd_msg_spawn m = { .role = ROLE_PHASE0_EXIT, .image_module = MODULE_EXIT };
	struct before b;
	uint32_t pid = 0;

	start_procd();
	b = now_held();
	fake_arm(FAKE_CALL_SEND, 1);
	create(EP_BOOTSTRAP, ROLE_TIMED, &pid);
	ck_assert_uint_eq(fake_fired(), 1);
	nothing_changed(b);
	fake_arm(FAKE_CALL_SEND, 1);
	request(EP_BOOTSTRAP, PROCD_OP_SPAWN_SERVICE, &m, sizeof m, 0);
	nothing_changed(b);
}
END_TEST

START_TEST(a_start_the_platform_refuses_keeps_the_child_staged)
{
	struct procd_msg_start st = { .image_module = PROCD_IMAGE_OF_ROLE };
	uint32_t pid;

	start_procd();
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_PHASE0_EXIT, &pid), PROCD_OK);
	st.pid = pid;
	fake_arm(FAKE_CALL_PROCESS_START, 1);
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_START_STAGED_PROCESS, &st, sizeof st, 0), PROCD_E_IO);
	ck_assert_uint_eq(query(pid).state, PROCD_STATE_STAGED);
	ck_assert_uint_eq(live_processes(), 0);
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_START_STAGED_PROCESS, &st, sizeof st, 0), PROCD_OK);
	ck_assert_uint_eq(query(pid).state, PROCD_STATE_RUNNING);
}
END_TEST

START_TEST(a_role_whose_module_rootd_did_not_place_is_not_found)
{
	struct procd_msg_start st = { .image_module = PROCD_IMAGE_OF_ROLE };
	uint32_t pid;

	start_procd();
	/* the rig places no "loaderd" module */
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_LOADERD, &pid), PROCD_OK);
	st.pid = pid;
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_START_STAGED_PROCESS, &st, sizeof st, 0),
			  PROCD_E_NOT_FOUND);
	ck_assert_uint_eq(query(pid).state, PROCD_STATE_STAGED);
	ck_assert_uint_eq(live_processes(), 0);
}
END_TEST

START_TEST(a_minted_alias_the_platform_refuses_is_not_installed)
{
	static const enum fake_call refusals[] = { FAKE_CALL_ENDPOINT_PAIR, FAKE_CALL_WATCH };
	struct before b;
	uint32_t pid;

	start_procd();
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_DEVICED, &pid), PROCD_OK);
	b = now_held();
	fake_arm(refusals[_i], 1);
	ck_assert_uint_eq(install(pid, SLOT_PROCD_DRIVER_ENDPOINT, PROCD_NO_CAP), PROCD_E_IO);
	nothing_changed(b);
	ck_assert_uint_eq(install(pid, SLOT_PROCD_DRIVER_ENDPOINT, PROCD_NO_CAP), PROCD_OK);
}
END_TEST

/* ---- supervision ---- */

/* A child restarted always, that ended twice as `kind`, `code`: the first
 * restart is at once, the second waits backoff_ms. */
static uint32_t backing_off(uint32_t backoff_ms, uint32_t kind, int32_t code)
{
	uint32_t pid = spawn_exit();

	set_restart(pid, PROCD_RESTART_ALWAYS, 5, backoff_ms);
	end_now(pid, kind, code);
	ck_assert_uint_eq(query(pid).state, PROCD_STATE_RUNNING);
	end_now(pid, kind, code);
	ck_assert_uint_eq(query(pid).state, PROCD_STATE_BACKOFF);
	ck_assert_uint_eq(query(pid).last_kind, kind);
	ck_assert_int_eq(query(pid).last_code, code);
	return pid;
}

START_TEST(a_backoff_waits_for_its_deadline_then_restarts)
{
	uint32_t pid;
	uint64_t next;

	start_procd();
	pid = backing_off(500, PROCD_EVENT_EXITED, 1);
	ck_assert_ptr_nonnull(strstr(fake_last_log_line(), "restarts in 500 ms"));
	next = procd_on_tick(&d, fake_now());
	ck_assert_uint_eq(next, fake_now() + 500);
	fake_set_now(fake_now() + 499);
	ck_assert_uint_eq(procd_on_tick(&d, fake_now()), next);
	ck_assert_uint_eq(live_processes(), 0);
	fake_set_now(fake_now() + 1);
	ck_assert_uint_eq(procd_on_tick(&d, fake_now()), UINT64_MAX);
	ck_assert_uint_eq(query(pid).state, PROCD_STATE_RUNNING);
	ck_assert_uint_eq(query(pid).last_kind, PROCD_EVENT_RESTARTED);
	ck_assert_uint_eq(live_processes(), 1);
}
END_TEST

START_TEST(a_restart_the_platform_refuses_gives_up)
{
	uint32_t pid;

	start_procd();
	pid = backing_off(100, PROCD_EVENT_FAULTED, 11);
	fake_arm(FAKE_CALL_PROCESS_START, 1);
	fake_set_now(fake_now() + 100);
	procd_on_tick(&d, fake_now());
	ck_assert_uint_eq(query(pid).state, PROCD_STATE_ENDED);
	ck_assert_uint_eq(query(pid).last_kind, PROCD_EVENT_GAVE_UP);
	ck_assert_uint_eq(live_processes(), 0);
}
END_TEST

START_TEST(too_many_restarts_in_the_window_give_up)
{
	uint32_t pid;

	start_procd();
	pid = spawn_exit();
	set_restart(pid, PROCD_RESTART_ON_FAILURE, 1, 0);
	end_now(pid, PROCD_EVENT_KILLED, 9);
	ck_assert_uint_eq(query(pid).state, PROCD_STATE_RUNNING);
	ck_assert_uint_eq(query(pid).restarts, 1);
	end_now(pid, PROCD_EVENT_KILLED, 9);
	ck_assert_uint_eq(query(pid).state, PROCD_STATE_ENDED);
	ck_assert_uint_eq(query(pid).last_kind, PROCD_EVENT_GAVE_UP);
	ck_assert_ptr_nonnull(strstr(fake_last_log_line(), "given up on after 1 restarts"));
}
END_TEST

START_TEST(a_clean_exit_under_on_failure_ends)
{
	uint32_t pid;

	start_procd();
	pid = spawn_exit();
	set_restart(pid, PROCD_RESTART_ON_FAILURE, 5, 0);
	end_now(pid, PROCD_EVENT_EXITED, 0);
	ck_assert_uint_eq(query(pid).state, PROCD_STATE_ENDED);
	ck_assert_uint_eq(query(pid).last_kind, PROCD_EVENT_EXITED);
	ck_assert_uint_eq(query(pid).last_code, 0);
}
END_TEST

/* ---- waits ---- */

static uint32_t wait_for(uint32_t pid, uint32_t after, uint32_t timeout_ms, struct procd_msg_header *h)
{
	static uint32_t tag = 1000;
	struct procd_msg_wait w = { .pid = pid, .after_seq = after, .timeout_ms = timeout_ms };

	h->op = PROCD_OP_WAIT_PROCESS_EVENT;
	h->tag = ++tag;
	{
		unsigned char msg[sizeof *h + sizeof w];

		h->length = sizeof msg;
		h->status = 0;
		memcpy(msg, h, sizeof *h);
		memcpy(msg + sizeof *h, &w, sizeof w);
		fake_sends_clear();
		procd_on_endpoint_message(&d, EP_BOOTSTRAP, msg, sizeof msg, 0, 0, 0);
	}
	{
		struct reply r;

		return rig_reply_to(h, &r);
	}
}

/* The answer a parked WAIT got since, and its event. */
static uint32_t answer_to(const struct procd_msg_header *h, struct procd_msg_event *e)
{
	struct reply r;
	uint32_t status = rig_reply_to(h, &r);

	if (status == PROCD_OK)
		memcpy(e, r.body, sizeof *e);
	return status;
}

START_TEST(a_parked_wait_is_answered_by_the_next_event)
{
	struct procd_msg_header h;
	struct procd_msg_event e;
	uint32_t pid, seq;

	start_procd();
	pid = spawn_exit();
	seq = query(pid).last_seq;
	ck_assert_uint_eq(wait_for(pid, seq - 1, 0, &h), PROCD_OK); /* an event already there */
	ck_assert_uint_eq(wait_for(pid, seq, 5000, &h), UINT32_MAX);
	fake_sends_clear();
	end_now(pid, PROCD_EVENT_EXITED, 3);
	ck_assert_uint_eq(answer_to(&h, &e), PROCD_OK);
	ck_assert_uint_eq(e.pid, pid);
	ck_assert_uint_eq(e.seq, seq + 1);
	ck_assert_uint_eq(e.kind, PROCD_EVENT_EXITED);
	ck_assert_int_eq(e.code, 3);
}
END_TEST

START_TEST(a_parked_wait_times_out_on_the_tick)
{
	struct procd_msg_header h;
	struct procd_msg_event e;
	uint32_t pid;

	start_procd();
	pid = spawn_exit();
	ck_assert_uint_eq(wait_for(pid, query(pid).last_seq, 300, &h), UINT32_MAX);
	fake_sends_clear();
	ck_assert_uint_eq(procd_on_tick(&d, fake_now() + 299), fake_now() + 300);
	ck_assert_uint_eq(answer_to(&h, &e), UINT32_MAX);
	procd_on_tick(&d, fake_now() + 300);
	ck_assert_uint_eq(answer_to(&h, &e), PROCD_E_TIMEOUT);
}
END_TEST

START_TEST(a_parked_wait_on_a_stopped_process_is_not_found)
{
	struct procd_msg_header h;
	struct procd_msg_event e;
	uint32_t pid, seq;

	start_procd();
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_PHASE0_EXIT, &pid), PROCD_OK);
	seq = query(pid).last_seq;
	ck_assert_uint_eq(wait_for(pid, seq + 5, 5000, &h), UINT32_MAX);
	fake_sends_clear();
	ck_assert_uint_eq(pid_op(EP_BOOTSTRAP, PROCD_OP_ABORT_STAGED_PROCESS, pid), PROCD_OK);
	ck_assert_uint_eq(answer_to(&h, &e), PROCD_E_NOT_FOUND);
}
END_TEST

START_TEST(a_wait_past_the_full_table_is_refused_and_the_parked_ones_stay)
{
	struct procd_msg_header h;
	uint32_t pid, seq;

	start_procd();
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_PHASE0_EXIT, &pid), PROCD_OK);
	seq = query(pid).last_seq;
	/* rootd has no quota of WAITs: only the table bounds it */
	for (uint32_t i = 0; i < PROCD_MAX_WAITERS; i++)
		ck_assert_uint_eq(wait_for(pid, seq + 5, 5000, &h), UINT32_MAX);
	ck_assert_uint_eq(wait_for(pid, seq + 5, 5000, &h), PROCD_E_NO_SPACE);
	/* the parked ones stay parked until they are answered */
	fake_sends_clear();
	procd_on_tick(&d, fake_now() + 4999);
	ck_assert_uint_eq(fake_nsends(), 0);
	/* a retirement answers them all and frees the table */
	pid_op(EP_BOOTSTRAP, PROCD_OP_ABORT_STAGED_PROCESS, pid);
	ck_assert_uint_eq(pid_op(EP_BOOTSTRAP, PROCD_OP_QUERY_PROCESS, pid), PROCD_E_NOT_FOUND);
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_PHASE0_EXIT, &pid), PROCD_OK);
	ck_assert_uint_eq(wait_for(pid, seq + 5, 5000, &h), UINT32_MAX);
}
END_TEST

START_TEST(a_create_past_the_full_process_table_is_no_space)
{
	struct before b;
	uint32_t pid;

	start_procd();
	for (uint32_t i = 0; i < PROCD_MAX_PROCESSES; i++)
		ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_PHASE0_EXIT, &pid), PROCD_OK);
	b = now_held();
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_PHASE0_EXIT, &pid), PROCD_E_NO_SPACE);
	nothing_changed(b);
}
END_TEST

/* ---- hang-ups and shutdown ---- */

START_TEST(children_staged_by_a_creator_that_hangs_up_are_reclaimed)
{
	uint32_t dev, staged, running;
	struct procd_msg_start st = { .image_module = PROCD_IMAGE_OF_ROLE };

	start_procd();
	dev = deviced_driver_alias();
	ck_assert_uint_eq(create(dev, ROLE_DRV_SERIAL, &staged), PROCD_OK);
	ck_assert_uint_eq(create(dev, ROLE_DRV_SERIAL, &running), PROCD_OK);
	st.pid = running;
	ck_assert_uint_eq(request(dev, PROCD_OP_START_STAGED_PROCESS, &st, sizeof st, 0), PROCD_OK);
	procd_on_endpoint_closed(&d, dev);
	ck_assert_uint_eq(pid_op(EP_DRIVER, PROCD_OP_QUERY_PROCESS, staged), PROCD_E_NOT_FOUND);
	ck_assert_uint_eq(pid_op(EP_DRIVER, PROCD_OP_QUERY_PROCESS, running), PROCD_OK);
	procd_on_endpoint_closed(&d, dev); /* a second hang-up is nothing */
	ck_assert_uint_eq(pid_op(EP_DRIVER, PROCD_OP_QUERY_PROCESS, running), PROCD_OK);
}
END_TEST

/* deviced's parked WAIT goes with its alias: its slot is free again. */
START_TEST(a_wait_parked_by_a_caller_that_hangs_up_is_dropped)
{
	struct procd_msg_wait w = { .after_seq = 100, .timeout_ms = 60000 };
	struct procd_msg_start st = { .image_module = PROCD_IMAGE_OF_ROLE };
	struct procd_msg_header h;
	uint32_t dev, drv, pid;

	start_procd();
	dev = deviced_driver_alias();
	ck_assert_uint_eq(create(dev, ROLE_DRV_SERIAL, &drv), PROCD_OK);
	st.pid = drv; /* running, so not reclaimed with its creator */
	ck_assert_uint_eq(request(dev, PROCD_OP_START_STAGED_PROCESS, &st, sizeof st, 0), PROCD_OK);
	w.pid = drv;
	ck_assert_uint_eq(request(dev, PROCD_OP_WAIT_PROCESS_EVENT, &w, sizeof w, 0), UINT32_MAX);
	/* rootd fills the rest of the WAIT table */
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_PHASE0_EXIT, &pid), PROCD_OK);
	for (uint32_t i = 1; i < PROCD_MAX_WAITERS; i++)
		ck_assert_uint_eq(wait_for(pid, 100, 60000, &h), UINT32_MAX);
	ck_assert_uint_eq(wait_for(pid, 100, 60000, &h), PROCD_E_NO_SPACE);
	procd_on_endpoint_closed(&d, dev);
	ck_assert_uint_eq(wait_for(pid, 100, 60000, &h), UINT32_MAX);
}
END_TEST

START_TEST(children_staged_by_a_creator_that_ends_are_reclaimed)
{
	uint32_t dev, staged, deviced;

	start_procd();
	dev = deviced_driver_alias();
	deviced = 1; /* the first child the rig made */
	ck_assert_uint_eq(create(dev, ROLE_DRV_SERIAL, &staged), PROCD_OK);
	end_now(deviced, PROCD_EVENT_KILLED, 9);
	ck_assert_uint_eq(pid_op(EP_DRIVER, PROCD_OP_QUERY_PROCESS, staged), PROCD_E_NOT_FOUND);
}
END_TEST

START_TEST(rootd_hanging_up_stops_procd_and_nothing_restarts)
{
	uint32_t pid;

	start_procd();
	pid = spawn_exit();
	set_restart(pid, PROCD_RESTART_ALWAYS, 5, 0);
	procd_on_endpoint_closed(&d, EP_BOOTSTRAP);
	ck_assert_str_eq(fake_last_log_line(), "procd: the bootstrap peer hung up; stopping");
	end_now(pid, PROCD_EVENT_EXITED, 1);
	ck_assert_uint_eq(live_processes(), 0);
}
END_TEST

START_TEST(a_closed_grant_takes_no_more_installs)
{
	uint32_t pid;

	start_procd();
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_TIMED, &pid), PROCD_OK);
	procd_on_grant_closed(&d, index_of(pid));
	procd_on_grant_closed(&d, index_of(pid));
	ck_assert_uint_eq(query(pid).state, PROCD_STATE_STAGED);
}
END_TEST

START_TEST(shutdown_stops_every_child_and_drops_every_capability)
{
	uint32_t pid;

	start_procd();
	spawn_exit();
	deviced_driver_alias();
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_TIMED, &pid), PROCD_OK);
	ck_assert_uint_eq(live_processes(), 2);
	procd_shutdown(&d);
	ck_assert_uint_eq(live_processes(), 0);
	ck_assert_uint_eq(procd_process_count(&d), 0);
	ck_assert_uint_eq(procd_holds(), 0);
	ck_assert_str_eq(fake_last_log_line(), "procd: stopped every child; exiting");
}
END_TEST

static Suite *make_platform_suite(void)
{
	Suite *s = suite_create("platform refusals");
	TCase *tc = tcase_create("nothing left");

	tcase_add_loop_test(tc, a_create_the_platform_refuses_leaves_nothing, 0, 3);
	tcase_add_loop_test(tc, a_spawn_the_platform_refuses_leaves_nothing, 0, 3);
	tcase_add_test(tc, a_child_whose_creation_cannot_be_answered_is_taken_back);
	tcase_add_test(tc, a_start_the_platform_refuses_keeps_the_child_staged);
	tcase_add_test(tc, a_role_whose_module_rootd_did_not_place_is_not_found);
	tcase_add_loop_test(tc, a_minted_alias_the_platform_refuses_is_not_installed, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *make_supervision_suite(void)
{
	Suite *s = suite_create("supervision");
	TCase *tc = tcase_create("restarts");

	tcase_add_test(tc, a_backoff_waits_for_its_deadline_then_restarts);
	tcase_add_test(tc, a_restart_the_platform_refuses_gives_up);
	tcase_add_test(tc, too_many_restarts_in_the_window_give_up);
	tcase_add_test(tc, a_clean_exit_under_on_failure_ends);
	suite_add_tcase(s, tc);
	tc = tcase_create("waits");
	tcase_add_test(tc, a_parked_wait_is_answered_by_the_next_event);
	tcase_add_test(tc, a_parked_wait_times_out_on_the_tick);
	tcase_add_test(tc, a_parked_wait_on_a_stopped_process_is_not_found);
	tcase_add_test(tc, a_wait_past_the_full_table_is_refused_and_the_parked_ones_stay);
	tcase_add_test(tc, a_create_past_the_full_process_table_is_no_space);
	suite_add_tcase(s, tc);
	tc = tcase_create("hang-ups");
	tcase_add_test(tc, children_staged_by_a_creator_that_hangs_up_are_reclaimed);
	tcase_add_test(tc, a_wait_parked_by_a_caller_that_hangs_up_is_dropped);
	tcase_add_test(tc, children_staged_by_a_creator_that_ends_are_reclaimed);
	tcase_add_test(tc, rootd_hanging_up_stops_procd_and_nothing_restarts);
	tcase_add_test(tc, a_closed_grant_takes_no_more_installs);
	tcase_add_test(tc, shutdown_stops_every_child_and_drops_every_capability);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	Suite *const suites[] = { make_platform_suite(), make_supervision_suite() };

	return rig_run(suites, sizeof suites / sizeof suites[0]);
}
