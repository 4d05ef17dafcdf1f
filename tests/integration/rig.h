/* SPDX-License-Identifier: ISC */
/*
 * A procd under test: launched through the boot library exactly as rootd
 * would, with the helpers as boot modules, and the test as its bootstrap
 * peer. Plus readers of the real state the tests assert on: /proc/PID/fd,
 * /proc/PID/limits, procd's children.
 */
#ifndef PROCD_TESTS_RIG_H
#define PROCD_TESTS_RIG_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/abi/procd_msg.h"
#include "core/abi/procd_ops.h"
#include "core/abi/procd_roles.h"
#include "core/abi/procd_slots.h"
#include "core/abi/procd_status.h"
#include "tools/bootlib.h"

struct rig {
	struct boot_intake in;
	pid_t procd;
	int ep;  /* rootd's bootstrap alias */
	int drv; /* rootd's driver-endpoint alias */
	int time_far; /* the far end of the transferred kernel time endpoint */
};

/* Launches procd; every helper is a module under its own name, and a few
 * seed roles ("named", "timed", "deviced", "drv-serial") get stand-in
 * images so every role class can be started. */
void rig_up(struct rig *r);
/* The same, with `loaderd` as the image of the loaderd role (the relay
 * otherwise), and extra environment for procd (PROCD_FAULT=...). */
void rig_up_with(struct rig *r, const char *loaderd, char *const env[]);

/* A boot-plan launch: only the modules listed (name=image path relative to
 * the build directory, with "+" after the name for PROCD_MODULE_BOOT,
 * e.g. "timed+=helpers/phase0-exit"), and the kernel endpoints listed by
 * slot, whose far ends go to kernel_far[] (up to 8). */
void rig_up_boot(struct rig *r, const char *const modules[], const uint32_t kernel[], int kernel_far[]);
/* Hangs up as rootd and checks procd stops cleanly, leaving no child. */
void rig_down(struct rig *r);

int rig_module(const struct rig *r, const char *name);

/* CREATE_STAGED_PROCESS on ep; returns the status, fills pid/alias/grant. */
int64_t rig_create(int ep, uint32_t role, uint32_t *pid, int *alias, int *grant);
int64_t rig_start(const struct rig *r, int ep, uint32_t pid, const char *module);
int64_t rig_pid_op(int ep, uint32_t op, uint32_t pid);
int64_t rig_query(int ep, uint32_t pid, struct procd_msg_info *info);
/* SET_RESTART_POLICY for pid with rp's parameters (rp->pid is filled in). */
int64_t rig_set_restart(int ep, uint32_t pid, struct procd_msg_restart *rp);
/* The first event of pid after seq, waiting up to timeout_ms. */
int64_t rig_wait(int ep, uint32_t pid, uint32_t after, uint32_t timeout_ms, struct procd_msg_event *ev);
/* Waits for an event of `kind` (skipping others); returns its code. */
int32_t rig_wait_for(int ep, uint32_t pid, uint32_t kind, uint32_t *seq);
/* Tells a helper through its alias to exit with code. */
void rig_tell_exit(int alias, int32_t code);

/* procd's descriptor count once it has finished with every earlier
 * request (it drops what it sent only after sending; one more round trip
 * orders that before the count). */
size_t rig_procd_fds(const struct rig *r);
/* Asserts child's descriptors are exactly want[0..n), in order. */
void rig_assert_fds(pid_t child, const int *want, size_t n);
/* Runs the suite forked (a crash fails one test); the exit status. */
int rig_run(Suite *s);

/* Real state. */
size_t fd_list(pid_t pid, int *fds, size_t max); /* sorted */
size_t fd_count(pid_t pid);
long nofile_limit(pid_t pid);
/* The one child of procd not in `known` (or 0), waiting briefly for it. */
pid_t new_child(pid_t procd, const pid_t *known, size_t nknown);
int process_gone(pid_t pid); /* not running and not a zombie (within a second) */
int process_gone_now(pid_t pid); /* the same, at this moment */

#endif
