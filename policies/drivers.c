/* SPDX-License-Identifier: ISC */
/*
 * Drivers. Only deviced asks for them, and only on procd's driver endpoint
 * (2112): device ownership is deviced's decision, never procd's. Each driver
 * gets one narrow kernel endpoint for its own device and nothing of the
 * others', plus logging; no discovery, so a driver serves only deviced.
 */
#include "core/policy.h"

PROCD_POLICY(drv_acpi) = {
	.name       = "drv-acpi",
	.role       = ROLE_DRV_ACPI,
	.role_class = PROCD_CLASS_DRIVER,
	.endpoint   = PROCD_EP_DRIVER,
	.requesters = { ROLE_DEVICED },
	.window     = PROCD_WINDOW_THROUGH(SLOT_KERNEL_ACPI_READ_ENDPOINT),
	.slots      = { SLOT_SELF_ENDPOINT, SLOT_LOGD_ENDPOINT, SLOT_KERNEL_ACPI_READ_ENDPOINT },
	.boot_stage = PROCD_STAGE_NONE,
	.restart    = PROCD_RESTART_ON_FAILURE,
	.image      = "drv-acpi",
};

PROCD_POLICY(drv_serial) = {
	.name       = "drv-serial",
	.role       = ROLE_DRV_SERIAL,
	.role_class = PROCD_CLASS_DRIVER,
	.endpoint   = PROCD_EP_DRIVER,
	.requesters = { ROLE_DEVICED },
	.window     = PROCD_WINDOW_THROUGH(SLOT_KERNEL_COM1_ENDPOINT),
	.slots      = { SLOT_SELF_ENDPOINT, SLOT_LOGD_ENDPOINT, SLOT_KERNEL_COM1_ENDPOINT },
	.boot_stage = PROCD_STAGE_NONE,
	.restart    = PROCD_RESTART_ON_FAILURE,
	.image      = "drv-serial",
};

PROCD_POLICY(drv_i8042) = {
	.name       = "drv-i8042",
	.role       = ROLE_DRV_I8042,
	.role_class = PROCD_CLASS_DRIVER,
	.endpoint   = PROCD_EP_DRIVER,
	.requesters = { ROLE_DEVICED },
	.window     = PROCD_WINDOW_THROUGH(SLOT_KERNEL_I8042_ENDPOINT),
	.slots      = { SLOT_SELF_ENDPOINT, SLOT_LOGD_ENDPOINT, SLOT_KERNEL_I8042_ENDPOINT },
	.boot_stage = PROCD_STAGE_NONE,
	.restart    = PROCD_RESTART_ON_FAILURE,
	.image      = "drv-i8042",
};
