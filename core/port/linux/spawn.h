/* SPDX-License-Identifier: ISC */
/* Making children on the hosted port (spawn.c). */
#ifndef PROCD_PORT_LINUX_SPAWN_H
#define PROCD_PORT_LINUX_SPAWN_H

/* Starts the spawner (spawner.c), which creates every child; after the
 * residual-capability check, before procd confines itself. */
int linux_spawn_init(void);

/* Ends the spawner and collects it; as procd exits. */
void linux_spawn_shutdown(void);

#endif
