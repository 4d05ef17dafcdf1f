/* SPDX-License-Identifier: ISC */
/*
 * The spawner: a small process procd starts before it confines itself,
 * which creates every child (as procd's child) under the one filter it
 * entered once. procd asks over a private SOCK_SEQPACKET pair: a request
 * with the image and the capabilities attached, one reply per request.
 */
#ifndef PROCD_PORT_LINUX_SPAWNER_H
#define PROCD_PORT_LINUX_SPAWNER_H

#include <stdint.h>
#include <sys/types.h>

#define SPAWN_MAX_CAPS 16

/* Attached: the image, then caps[0..ncaps), which go to slots[i]. */
struct spawn_request {
	uint32_t window;
	uint32_t ncaps;
	uint32_t slots[SPAWN_MAX_CAPS];
};

/* pid > 0: the child exists (and, if step is empty, has exec'd). A step
 * names what failed, with errno in error. Also sent once at start-up, with
 * pid 0, to say the spawner is confined (or why not). */
struct spawn_reply {
	int32_t pid;
	int32_t error;
	char step[64];
};

/*
 * Starts the spawner; on success *channel is procd's end of the pair and
 * *spawner its pid (procd's child). 0, or -1 with a log line.
 */
int linux_spawner_start(int *channel, pid_t *spawner);

#endif
