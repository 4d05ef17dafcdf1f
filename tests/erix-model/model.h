/* SPDX-License-Identifier: ISC */
/*
 * erix-model: a Linux program that runs the unchanged EriX images (procd.elf
 * and the helpers) as ptrace(PTRACE_SYSEMU) tracees and implements the EriX
 * kernel contract of core/port/erix/erix_abi.h for them. Every `syscall`
 * instruction of a tracee stops here; the model emulates it and writes the
 * result back. Nothing a tracee does reaches the Linux kernel.
 *
 * The kernel (kernel.c): objects (endpoint ends, frames, processes, the
 * control endpoint), a CSpace per process, the scheduler and the clock.
 * rootd (rootd.c): the boot manifest, procd's envelope, the far ends of the
 * kernel endpoints, and rootd's requests to procd.
 *
 * Deterministic: one tracee runs at a time, until it blocks, and the clock
 * is virtual: it moves only when every process is blocked, to the earliest
 * deadline. So a scenario replays the same way every run.
 */
#ifndef ERIX_MODEL_H
#define ERIX_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "core/port/erix/erix_abi.h"

#define MODEL_MAX_PROCS   1024
#define MODEL_MSG_CAPS    16  /* capabilities one message can carry */
#define MODEL_QUEUE_MAX   64  /* messages waiting at one endpoint end */
#define MODEL_NAME_MAX    32

enum obj_kind { OBJ_END = 1, OBJ_FRAME, OBJ_PROCESS, OBJ_CONTROL };

struct obj;
struct proc;

struct msg {
	unsigned char *bytes;
	size_t len;
	uint64_t badge;
	size_t ncaps;
	struct obj *caps[MODEL_MSG_CAPS];
	struct msg *next;
};

/* The model's rootd serves some endpoint ends itself: a message arriving
 * there is handed to this function at once. */
typedef void (*served_fn)(struct obj *end, struct msg *m);

struct obj {
	enum obj_kind kind;
	unsigned refs; /* holds: CSpace slots, rootd's, messages in flight */
	unsigned id;
	/* OBJ_END: one end of an endpoint; what is sent on it arrives at peer. */
	struct obj *peer;
	struct msg *head, *tail;
	unsigned queued;
	served_fn served;
	int svc;                    /* rootd's: which service it plays */
	char role[MODEL_NAME_MAX];  /* rootd's: who holds the other end */
	struct obj *file;           /* rootd's filesystem provider: the file it serves */
	struct obj *bound_to;       /* ERIX_KOP_BIND: what arrives here is queued there */
	uint64_t badge;
	/* OBJ_FRAME */
	unsigned char *data;
	uint64_t size;
	int sealed;
	char name[MODEL_NAME_MAX];
	/* OBJ_PROCESS */
	struct proc *proc;
};

enum proc_state { P_RUNNABLE = 1, P_BLOCKED_RECV, P_BLOCKED_COLLECT, P_DEAD };

struct mapping {
	uint64_t addr, len;
};

struct proc {
	pid_t pid;  /* the Linux tracee */
	unsigned id; /* the model's process id: the OS id procd logs */
	char name[MODEL_NAME_MAX];
	struct obj **cspace;
	unsigned char *received; /* per slot: it arrived in a message, not at spawn */
	uint32_t window;
	enum proc_state state;
	struct obj *self; /* its OBJ_PROCESS */
	/* A blocked receive (RECV, or the RECV half of CALL). */
	struct obj *recv_on;
	uint64_t buf, size, caps_out, maxcaps, call_caps;
	uint64_t deadline_ns; /* UINT64_MAX: none */
	struct obj *collect_on;
	uint64_t reply, reply_size; /* a blocked COLLECT's reply buffer */
	/* How it ended. */
	int ended, collected;
	uint32_t how;
	int32_t code;
	/* Notice of its end, when asked for (ERIX_KOP_NOTIFY_END). */
	struct obj *notify;
	uint64_t notify_badge;
	struct mapping maps[8];
	/* Counted calls, for the idle measurements. */
	uint64_t calls;
	int in_runq;
};

/* kernel.c */
extern uint64_t model_now_ns;
extern int model_verbose;
/* The process table, in the order of spawning: every process that runs,
 * or has ended and is still named by a process capability. An ended one
 * nothing names any more leaves it (between steps, and at a spawn), so its
 * entries are reused. */
extern struct proc *model_procs[MODEL_MAX_PROCS];
extern unsigned model_nprocs;
/* What the kernel holds now: objects and messages not yet freed. */
extern unsigned model_nobjs;
extern unsigned model_nmsgs;

struct obj *obj_new(enum obj_kind kind);
void obj_hold(struct obj *o);
void obj_drop(struct obj *o);
/* A new endpoint: both ends, one hold on each (the caller's). */
void endpoint_new(struct obj **a, struct obj **b);
/* Whether nobody but the queue could ever send to `end` any more. */
int end_hung_up(const struct obj *end);
/* Sends from rootd (or the model) on `end`: the message's caps are held
 * by it already. -ERIX_* on failure, with the message freed. */
int end_send(struct obj *end, struct msg *m);
/* Queues an event at receive end r: the header, then bytes (and m's caps,
 * m may be NULL). With `limit`, -ERIX_EAGAIN if r's queue is full. */
int queue_event(struct obj *r, uint64_t badge, uint32_t event, const void *bytes, size_t len, struct msg *m,
		int limit);
/* Takes the first message queued at `end`, or NULL. */
struct msg *end_take(struct obj *end);
struct msg *msg_new(const void *bytes, size_t len);
void msg_free(struct msg *m);

struct obj *frame_from_file(const char *path, const char *name);

/* A process from a frame, holding caps[i] at slots[i]; NULL on failure. */
struct proc *proc_spawn(struct obj *image, uint32_t window, const uint32_t *slots, struct obj **caps,
			size_t ncaps, const void *envelope, size_t envelope_len);
void proc_kill(struct proc *p);
void proc_fault(struct proc *p, int32_t fault);
/* One scheduling step: 1 if something happened, 0 if every process is
 * blocked with no deadline before `until` (the clock then stands at it). */
int model_step(uint64_t until_ns);
void model_kill_all(void);
/* Whether ptrace(PTRACE_SYSEMU) works here: 0, or why not (-1 fork, -2
 * PTRACE_TRACEME refused, -3 PTRACE_SYSEMU refused or unknown). */
int model_probe(void);
void model_print_cspaces(FILE *out);

/* rootd.c: where procd's log lines and the debug console go. */
void model_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One line procd logged (ERIX_KOP_LOG). */
void model_log_line(const char *line, size_t len);

#endif
