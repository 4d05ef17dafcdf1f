/* SPDX-License-Identifier: ISC */
/*
 * The boot plan: once procd serves, it stages and starts the system itself.
 * rootd launches only procd, marking in the envelope which boot modules
 * procd is to start (PROCD_MODULE_BOOT). Foundation roles first, then
 * runtime roles (the policies' boot stage), each in boot module table
 * order, each with exactly its policy's window and what procd can wire
 * into it: its own endpoint, aliases procd mints (17, 2112, 21), the
 * endpoints of named/logd/crashd that procd itself started, and the kernel
 * endpoints rootd transferred. A role whose kernel endpoint rootd has not
 * given yet is staged and waits (UPDATE_FOUNDATION_ENDPOINTS starts it).
 * Nothing here blocks: a missing, failing or crashing foundation service is
 * logged and the boot goes on.
 */
#ifndef PROCD_ROLES_FOUNDATION_BOOTPLAN_H
#define PROCD_ROLES_FOUNDATION_BOOTPLAN_H

#include "core/daemon.h"

/* The plan runs when procd starts serving (this module's hook set). */

/* A kernel endpoint arrived late: wire it into waiting roles, start those
 * that now have everything. */
void procd_boot_resume(struct procd *d, uint32_t slot);


#endif
