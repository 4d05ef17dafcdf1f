/* SPDX-License-Identifier: ISC */
#include <stddef.h>
#include <string.h>

#include "core/abi/procd_roles.h"
#include "core/abi/procd_slots.h"
#include "tools/abi_names.h"

struct abi_name {
	uint32_t id;
	const char *name;
};

static const struct abi_name roles[] = {
	{ ROLE_ROOTD, "rootd" },
	{ ROLE_PROCD, "procd" },
	{ ROLE_NAMED, "named" },
	{ ROLE_LOGD, "logd" },
	{ ROLE_CRASHD, "crashd" },
	{ ROLE_DEVICED, "deviced" },
	{ ROLE_TIMED, "timed" },
	{ ROLE_IRQD, "irqd" },
	{ ROLE_HOTPLUGD, "hotplugd" },
	{ ROLE_PROBED, "probed" },
	{ ROLE_FBCOND, "fbcond" },
	{ ROLE_MEMD, "memd" },
	{ ROLE_VSPACED, "vspaced" },
	{ ROLE_PAGERD, "pagerd" },
	{ ROLE_LOADERD, "loaderd" },
	{ ROLE_E2FSD, "e2fsd" },
	{ ROLE_FATD, "fatd" },
	{ ROLE_KEYD, "keyd" },
	{ ROLE_DRV_ACPI, "drv-acpi" },
	{ ROLE_DRV_SERIAL, "drv-serial" },
	{ ROLE_DRV_I8042, "drv-i8042" },
	{ ROLE_PHASE0_EXIT, "phase0-exit" },
	{ ROLE_PHASE0_FAULT_KILL, "phase0-fault-kill" },
	{ ROLE_PHASE0_ISOLATION_A, "phase0-isolation-a" },
	{ ROLE_PHASE0_ISOLATION_B, "phase0-isolation-b" },
	{ ROLE_PHASE0_PROBE, "phase0-probe" },
	{ ROLE_PHASE1_LOOKUP_CLIENT, "phase1-lookup-client" },
	{ ROLE_PHASE1_TIME_CLIENT, "phase1-time-client" },
	{ ROLE_PHASE2_IRQ_CLIENT, "phase2-irq-client" },
};

/* Slot names are the ABI table's own. */
#define SLOT_NAME_(id, number, name, kind, cap, role) { number, name },
static const struct abi_name slots[] = { PROCD_SLOT_TABLE(SLOT_NAME_) };
#undef SLOT_NAME_

/* A few dozen entries, looked up a handful of times per run: a scan is clearest. */
static const char *lookup(const struct abi_name *t, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].id == id)
			return t[i].name;
	return NULL;
}

const char *abi_role_name(uint32_t role)
{
	return lookup(roles, sizeof roles / sizeof roles[0], role);
}

const char *abi_slot_name(uint32_t slot)
{
	return lookup(slots, sizeof slots / sizeof slots[0], slot);
}

int abi_slot_by_name(const char *name, uint32_t *slot)
{
	for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
		if (strcmp(slots[i].name, name) == 0) {
			*slot = slots[i].id;
			return 1;
		}
	return 0;
}

const char *abi_slot_nth(size_t i, uint32_t *slot)
{
	if (i >= sizeof slots / sizeof slots[0])
		return NULL;
	*slot = slots[i].id;
	return slots[i].name;
}

enum abi_server abi_slot_server(uint32_t slot, uint32_t *role)
{
	static const struct {
		uint32_t slot;
		uint32_t role;
	} served_by_role[] = {
		{ SLOT_NAMED_ENDPOINT, ROLE_NAMED },
		{ SLOT_LOGD_ENDPOINT, ROLE_LOGD },
		{ SLOT_CRASHD_ENDPOINT, ROLE_CRASHD },
		{ SLOT_LOADER_E2FS_ENDPOINT, ROLE_E2FSD },
		{ SLOT_LOADER_FAT_ENDPOINT, ROLE_FATD },
		{ SLOT_FS_KEYD_ENDPOINT, ROLE_KEYD },
	};
	const char *name;

	for (size_t i = 0; i < sizeof served_by_role / sizeof served_by_role[0]; i++)
		if (served_by_role[i].slot == slot) {
			*role = served_by_role[i].role;
			return ABI_SERVER_ROLE;
		}
	/* The probe-completion notification goes to procd, like slot 17. */
	if (slot == SLOT_PROCD_ENDPOINT || slot == SLOT_PROBE_NOTIFY)
		return ABI_SERVER_PROCD;
	if (slot == SLOT_PROCD_DRIVER_ENDPOINT)
		return ABI_SERVER_PROCD_DRIVER;
	name = abi_slot_name(slot);
	if (name && strncmp(name, "kernel-", 7) == 0)
		return ABI_SERVER_KERNEL;
	return ABI_SERVER_NONE;
}

uint32_t abi_slot_owner(uint32_t slot)
{
	static const struct {
		uint32_t slot;
		uint32_t role;
	} owners[] = {
		{ SLOT_PROCD_DRIVER_ENDPOINT, ROLE_DEVICED },
		{ SLOT_KERNEL_TIME_ENDPOINT, ROLE_TIMED },
		{ SLOT_KERNEL_IRQ_ENDPOINT, ROLE_IRQD },
		{ SLOT_KERNEL_HOTPLUG_ENDPOINT, ROLE_HOTPLUGD },
		{ SLOT_KERNEL_PCI_CONFIG_ENDPOINT, ROLE_PROBED },
		{ SLOT_KERNEL_ACPI_READ_ENDPOINT, ROLE_DRV_ACPI },
		{ SLOT_KERNEL_COM1_ENDPOINT, ROLE_DRV_SERIAL },
		{ SLOT_KERNEL_I8042_ENDPOINT, ROLE_DRV_I8042 },
		{ SLOT_KERNEL_CONSOLE_ENDPOINT, ROLE_FBCOND },
		{ SLOT_KERNEL_MEM_ENDPOINT, ROLE_MEMD },
		{ SLOT_KERNEL_VSPACE_ENDPOINT, ROLE_VSPACED },
		{ SLOT_KERNEL_PAGER_ENDPOINT, ROLE_PAGERD },
		{ SLOT_KERNEL_LOG_ENDPOINT, ROLE_DEVICED },
		{ SLOT_KERNEL_PROCESS_ENDPOINT, ROLE_PROCD },
	};

	for (size_t i = 0; i < sizeof owners / sizeof owners[0]; i++)
		if (owners[i].slot == slot)
			return owners[i].role;
	return 0;
}
