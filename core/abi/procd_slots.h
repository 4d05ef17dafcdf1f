/* SPDX-License-Identifier: ISC */
/*
 * procd wire ABI: canonical capability slots.
 *
 * A slot is a position in a process's CSpace; on the hosted Linux platform
 * slot s is file descriptor s. Slots 0-15 are never capabilities (hosted,
 * 0-2 are stdio). The kernel endpoint slots are fixed by the EriX seed; the
 * narrow driver endpoints (2176-2188) and the role-local slots below 64 are
 * assigned by this implementation.
 */
#ifndef PROCD_ABI_SLOTS_H
#define PROCD_ABI_SLOTS_H

#define SLOT_FIRST_CAPABILITY 16u /* 0-15 are never capabilities */

/* Role-local slots every service may be granted (assigned here). */
#define SLOT_SELF_ENDPOINT     16u /* the endpoint this process serves */
#define SLOT_PROCD_ENDPOINT    17u /* an alias of procd's bootstrap/service endpoint */
#define SLOT_NAMED_ENDPOINT    18u /* discovery */
#define SLOT_LOGD_ENDPOINT     19u
#define SLOT_CRASHD_ENDPOINT   20u
#define SLOT_PROBE_NOTIFY      21u /* probe-completion notification to procd */
#define SLOT_PEER_ENDPOINT     22u /* one explicitly assigned peer (isolation tests) */

/* Loader family role-local slots (assigned here). */
#define SLOT_LOADER_E2FS_ENDPOINT 32u /* loaderd -> e2fsd */
#define SLOT_LOADER_FAT_ENDPOINT  33u /* loaderd -> fatd */
#define SLOT_FS_BLOCK_ENDPOINT    34u /* e2fsd/fatd -> their block device */
#define SLOT_FS_KEYD_ENDPOINT     35u /* e2fsd/fatd -> keyd */

/* procd-local: where rootd places the boot module images in procd's own
 * CSpace (assigned here); the envelope names each. */
#define SLOT_BOOT_MODULE_BASE 64u

/* Kernel and procd endpoints (fixed by the seed). */
#define SLOT_PROCD_DRIVER_ENDPOINT   2112u
#define SLOT_KERNEL_TIME_ENDPOINT    2128u /* timed */
#define SLOT_KERNEL_IRQ_ENDPOINT     2144u /* irqd */
#define SLOT_KERNEL_HOTPLUG_ENDPOINT 2160u /* hotplugd */
#define SLOT_KERNEL_PCI_CONFIG_ENDPOINT 2176u /* probed, narrow (assigned here) */
#define SLOT_KERNEL_ACPI_READ_ENDPOINT  2180u /* drv-acpi, narrow (assigned here) */
#define SLOT_KERNEL_COM1_ENDPOINT       2184u /* drv-serial, narrow (assigned here) */
#define SLOT_KERNEL_I8042_ENDPOINT      2188u /* drv-i8042, narrow (assigned here) */
#define SLOT_KERNEL_CONSOLE_ENDPOINT 2192u /* fbcond */
#define SLOT_KERNEL_MEM_ENDPOINT     2224u /* memd */
#define SLOT_KERNEL_VSPACE_ENDPOINT  2240u /* vspaced */
#define SLOT_KERNEL_PAGER_ENDPOINT   2256u /* pagerd */
#define SLOT_KERNEL_LOG_ENDPOINT     2272u /* deviced's log/query control */
#define SLOT_KERNEL_PROCESS_ENDPOINT 2288u /* procd's own kernel control */

/* Slot windows: a child sees slots [0, window). */
#define PROCD_WINDOW_SERVICE 32u /* ordinary services: the role-local slots */
#define PROCD_WINDOW_LOADER  48u /* loader family: sized through loaderd's slots */
#define PROCD_WINDOW_MAX     4096u
/* The smallest window in which `slot` is visible. */
#define PROCD_WINDOW_THROUGH(slot) ((slot) + 1u)

#endif
