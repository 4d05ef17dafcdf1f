/* SPDX-License-Identifier: ISC */
/* The EriX request loop (loop.c). */
#ifndef PROCD_PORT_ERIX_LOOP_H
#define PROCD_PORT_ERIX_LOOP_H

struct procd;

/* Serves procd's endpoints until it stops. */
void erix_serve(struct procd *d);

#endif
