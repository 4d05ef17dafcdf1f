/* SPDX-License-Identifier: ISC */
/*
 * The price of a wake-up after a wait, which a spawn through procd pays and
 * the floor does not: the floor's process does its spawn itself, while
 * procd's requester, procd and the spawner each wait for another process
 * for about a spawn's length.
 */
#ifndef TESTS_BENCH_WAKE_H
#define TESTS_BENCH_WAKE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The median time a SOCK_SEQPACKET reply takes beyond the work it waited
 * for, in microseconds: a responder on another CPU (when there is one)
 * works work_ns before each of n replies while the requester sleeps.
 */
double wake_after_work_us(size_t n, uint64_t work_ns);

#endif
