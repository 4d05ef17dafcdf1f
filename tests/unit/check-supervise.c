/* SPDX-License-Identifier: ISC */
/*
 * Restart supervision rules, without processes or clocks: which ends are
 * restarted, how long each restart waits, and when procd gives up.
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>

#include "core/supervise.h"

static struct procd_supervision s;

static void with(uint32_t policy, uint32_t max, uint32_t window, uint32_t bmin, uint32_t bmax)
{
	struct procd_msg_restart m = { .policy = policy, .max_restarts = max, .window_ms = window,
				       .backoff_min_ms = bmin, .backoff_max_ms = bmax };

	procd_supervision_init(&s, PROCD_RESTART_NEVER);
	ck_assert(procd_restart_params_valid(&m));
	procd_supervision_set(&s, &m);
}

START_TEST(never_restarts_nothing)
{
	uint64_t delay;

	with(PROCD_RESTART_NEVER, 5, 1000, 10, 100);
	ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_FAULTED, SIGSEGV, 100, 1, &delay), PROCD_VERDICT_END);
	ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_EXITED, 1, 100, 1, &delay), PROCD_VERDICT_END);
}
END_TEST

START_TEST(on_failure_restarts_failures_only)
{
	uint64_t delay;

	with(PROCD_RESTART_ON_FAILURE, 10, 1000, 10, 100);
	ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_EXITED, 0, 100, 5000, &delay), PROCD_VERDICT_END);
	ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_EXITED, 2, 100, 5000, &delay), PROCD_VERDICT_RESTART);
	ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_FAULTED, SIGSEGV, 200, 5000, &delay), PROCD_VERDICT_RESTART);
	ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_KILLED, SIGKILL, 300, 5000, &delay), PROCD_VERDICT_RESTART);
}
END_TEST

START_TEST(always_restarts_a_clean_exit_too)
{
	uint64_t delay;

	with(PROCD_RESTART_ALWAYS, 10, 1000, 10, 100);
	ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_EXITED, 0, 100, 5000, &delay), PROCD_VERDICT_RESTART);
}
END_TEST

START_TEST(backoff_doubles_from_an_immediate_first_restart)
{
	static const uint64_t want[] = { 0, 10, 20, 40, 80, 100, 100 };
	uint64_t now = 1000, delay;

	with(PROCD_RESTART_ON_FAILURE, 32, 3600000, 10, 100);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_FAULTED, SIGSEGV, now, 1, &delay),
				 PROCD_VERDICT_RESTART);
		ck_assert_uint_eq(delay, want[i]);
		now += delay + 1;
	}
}
END_TEST

START_TEST(a_healthy_run_resets_the_backoff)
{
	uint64_t delay;

	with(PROCD_RESTART_ON_FAILURE, 32, 3600000, 10, 100);
	procd_supervise(&s, PROCD_EVENT_FAULTED, SIGSEGV, 1000, 1, &delay);
	procd_supervise(&s, PROCD_EVENT_FAULTED, SIGSEGV, 1001, 1, &delay);
	ck_assert_uint_eq(delay, 10);
	/* It ran as long as the longest backoff: healthy; the next is immediate. */
	ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_FAULTED, SIGSEGV, 2000, 100, &delay), PROCD_VERDICT_RESTART);
	ck_assert_uint_eq(delay, 0);
}
END_TEST

START_TEST(intensity_gives_up_past_max_restarts_in_the_window)
{
	uint64_t delay, now = 10000;

	with(PROCD_RESTART_ON_FAILURE, 3, 1000, 0, 0);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_FAULTED, SIGSEGV, now + (uint64_t)i, 1, &delay),
				 PROCD_VERDICT_RESTART);
	ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_FAULTED, SIGSEGV, now + 10, 1, &delay), PROCD_VERDICT_GIVE_UP);
	ck_assert_uint_eq(s.restarts, 3);
}
END_TEST

START_TEST(restarts_outside_the_window_do_not_count)
{
	uint64_t delay, now = 10000;

	with(PROCD_RESTART_ON_FAILURE, 2, 1000, 0, 0);
	for (int i = 0; i < 20; i++) {
		/* one failure every 600 ms: never more than 2 within a second */
		ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_FAULTED, SIGSEGV, now, 1, &delay),
				 PROCD_VERDICT_RESTART);
		now += 600;
	}
	ck_assert_uint_eq(s.restarts, 20);
}
END_TEST

START_TEST(restarts_49_days_apart_are_each_judged_in_their_own_window)
{
	uint64_t delay, now = 5000, later = now + ((uint64_t)1 << 32) + 7;

	/* Restart times are kept in 32 bits of milliseconds: one 2^32 ms old
	 * must not pass for a recent one, and the recent ones must count. */
	with(PROCD_RESTART_ON_FAILURE, 2, 1000, 0, 0);
	ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_FAULTED, SIGSEGV, now, 1, &delay), PROCD_VERDICT_RESTART);
	ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_FAULTED, SIGSEGV, later, 1, &delay), PROCD_VERDICT_RESTART);
	ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_FAULTED, SIGSEGV, later + 1, 1, &delay),
			 PROCD_VERDICT_RESTART);
	ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_FAULTED, SIGSEGV, later + 2, 1, &delay),
			 PROCD_VERDICT_GIVE_UP);
	ck_assert_uint_eq(s.restarts, 3);
}
END_TEST

START_TEST(zero_max_restarts_gives_up_at_once)
{
	uint64_t delay;

	with(PROCD_RESTART_ALWAYS, 0, 1000, 0, 0);
	ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_EXITED, 0, 5, 1, &delay), PROCD_VERDICT_GIVE_UP);
}
END_TEST

START_TEST(parameters_are_validated)
{
	struct procd_msg_restart m = { .policy = PROCD_RESTART_ALWAYS, .max_restarts = 5, .window_ms = 1000,
				       .backoff_min_ms = 10, .backoff_max_ms = 100 };

	ck_assert(procd_restart_params_valid(&m));
	m.policy = 3;
	ck_assert(!procd_restart_params_valid(&m));
	m.policy = PROCD_RESTART_ALWAYS;
	m.max_restarts = PROCD_RESTART_HISTORY + 1;
	ck_assert(!procd_restart_params_valid(&m));
	m.max_restarts = 5;
	m.window_ms = 0;
	ck_assert(!procd_restart_params_valid(&m));
	m.window_ms = 1000;
	m.backoff_min_ms = 200;
	ck_assert(!procd_restart_params_valid(&m));
	m.backoff_min_ms = 10;
	m.backoff_max_ms = PROCD_RESTART_WINDOW_MAX_MS + 1;
	ck_assert(!procd_restart_params_valid(&m));
}
END_TEST

START_TEST(long_backoff_sequences_saturate_without_overflow)
{
	uint64_t delay, now = 0;

	with(PROCD_RESTART_ALWAYS, 32, 1, 1000, PROCD_RESTART_WINDOW_MAX_MS);
	for (int i = 0; i < 100; i++) {
		ck_assert_int_eq(procd_supervise(&s, PROCD_EVENT_EXITED, 0, now, 0, &delay), PROCD_VERDICT_RESTART);
		ck_assert_uint_le(delay, PROCD_RESTART_WINDOW_MAX_MS);
		now += delay + 2;
	}
	ck_assert_uint_eq(delay, PROCD_RESTART_WINDOW_MAX_MS);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("supervise");
	TCase *tc = tcase_create("rules");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, never_restarts_nothing);
	tcase_add_test(tc, on_failure_restarts_failures_only);
	tcase_add_test(tc, always_restarts_a_clean_exit_too);
	tcase_add_test(tc, backoff_doubles_from_an_immediate_first_restart);
	tcase_add_test(tc, a_healthy_run_resets_the_backoff);
	tcase_add_test(tc, intensity_gives_up_past_max_restarts_in_the_window);
	tcase_add_test(tc, restarts_outside_the_window_do_not_count);
	tcase_add_test(tc, restarts_49_days_apart_are_each_judged_in_their_own_window);
	tcase_add_test(tc, zero_max_restarts_gives_up_at_once);
	tcase_add_test(tc, parameters_are_validated);
	tcase_add_test(tc, long_backoff_sequences_saturate_without_overflow);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
