/* SPDX-License-Identifier: ISC */
/* The hosted request loop (loop.c). */
#ifndef PROCD_PORT_LINUX_LOOP_H
#define PROCD_PORT_LINUX_LOOP_H

struct procd;

/* Serves until procd stops (its bootstrap peer hangs up, or SIGINT/SIGTERM). */
int linux_serve(struct procd *d);

#endif
