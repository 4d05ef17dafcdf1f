/* SPDX-License-Identifier: ISC */
/*
 * Where role modules (roles/) meet core. Each role module declares one
 * hook set, gathered at link time like policies and ops:
 *
 *     PROCD_HOOKS(loader) = { .name = "loader", .tick = ..., ... };
 *
 * Core calls each set's hook at each point below and never a role by
 * name, so a role module is chosen at configure time like a policy
 * (--disable-roles=loader) and removing one edits nothing in core. A hook
 * a role does not need is left out (NULL).
 */
#ifndef PROCD_CORE_HOOKS_H
#define PROCD_CORE_HOOKS_H

#include <stddef.h>
#include <stdint.h>

#include "core/section.h"

struct procd;
struct procd_proc;

#define PROCD_HOOKS_NAME_MAX 24

struct procd_hooks {
	char name[PROCD_HOOKS_NAME_MAX];
	/* procd_init, before the envelope: the role resets its own state. */
	void (*init)(struct procd *d);
	/* procd's intake is checked and watched: the role's start (the boot plan). */
	void (*serving)(struct procd *d);
	/* Time passed; returns the role's next deadline, or UINT64_MAX. */
	uint64_t (*tick)(struct procd *d, uint64_t now);
	/* An instance of p ended (kind, code as in its event), before the end
	 * is reported to anyone. */
	void (*ended)(struct procd *d, const struct procd_proc *p, uint32_t kind, int32_t code);
	/* p is being retired; its minted aliases still name it. */
	void (*retiring)(struct procd *d, const struct procd_proc *p);
	/* The peer of endpoint entry ep hung up (before procd closes it). */
	void (*endpoint_closed)(struct procd *d, uint32_t ep);
	/* procd is stopping: drop what the role holds. */
	void (*shutdown)(struct procd *d);
	/* Every line procd logs, after procd's own log has it. */
	void (*log_line)(const char *line, size_t len);
} __attribute__((aligned(PROCD_SET_ALIGN)));

_Static_assert(sizeof(struct procd_hooks) % PROCD_SET_ALIGN == 0, "hook sets are whole set entries");

#define PROCD_HOOKS(ident)                                                     \
	PROCD_SET_ENTRY(procd_hooks) const struct procd_hooks procd_hooks_##ident

PROCD_SET_BOUNDS(struct procd_hooks, procd_hooks);

/* Each point, called on every hook set that has it. */
void procd_hooks_init(struct procd *d);
void procd_hooks_serving(struct procd *d);
uint64_t procd_hooks_tick(struct procd *d, uint64_t now);
void procd_hooks_ended(struct procd *d, const struct procd_proc *p, uint32_t kind, int32_t code);
void procd_hooks_retiring(struct procd *d, const struct procd_proc *p);
void procd_hooks_endpoint_closed(struct procd *d, uint32_t ep);
void procd_hooks_shutdown(struct procd *d);
void procd_hooks_log_line(const char *line, size_t len);

#endif
