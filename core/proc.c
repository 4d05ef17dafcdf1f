/* SPDX-License-Identifier: ISC */
#include "core/proc.h"
#include "core/text.h"

static void proc_clear(struct procd_proc *p)
{
	procd_bytes_zero(p, sizeof *p);
	p->grant = PROCD_NO_CAP;
	p->handle = PROCD_NO_CAP;
	p->own_image = PROCD_NO_CAP;
	p->kept_alias = PROCD_NO_CAP;
	for (uint32_t i = 0; i < PROCD_POLICY_SLOTS; i++)
		p->cspace[i].cap = PROCD_NO_CAP;
}

void procd_proc_table_init(struct procd_proc_table *t)
{
	for (uint32_t i = 0; i < PROCD_MAX_PROCESSES; i++) {
		proc_clear(&t->procs[i]);
		t->generation[i] = 0;
	}
	for (uint32_t w = 0; w < PROCD_PROC_WORDS; w++)
		t->busy[w] = 0;
	t->used = t->spent = 0;
	procd_bytes_zero(t->creators, sizeof t->creators);
}

/* The entry that counts role's children: its own, or the free one where it
 * would go; PROCD_CREATOR_ROLES when neither exists (the table is full of
 * other roles, which a registry cannot make happen). */
static uint32_t creator_entry(const struct procd_proc_table *t, uint32_t role)
{
	uint32_t home = (role * 2654435761u) >> (32u - PROCD_CREATOR_BITS);

	for (uint32_t n = 0; n < PROCD_CREATOR_ROLES; n++) {
		uint32_t i = (home + n) & (PROCD_CREATOR_ROLES - 1u);

		if (!t->creators[i].taken || t->creators[i].role == role)
			return i;
	}
	return PROCD_CREATOR_ROLES;
}

uint32_t procd_proc_children_of(const struct procd_proc_table *t, uint32_t creator_role)
{
	uint32_t i = creator_entry(t, creator_role);

	return i < PROCD_CREATOR_ROLES && t->creators[i].taken ? t->creators[i].children : 0;
}

/* The lowest free entry, found a word of the bitmap at a time so that a
 * nearly full table costs a few hundred compares, not a walk of records. */
static int lowest_free(const struct procd_proc_table *t, uint32_t *index)
{
	for (uint32_t w = 0; w < PROCD_PROC_WORDS; w++) {
		uint64_t free_bits = ~t->busy[w];
		uint32_t i;

		if (free_bits == 0)
			continue;
		i = w * 64 + (uint32_t)__builtin_ctzll(free_bits);
		if (i >= PROCD_MAX_PROCESSES)
			return 0;
		*index = i;
		return 1;
	}
	return 0;
}

struct procd_proc *procd_proc_alloc(struct procd_proc_table *t, const struct procd_policy *policy,
				    uint32_t creator_role)
{
	uint32_t c = creator_entry(t, creator_role);
	struct procd_proc *p;
	uint32_t i;

	if (c == PROCD_CREATOR_ROLES || !lowest_free(t, &i))
		return 0;
	t->creators[c].taken = 1;
	t->creators[c].role = creator_role;
	t->creators[c].children++;
	p = &t->procs[i];
	proc_clear(p);
	p->pid = t->generation[i] * (uint32_t)PROCD_MAX_PROCESSES + i + 1;
	p->policy = policy;
	p->creator_role = creator_role;
	procd_supervision_init(&p->sup, policy->restart);
	t->busy[i / 64] |= (uint64_t)1 << (i % 64);
	t->used++;
	return p;
}

struct procd_proc *procd_proc_find(struct procd_proc_table *t, uint32_t pid)
{
	struct procd_proc *p;

	if (pid == 0)
		return 0;
	p = &t->procs[(pid - 1) % PROCD_MAX_PROCESSES];
	return p->pid == pid ? p : 0;
}

uint32_t procd_proc_index(const struct procd_proc_table *t, const struct procd_proc *p)
{
	return (uint32_t)(p - t->procs);
}

struct procd_proc *procd_proc_at(struct procd_proc_table *t, uint32_t index)
{
	return index < PROCD_MAX_PROCESSES ? &t->procs[index] : 0;
}

struct procd_proc *procd_proc_next_live(struct procd_proc_table *t, uint32_t *cursor)
{
	while (*cursor < PROCD_MAX_PROCESSES) {
		struct procd_proc *p = &t->procs[(*cursor)++];

		if (p->pid != 0)
			return p;
	}
	return 0;
}

void procd_proc_free(struct procd_proc_table *t, struct procd_proc *p)
{
	uint32_t i = procd_proc_index(t, p);
	uint32_t c = creator_entry(t, p->creator_role);

	if (c < PROCD_CREATOR_ROLES && t->creators[c].taken && t->creators[c].children > 0)
		t->creators[c].children--;
	t->generation[i]++;
	proc_clear(p);
	t->used--;
	/* Its next id would not fit: the entry stays taken for good, so no id
	 * is ever handed out twice. */
	if ((uint64_t)t->generation[i] * PROCD_MAX_PROCESSES + i + 1 > 0xffffffffu) {
		t->spent++;
		return;
	}
	t->busy[i / 64] &= ~((uint64_t)1 << (i % 64));
}

procd_cap procd_cspace_get(const struct procd_proc *p, uint32_t slot)
{
	for (uint32_t i = 0; i < p->ncaps; i++)
		if (p->cspace[i].slot == slot)
			return p->cspace[i].cap;
	return PROCD_NO_CAP;
}

_Static_assert(PROCD_EVENT_STOPPED <= 0xffu, "every event kind fits the byte an entry keeps it in");

/* Where an event is handed out, as a whole message record. */
static struct procd_msg_event handed_out;

static const struct procd_msg_event *hand_out(const struct procd_proc *p, uint32_t seq)
{
	uint32_t i = (seq - 1) % PROCD_EVENT_HISTORY;

	handed_out.pid = p->pid;
	handed_out.seq = seq;
	handed_out.kind = p->event_kind[i];
	handed_out.code = p->event_code[i];
	return &handed_out;
}

const struct procd_msg_event *procd_proc_event(struct procd_proc *p, uint32_t kind, int32_t code)
{
	uint32_t i = p->last_seq % PROCD_EVENT_HISTORY;

	p->last_seq++;
	p->event_kind[i] = (uint8_t)kind;
	p->event_code[i] = code;
	return hand_out(p, p->last_seq);
}

const struct procd_msg_event *procd_proc_event_after(const struct procd_proc *p, uint32_t after)
{
	uint32_t oldest = p->last_seq > PROCD_EVENT_HISTORY ? p->last_seq - PROCD_EVENT_HISTORY + 1 : 1;
	uint32_t want = after + 1 > oldest ? after + 1 : oldest;

	if (want > p->last_seq)
		return 0;
	return hand_out(p, want);
}
