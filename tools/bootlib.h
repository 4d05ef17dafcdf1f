/* SPDX-License-Identifier: ISC */
/*
 * What rootd does for procd, hosted: build procd's intake (endpoints, boot
 * modules, transferred kernel endpoints), write the startup envelope, start
 * procd holding exactly that, and then speak procd's wire protocol as its
 * bootstrap peer. Shared by the boot shim (procd-boot) and the tests.
 */
#ifndef PROCD_TOOLS_BOOTLIB_H
#define PROCD_TOOLS_BOOTLIB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/abi/procd_envelope.h"

struct boot_intake {
	int bootstrap[2]; /* [0] goes to procd, [1] is rootd's alias */
	int driver[2];
	int control[2];
	struct {
		char name[PROCD_MODULE_NAME_MAX];
		int fd;
		uint32_t flags; /* PROCD_MODULE_* */
	} modules[PROCD_ENVELOPE_MODULES_MAX];
	size_t nmodules;
	struct {
		uint32_t slot;
		uint32_t kind;
		int fd; /* procd's; rootd keeps whatever serves it */
	} transferred[PROCD_ENVELOPE_SLOTS_MAX];
	size_t ntransferred;
};

/* Creates the three intake endpoints. */
int boot_intake_init(struct boot_intake *in);
/* Adds a boot module read from path (opened now, never by procd). */
int boot_add_module(struct boot_intake *in, const char *name, const char *path);
/* The same, with PROCD_MODULE_* flags (PROCD_MODULE_BOOT: procd starts its
 * role in its boot plan). */
int boot_add_module_flags(struct boot_intake *in, const char *name, const char *path, uint32_t flags);
/* Adds a capability procd receives at slot; takes ownership of fd. */
int boot_add_transferred(struct boot_intake *in, uint32_t slot, uint32_t kind, int fd);
/* The module table index of name, or -1. */
int boot_module_index(const struct boot_intake *in, const char *name);

/*
 * Starts procd from `procd_path` holding exactly its intake (envelope on
 * fd 3). procd's ends are closed here afterwards; `extra_env` (may be NULL)
 * is added to procd's environment. Returns procd's pid or -1.
 */
pid_t boot_launch(struct boot_intake *in, const char *procd_path, char *const extra_env[]);

/* The startup envelope describing the intake; its length, 0 if it does not
 * fit in size. */
size_t boot_envelope(const struct boot_intake *in, void *buf, size_t size);

/* boot_launch with the given envelope bytes, and optionally one stray
 * descriptor placed at stray_slot (stray_fd -1: none): for the tests of
 * procd's startup validation. */
pid_t boot_launch_with(struct boot_intake *in, const char *procd_path, char *const extra_env[],
		       const void *envelope, size_t len, int stray_fd, int stray_slot);

/* Closes everything of the intake that rootd still holds. */
void boot_intake_close(struct boot_intake *in);

/* Raises this process's descriptor limit so that the canonical slots (up to
 * 2288) can be placed; procd inherits it. */
int boot_raise_fd_limit(void);

/*
 * One request on endpoint ep and its reply. body/out are the op's fixed
 * bodies; received capabilities go to caps[] (up to maxcaps, the rest are
 * closed). Returns the reply status, or -1 if the exchange failed.
 */
int64_t boot_call(int ep, uint32_t op, const void *body, size_t len, void *out, size_t outlen,
		  int *caps, size_t maxcaps, size_t *ncaps);

/* An install through a staged child's grant; fd may be -1 (procd mints). */
int64_t boot_install(int grant, uint32_t slot, int fd);

/* Sends raw bytes (and fds) on ep and returns the reply status, for tests
 * of malformed requests. */
int64_t boot_call_raw(int ep, const void *msg, size_t len, const int *fds, size_t nfds);

/* A whole message (header included) with fds out; the reply's body into
 * out (exactly outlen bytes when the status is PROCD_OK). */
int64_t boot_exchange(int ep, const void *msg, size_t len, const int *fds, size_t nfds, void *out, size_t outlen);

/* Notices procd sent rootd unasked (PROCD_NOTIFY_PROBE_COMPLETE) that
 * arrived while a reply was awaited: counted, the last one kept. */
struct boot_notices {
	unsigned probe_complete;
	uint32_t last_pid;
	uint32_t last_role;
};
extern struct boot_notices boot_notices;
/* Takes one pending notice from ep without blocking; 1 if one was read. */
int boot_poll_notice(int ep);

/* A number field of /proc/PID/status ("VmRSS", "Seccomp"), or -1: how
 * rootd, or a test standing in for it, watches what procd and its
 * children hold. */
long boot_status_field(pid_t pid, const char *field);
/* Its state letter ('R', 'S', 'Z' a zombie, 'X' dead, ...), or 0 if there
 * is no such process. */
char boot_process_state(pid_t pid);
/* procd's children as /proc lists them: the processes it manages (up to
 * max, in out; the count), or the spawner it makes them with (0 if none). */
size_t boot_children_of(pid_t procd, pid_t *out, size_t max);
pid_t boot_spawner_of(pid_t procd);

/* A new SOCK_SEQPACKET pair, both ends close-on-exec. */
int boot_pair(int sv[2]);

#endif
