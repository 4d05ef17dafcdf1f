/* SPDX-License-Identifier: ISC */
/*
 * Capability mode, hosted: the seccomp filters that leave a child (and,
 * after start-up, procd) only the authority of the descriptors it holds,
 * and Landlock as a second layer. sandbox.c holds the one allowlist, and
 * the spawn key that only the spawner's own steps carry.
 */
#ifndef PROCD_PORT_LINUX_SANDBOX_H
#define PROCD_PORT_LINUX_SANDBOX_H

#include <sys/types.h>

/*
 * Reads the spawn key, builds both filters and probes Landlock; at
 * start-up, before the spawner is started. 0, or -1 with a log line.
 */
int linux_sandbox_init(void);

/* procd, once the spawner runs: procd itself never needs the key again. */
void linux_sandbox_forget_key(void);

/*
 * In the spawner, once: an empty signal mask, no_new_privs and the
 * spawner's filter, which every child it creates inherits. NULL on
 * success, or the step that failed (errno set).
 */
const char *linux_sandbox_enter_spawner(void);

/*
 * The spawner's steps, each carrying the key (system calls only: they run
 * in a vfork child sharing the spawner's memory). linux_sandbox_clone
 * creates a child of procd's running fn on stack_top until it execs.
 */
pid_t linux_sandbox_clone(int (*fn)(void *), void *stack_top, void *arg);
int linux_sandbox_place(int from, int slot);
int linux_sandbox_close_range(unsigned int first, unsigned int last);
int linux_sandbox_set_window(unsigned int window);

/*
 * In the child: a session of its own, death with procd (exits at once if
 * procd is already gone: procd_pid is procd's pid), and Landlock leaving
 * only the execution of `image`. On failure returns the step that failed
 * (errno set); NULL on success.
 */
const char *linux_sandbox_child_prepare(int procd_pid, int image);

/*
 * Confines procd itself: from here on only its loop, image memory and
 * asking the spawner; nothing by name, and it cannot create a process.
 * Once serving begins. 0, or -1 (logged).
 */
int linux_sandbox_confine_procd(void);

#endif
