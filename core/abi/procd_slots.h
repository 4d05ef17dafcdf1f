/* SPDX-License-Identifier: ISC */
/*
 * procd wire ABI: canonical capability slots, declared once.
 *
 * A slot is a position in a process's CSpace; on the hosted Linux platform
 * slot s is file descriptor s. Slots 0-15 are never capabilities (hosted,
 * 0-2 are stdio). The kernel endpoint slots are fixed by the EriX seed; the
 * narrow driver endpoints (2176-2188) and the role-local slots below 64 are
 * assigned by this implementation.
 *
 * PROCD_SLOT_TABLE is the one declaration of every canonical slot: its
 * number, its name (as tools and manifests spell it), its kind (who puts a
 * capability there), the kind of capability it holds, the role that serves
 * it, and the one role it is dedicated to. procd, procd-policy, procd-boot and the tests all derive from
 * it, so a new kernel endpoint is one line here plus the policy that grants
 * it. Each row also defines SLOT_<ID> = number.
 */
#ifndef PROCD_ABI_SLOTS_H
#define PROCD_ABI_SLOTS_H

#define SLOT_FIRST_CAPABILITY 16u /* 0-15 are never capabilities */

/* Who puts a capability at a canonical slot of a child. */
#define PROCD_SLOT_KIND_SELF             1u /* procd: the endpoint the child serves */
#define PROCD_SLOT_KIND_MINTED_BOOTSTRAP 2u /* procd mints an alias of its bootstrap endpoint */
#define PROCD_SLOT_KIND_MINTED_DRIVER    3u /* procd mints an alias of its driver endpoint */
#define PROCD_SLOT_KIND_MINTED_NOTIFY    4u /* procd mints a probe-notify alias */
#define PROCD_SLOT_KIND_PEER             5u /* a foundation peer's endpoint (named, logd, crashd) */
#define PROCD_SLOT_KIND_KERNEL           6u /* a kernel endpoint rootd transferred to procd */
#define PROCD_SLOT_KIND_LOADER           7u /* the loader family's role-local endpoints */
#define PROCD_SLOT_KIND_ASSIGNED         8u /* whatever endpoint the caller assigns */
#define PROCD_SLOT_KIND_CONTROL          9u /* procd's own kernel control; never a child's */

/* The kind of capability a canonical slot holds (the values of
 * PROCD_CAP_* in procd_envelope.h). */
#define PROCD_SLOT_CAP_ENDPOINT 1u

/*
 * X(ID, number, name, kind, cap, server, holder): `server` names the role
 * that serves what the slot reaches ("" for the kernel's endpoints and
 * where no one role does); `holder` the one role the slot is dedicated to
 * ("" where any role its policy grants may hold it): another role holding
 * it holds that role's device or kernel authority.
 */
#define PROCD_SLOT_TABLE(X)                                                                          \
	X(SELF_ENDPOINT,             16u, "self",              PROCD_SLOT_KIND_SELF,             PROCD_SLOT_CAP_ENDPOINT, "", "")        \
	X(PROCD_ENDPOINT,            17u, "procd",             PROCD_SLOT_KIND_MINTED_BOOTSTRAP, PROCD_SLOT_CAP_ENDPOINT, "procd", "")   \
	X(NAMED_ENDPOINT,            18u, "named",             PROCD_SLOT_KIND_PEER,             PROCD_SLOT_CAP_ENDPOINT, "named", "")   \
	X(LOGD_ENDPOINT,             19u, "logd",              PROCD_SLOT_KIND_PEER,             PROCD_SLOT_CAP_ENDPOINT, "logd", "")    \
	X(CRASHD_ENDPOINT,           20u, "crashd",            PROCD_SLOT_KIND_PEER,             PROCD_SLOT_CAP_ENDPOINT, "crashd", "")  \
	X(PROBE_NOTIFY,              21u, "probe-notify",      PROCD_SLOT_KIND_MINTED_NOTIFY,    PROCD_SLOT_CAP_ENDPOINT, "procd", "")   \
	X(PEER_ENDPOINT,             22u, "peer",              PROCD_SLOT_KIND_ASSIGNED,         PROCD_SLOT_CAP_ENDPOINT, "", "")        \
	X(LOADER_E2FS_ENDPOINT,      32u, "loader-e2fs",       PROCD_SLOT_KIND_LOADER,           PROCD_SLOT_CAP_ENDPOINT, "e2fsd", "")   \
	X(LOADER_FAT_ENDPOINT,       33u, "loader-fat",        PROCD_SLOT_KIND_LOADER,           PROCD_SLOT_CAP_ENDPOINT, "fatd", "")    \
	X(FS_BLOCK_ENDPOINT,         34u, "fs-block",          PROCD_SLOT_KIND_LOADER,           PROCD_SLOT_CAP_ENDPOINT, "", "")        \
	X(FS_KEYD_ENDPOINT,          35u, "fs-keyd",           PROCD_SLOT_KIND_LOADER,           PROCD_SLOT_CAP_ENDPOINT, "keyd", "")    \
	X(PROCD_DRIVER_ENDPOINT,   2112u, "procd-driver",      PROCD_SLOT_KIND_MINTED_DRIVER,    PROCD_SLOT_CAP_ENDPOINT, "procd", "deviced")   \
	X(KERNEL_TIME_ENDPOINT,    2128u, "kernel-time",       PROCD_SLOT_KIND_KERNEL,           PROCD_SLOT_CAP_ENDPOINT, "", "timed")   \
	X(KERNEL_IRQ_ENDPOINT,     2144u, "kernel-irq",        PROCD_SLOT_KIND_KERNEL,           PROCD_SLOT_CAP_ENDPOINT, "", "irqd")    \
	X(KERNEL_HOTPLUG_ENDPOINT, 2160u, "kernel-hotplug",    PROCD_SLOT_KIND_KERNEL,           PROCD_SLOT_CAP_ENDPOINT, "", "hotplugd") \
	X(KERNEL_PCI_CONFIG_ENDPOINT, 2176u, "kernel-pci-config", PROCD_SLOT_KIND_KERNEL,        PROCD_SLOT_CAP_ENDPOINT, "", "probed")  \
	X(KERNEL_ACPI_READ_ENDPOINT, 2180u, "kernel-acpi-read", PROCD_SLOT_KIND_KERNEL,          PROCD_SLOT_CAP_ENDPOINT, "", "drv-acpi") \
	X(KERNEL_COM1_ENDPOINT,    2184u, "kernel-com1",       PROCD_SLOT_KIND_KERNEL,           PROCD_SLOT_CAP_ENDPOINT, "", "drv-serial") \
	X(KERNEL_I8042_ENDPOINT,   2188u, "kernel-i8042",      PROCD_SLOT_KIND_KERNEL,           PROCD_SLOT_CAP_ENDPOINT, "", "drv-i8042") \
	X(KERNEL_CONSOLE_ENDPOINT, 2192u, "kernel-console",    PROCD_SLOT_KIND_KERNEL,           PROCD_SLOT_CAP_ENDPOINT, "", "fbcond")  \
	X(KERNEL_MEM_ENDPOINT,     2224u, "kernel-mem",        PROCD_SLOT_KIND_KERNEL,           PROCD_SLOT_CAP_ENDPOINT, "", "memd")    \
	X(KERNEL_VSPACE_ENDPOINT,  2240u, "kernel-vspace",     PROCD_SLOT_KIND_KERNEL,           PROCD_SLOT_CAP_ENDPOINT, "", "vspaced") \
	X(KERNEL_PAGER_ENDPOINT,   2256u, "kernel-pager",      PROCD_SLOT_KIND_KERNEL,           PROCD_SLOT_CAP_ENDPOINT, "", "pagerd")  \
	X(KERNEL_LOG_ENDPOINT,     2272u, "kernel-log",        PROCD_SLOT_KIND_KERNEL,           PROCD_SLOT_CAP_ENDPOINT, "", "deviced") \
	X(KERNEL_PROCESS_ENDPOINT, 2288u, "kernel-process",    PROCD_SLOT_KIND_CONTROL,          PROCD_SLOT_CAP_ENDPOINT, "", "procd")

#define PROCD_SLOT_ENUMERATOR_(id, number, name, kind, cap, server, holder) SLOT_##id = number,
enum procd_canonical_slot { PROCD_SLOT_TABLE(PROCD_SLOT_ENUMERATOR_) };
#undef PROCD_SLOT_ENUMERATOR_

/* procd-local: where rootd places the boot module images in procd's own
 * CSpace (assigned here); the envelope names each. */
#define SLOT_BOOT_MODULE_BASE 64u

/* Slot windows: a child sees slots [0, window). */
#define PROCD_WINDOW_SERVICE 32u /* ordinary services: the role-local slots */
#define PROCD_WINDOW_LOADER  48u /* loader family: sized through loaderd's slots */
#define PROCD_WINDOW_MAX     4096u
/* The smallest window in which `slot` is visible. */
#define PROCD_WINDOW_THROUGH(slot) ((slot) + 1u)

#endif
