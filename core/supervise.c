/* SPDX-License-Identifier: ISC */
#include "core/supervise.h"
#include "core/text.h"

#define DEFAULT_MAX_RESTARTS   5u
#define DEFAULT_WINDOW_MS      10000u
#define DEFAULT_BACKOFF_MIN_MS 50u
#define DEFAULT_BACKOFF_MAX_MS 5000u

void procd_supervision_init(struct procd_supervision *s, uint32_t policy)
{
	procd_bytes_zero(s, sizeof *s);
	s->params.policy = policy;
	s->params.max_restarts = DEFAULT_MAX_RESTARTS;
	s->params.window_ms = DEFAULT_WINDOW_MS;
	s->params.backoff_min_ms = DEFAULT_BACKOFF_MIN_MS;
	s->params.backoff_max_ms = DEFAULT_BACKOFF_MAX_MS;
}

int procd_restart_params_valid(const struct procd_msg_restart *m)
{
	return m->policy <= PROCD_RESTART_ALWAYS && m->max_restarts <= PROCD_RESTART_HISTORY &&
	       m->window_ms >= 1 && m->window_ms <= PROCD_RESTART_WINDOW_MAX_MS &&
	       m->backoff_min_ms <= m->backoff_max_ms &&
	       m->backoff_max_ms <= PROCD_RESTART_WINDOW_MAX_MS;
}

void procd_supervision_set(struct procd_supervision *s, const struct procd_msg_restart *m)
{
	s->params = *m;
	s->params.pid = 0;
}

static int is_failure(uint32_t kind, int32_t code)
{
	return kind != PROCD_EVENT_EXITED || code != 0;
}

static uint32_t held(const struct procd_supervision *s)
{
	return s->restarts < PROCD_RESTART_HISTORY ? s->restarts : PROCD_RESTART_HISTORY;
}

/* Restarts made within the window that ends now. */
static uint32_t restarts_in_window(const struct procd_supervision *s, uint64_t now)
{
	uint64_t since = now > s->params.window_ms ? now - s->params.window_ms : 0;
	uint32_t n = 0;

	for (uint32_t i = 0; i < held(s); i++)
		if (s->epoch + s->recent[i] > since)
			n++;
	return n;
}

/*
 * Restart times are kept in 32 bits, as milliseconds from an epoch just
 * older than the longest window. When one would not fit (after 49 days),
 * the epoch moves up to the same distance before now; a time older than
 * that is beyond every window and is kept as the epoch itself, which no
 * window reaches either. So every count is what 64-bit times would give.
 */
static void record_restart(struct procd_supervision *s, uint64_t now, uint64_t at)
{
	uint64_t reach = (uint64_t)PROCD_RESTART_WINDOW_MAX_MS + 1;
	uint64_t epoch = now > reach ? now - reach : 0;

	if (s->restarts == 0) {
		s->epoch = epoch;
	} else if (at - s->epoch > UINT32_MAX) {
		for (uint32_t i = 0; i < held(s); i++) {
			uint64_t t = s->epoch + s->recent[i];

			s->recent[i] = t > epoch ? (uint32_t)(t - epoch) : 0;
		}
		s->epoch = epoch;
	}
	s->recent[s->next] = (uint32_t)(at - s->epoch);
	s->next = (s->next + 1) % PROCD_RESTART_HISTORY;
	s->restarts++;
}

static uint64_t backoff(const struct procd_supervision *s)
{
	uint64_t d;

	if (s->in_a_row == 0)
		return 0;
	if (s->in_a_row - 1 >= 32)
		return s->params.backoff_max_ms;
	d = (uint64_t)s->params.backoff_min_ms << (s->in_a_row - 1);
	return d < s->params.backoff_max_ms ? d : s->params.backoff_max_ms;
}

enum procd_verdict procd_supervise(struct procd_supervision *s, uint32_t kind, int32_t code,
				   uint64_t now, uint64_t ran_ms, uint64_t *delay_ms)
{
	*delay_ms = 0;
	if (s->params.policy == PROCD_RESTART_NEVER)
		return PROCD_VERDICT_END;
	if (s->params.policy == PROCD_RESTART_ON_FAILURE && !is_failure(kind, code))
		return PROCD_VERDICT_END;
	if (ran_ms >= s->params.backoff_max_ms)
		s->in_a_row = 0;
	if (restarts_in_window(s, now) >= s->params.max_restarts)
		return PROCD_VERDICT_GIVE_UP;
	*delay_ms = backoff(s);
	s->in_a_row++;
	record_restart(s, now, now + *delay_ms);
	return PROCD_VERDICT_RESTART;
}
