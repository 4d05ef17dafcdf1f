/* SPDX-License-Identifier: ISC */
/*
 * procd wire ABI: role ids.
 *
 * A role id names what a process is for; procd's policy for that role says
 * what authority a child of it may hold. Ranges:
 *
 *   0x001 - 0x03f  roles of the EriX seed, fixed here
 *   0x040 - 0x0ff  further declared roles; a drop-in policy file picks its
 *                  own id in this range (procd checks that ids are unique)
 *   0x100 - ...    extension/test roles (SERVICE_ROLE_EXTENSION_BASE); only
 *                  these may be started through the legacy generic SPAWN
 *
 * 0 is never a role.
 */
#ifndef PROCD_ABI_ROLES_H
#define PROCD_ABI_ROLES_H

#define ROLE_NONE 0x000u

/* foundation */
#define ROLE_ROOTD  0x001u
#define ROLE_PROCD  0x002u
#define ROLE_NAMED  0x003u
#define ROLE_LOGD   0x004u
#define ROLE_CRASHD 0x005u

/* services */
#define ROLE_DEVICED  0x010u
#define ROLE_TIMED    0x011u
#define ROLE_IRQD     0x012u
#define ROLE_HOTPLUGD 0x013u
#define ROLE_PROBED   0x014u
#define ROLE_FBCOND   0x015u
#define ROLE_MEMD     0x016u
#define ROLE_VSPACED  0x017u
#define ROLE_PAGERD   0x018u
#define ROLE_LOADERD  0x019u
#define ROLE_E2FSD    0x01au
#define ROLE_FATD     0x01bu
#define ROLE_KEYD     0x01cu

/* drivers */
#define ROLE_DRV_ACPI   0x030u
#define ROLE_DRV_SERIAL 0x031u
#define ROLE_DRV_I8042  0x032u

#define ROLE_DECLARED_BASE 0x040u /* first id free for drop-in declared roles */

/* extension/test roles: the helper programs */
#define SERVICE_ROLE_EXTENSION_BASE   0x100u
#define ROLE_PHASE0_EXIT              0x100u
#define ROLE_PHASE0_FAULT_KILL        0x101u
#define ROLE_PHASE0_ISOLATION_A       0x102u
#define ROLE_PHASE0_ISOLATION_B       0x103u
#define ROLE_PHASE0_PROBE             0x104u
#define ROLE_PHASE1_LOOKUP_CLIENT     0x105u
#define ROLE_PHASE1_TIME_CLIENT       0x106u
#define ROLE_PHASE2_IRQ_CLIENT        0x107u

#define ROLE_MAX 0xffffu /* role ids travel as 16 bits on the wire */

#endif
