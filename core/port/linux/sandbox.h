/* SPDX-License-Identifier: ISC */
/*
 * Capability mode, hosted: the seccomp filters that leave a child (and,
 * after start-up, procd) only the authority of the descriptors it holds,
 * and Landlock as a second layer. sandbox.c holds the one allowlist.
 */
#ifndef PROCD_PORT_LINUX_SANDBOX_H
#define PROCD_PORT_LINUX_SANDBOX_H

/*
 * Builds both filters and probes Landlock; at startup, before any spawn
 * (it allocates, and the vfork child must not). 0, or -1 with errno and a
 * log line.
 */
int linux_sandbox_init(void);

/*
 * In the vfork child, system calls only: a session of its own, death with
 * procd (exits at once if procd is already gone: procd_pid is procd's pid
 * read before clone), no_new_privs, and Landlock leaving only the
 * execution of `image`. On failure returns the step that failed (errno
 * set); NULL on success.
 */
const char *linux_sandbox_child_prepare(int procd_pid, int image);

/* The child's seccomp filter; the last step before execveat, as every
 * call after it must be on the child's list. NULL or the failed step. */
const char *linux_sandbox_child_filter(void);

/*
 * Confines procd itself: from here on only its loop, spawning and image
 * memory; nothing by name. Once serving begins. 0, or -1 (logged).
 */
int linux_sandbox_confine_procd(void);

#endif
