/* SPDX-License-Identifier: ISC */
/*
 * The process table: procd's record of each child, fixed in size
 * (--with-max-processes), indexed directly by process id.
 *
 * A process id is procd's own, never the platform's: id = generation *
 * PROCD_MAX_PROCESSES + index + 1. Ids are deterministic (the lowest free
 * entry is taken) and never handed out twice in one procd lifetime: an
 * entry whose next id would not fit in 32 bits is spent and never used
 * again, so a stale id is always PROCD_E_NOT_FOUND, never another child.
 */
#ifndef PROCD_CORE_PROC_H
#define PROCD_CORE_PROC_H

#include <stddef.h>
#include <stdint.h>

#include "core/abi/procd_msg.h"
#include "core/policy.h"
#include "core/port.h"
#include "core/supervise.h"

#ifndef PROCD_MAX_PROCESSES
#error "PROCD_MAX_PROCESSES comes from configure (--with-max-processes)"
#endif

#define PROCD_EVENT_HISTORY 8u /* events a late WAIT can still see */

struct procd_cspace_entry {
	uint32_t slot;
	procd_cap cap;
};

struct procd_proc {
	uint32_t pid;      /* 0: the entry is free */
	uint32_t state;    /* PROCD_STATE_* */
	const struct procd_policy *policy;
	uint32_t creator_ep;   /* endpoint index the create came in on */
	uint32_t creator_role; /* the role that created it: its manager */
	uint32_t image_module;
	procd_cap grant;   /* procd's end of the install grant, while staged */
	procd_cap handle;  /* the running instance (hosted: pidfd) */
	procd_cap own_image;  /* an image procd materialized for it, or PROCD_NO_CAP */
	procd_cap kept_alias; /* its endpoint alias when no caller was given one, or
				 a foundation role's (to recognise it when published) */
	uint8_t deferred;     /* staged by the boot plan, waiting for a kernel endpoint */
	int64_t os_id;
	uint64_t started_ms;
	uint64_t restart_at_ms; /* in PROCD_STATE_BACKOFF */
	/* The child's CSpace, kept by procd to start each instance from it. */
	struct procd_cspace_entry cspace[PROCD_POLICY_SLOTS];
	uint32_t ncaps;
	struct procd_supervision sup;
	/* The latest events, by sequence number: an event's pid and number
	 * follow from the entry and the slot, so only what happened is kept. */
	int32_t event_code[PROCD_EVENT_HISTORY];
	uint8_t event_kind[PROCD_EVENT_HISTORY];
	uint32_t last_seq;
};

#define PROCD_PROC_WORDS ((PROCD_MAX_PROCESSES + 63) / 64)

/* How many children each creating role holds, so a quota check costs the
 * same however full the table is. Every creator is a role of the registry
 * (at most PROCD_MAX_POLICIES), rootd or procd, so twice that many entries
 * keep the open-addressed table at most half full; an entry once given to
 * a role stays that role's. */
#define PROCD_CREATOR_BITS  9u
#define PROCD_CREATOR_ROLES (1u << PROCD_CREATOR_BITS)

struct procd_creator {
	uint32_t role;
	uint32_t children;
	uint8_t taken;
};

struct procd_proc_table {
	struct procd_proc procs[PROCD_MAX_PROCESSES];
	uint32_t generation[PROCD_MAX_PROCESSES];
	uint64_t busy[PROCD_PROC_WORDS]; /* bit i: entry i is taken (or spent) */
	uint32_t used;  /* entries holding a live process */
	uint32_t spent; /* entries whose ids are all used up */
	struct procd_creator creators[PROCD_CREATOR_ROLES];
};

void procd_proc_table_init(struct procd_proc_table *t);

/* Takes the lowest free entry for a child of `policy` that `creator_role`
 * asked for (its manager); NULL when full. */
struct procd_proc *procd_proc_alloc(struct procd_proc_table *t, const struct procd_policy *policy,
				    uint32_t creator_role);

/* The live children of `creator_role`: entries taken for it and not freed. */
uint32_t procd_proc_children_of(const struct procd_proc_table *t, uint32_t creator_role);

/* The live process `pid` names, or NULL (free entry, stale or foreign id). */
struct procd_proc *procd_proc_find(struct procd_proc_table *t, uint32_t pid);

/* Index of p in the table, for the port's watch cookies. */
uint32_t procd_proc_index(const struct procd_proc_table *t, const struct procd_proc *p);

/* The entry at `index` (procd_proc_index's), live or free; NULL past the
 * table, so that an index from outside the core is checked in one place. */
struct procd_proc *procd_proc_at(struct procd_proc_table *t, uint32_t index);

/* The first live entry at or after *cursor, which it moves past that
 * entry; NULL once the table is walked. How the core visits every child. */
struct procd_proc *procd_proc_next_live(struct procd_proc_table *t, uint32_t *cursor);

/* Frees the entry; its capabilities must already be dropped. */
void procd_proc_free(struct procd_proc_table *t, struct procd_proc *p);

/* The capability installed at `slot`, or PROCD_NO_CAP. */
procd_cap procd_cspace_get(const struct procd_proc *p, uint32_t slot);

/* Records an event; returns it (with its sequence number). */
const struct procd_msg_event *procd_proc_event(struct procd_proc *p, uint32_t kind, int32_t code);

/* The first recorded event numbered after `after`, or NULL. */
const struct procd_msg_event *procd_proc_event_after(const struct procd_proc *p, uint32_t after);

/* Both return one event record procd keeps for the purpose (procd serves
 * one request at a time): it holds the event until the next call of
 * either, so a caller copies or sends it before asking again. */

#endif
