/* SPDX-License-Identifier: ISC */
/*
 * What the bench's sections share: the clock, medians, the procd it
 * launched and the calls every section makes on procd's bootstrap endpoint.
 */
#ifndef TESTS_BENCH_BENCH_H
#define TESTS_BENCH_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/abi/procd_msg.h"

extern pid_t procd;   /* the procd under test */
extern int ep;        /* the bench's end of its bootstrap endpoint */
extern const char *helper; /* the child every section starts */

uint64_t now_ns(void);
_Noreturn void die(const char *what);
/* Sorts v; its middle value, and that in microseconds for nanoseconds. */
uint64_t median_u64(uint64_t *v, size_t n);
double median_us(uint64_t *v, size_t n);
/* Binds pid (0: the caller) to one CPU, or to all of them if cpu < 0. */
void pin(pid_t pid, int cpu);
/* VmRSS of pid in KiB, or -1. */
long rss_kib(pid_t pid);

/* The median round trip of a raw SOCK_SEQPACKET ping-pong of n exchanges,
 * against a forked echo process: the cost of one request and its reply. */
double pingpong_round_trip_us(size_t n);

/* CREATE_STAGED_PROCESS of the bench's role: its pid; *alias is the
 * child's endpoint alias (the install grant is dropped). */
uint32_t create(int *alias);
/* START_STAGED_PROCESS from the role's own module. */
void start(uint32_t pid);
/* WAIT_PROCESS_EVENT from *seq on until an event of `kind`. */
struct procd_msg_event wait_kind(uint32_t pid, uint32_t *seq, uint32_t kind);
/* A request whose body is one pid (STOP, ABORT). */
void pid_op(uint32_t op, uint32_t pid);
/* Blocks until the child on alias announces that it runs. */
void await_announce(int alias);

/* A child procd restarts on failure at once: begin starts it, each once
 * tells it to fail and times its exit to the next instance's announce. */
struct procd_restarter {
	uint32_t pid;
	int alias;
};
void procd_restarter_begin(struct procd_restarter *r);
uint64_t procd_restart_once(const struct procd_restarter *r);
void procd_restarter_end(struct procd_restarter *r);

/* The bench's child started directly, to its exit collected: nanoseconds. */
enum direct_spawn { DIRECT_POSIX_SPAWN, DIRECT_VFORK, DIRECT_FORK };
uint64_t direct_spawn_once(enum direct_spawn how);

/* The s6 section: procd against s6 supervising the same child. */
void bench_s6(int quick);

#endif
