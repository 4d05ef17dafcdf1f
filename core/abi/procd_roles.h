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

/*
 * The fixed roles' names, as policies, manifests and tools spell them:
 * X(id, name). Whatever prints a role id reads the name here (procd-policy,
 * the stand-ins); a drop-in role's name is its policy's alone.
 */
#define PROCD_ROLE_NAME_TABLE(X)                                   \
	X(ROLE_ROOTD, "rootd")                                     \
	X(ROLE_PROCD, "procd")                                     \
	X(ROLE_NAMED, "named")                                     \
	X(ROLE_LOGD, "logd")                                       \
	X(ROLE_CRASHD, "crashd")                                   \
	X(ROLE_DEVICED, "deviced")                                 \
	X(ROLE_TIMED, "timed")                                     \
	X(ROLE_IRQD, "irqd")                                       \
	X(ROLE_HOTPLUGD, "hotplugd")                               \
	X(ROLE_PROBED, "probed")                                   \
	X(ROLE_FBCOND, "fbcond")                                   \
	X(ROLE_MEMD, "memd")                                       \
	X(ROLE_VSPACED, "vspaced")                                 \
	X(ROLE_PAGERD, "pagerd")                                   \
	X(ROLE_LOADERD, "loaderd")                                 \
	X(ROLE_E2FSD, "e2fsd")                                     \
	X(ROLE_FATD, "fatd")                                       \
	X(ROLE_KEYD, "keyd")                                       \
	X(ROLE_DRV_ACPI, "drv-acpi")                               \
	X(ROLE_DRV_SERIAL, "drv-serial")                           \
	X(ROLE_DRV_I8042, "drv-i8042")                             \
	X(ROLE_PHASE0_EXIT, "phase0-exit")                         \
	X(ROLE_PHASE0_FAULT_KILL, "phase0-fault-kill")             \
	X(ROLE_PHASE0_ISOLATION_A, "phase0-isolation-a")           \
	X(ROLE_PHASE0_ISOLATION_B, "phase0-isolation-b")           \
	X(ROLE_PHASE0_PROBE, "phase0-probe")                       \
	X(ROLE_PHASE1_LOOKUP_CLIENT, "phase1-lookup-client")       \
	X(ROLE_PHASE1_TIME_CLIENT, "phase1-time-client")           \
	X(ROLE_PHASE2_IRQ_CLIENT, "phase2-irq-client")

#endif
