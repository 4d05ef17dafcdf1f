/* SPDX-License-Identifier: ISC */
/* The hosted request loop (loop.c). */
#ifndef PROCD_PORT_LINUX_LOOP_H
#define PROCD_PORT_LINUX_LOOP_H

struct procd;

/* Serves until procd stops: 0 when its bootstrap peer hangs up or on
 * SIGINT/SIGTERM, 1 when its spawner is gone. */
int linux_serve(struct procd *d);

#endif
