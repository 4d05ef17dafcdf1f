/* SPDX-License-Identifier: ISC */
/*
 * Extension/test roles: the helper programs in helpers/. They live at
 * role ids >= SERVICE_ROLE_EXTENSION_BASE, the only roles the legacy generic
 * SPAWN may start, and may be launched from loaderd-transferred bytes.
 * Each holds its own endpoint and at most the one slot its test needs.
 */
#include "core/policy.h"

#define HELPER(ident_, name_, role_, window_, restart_, ...)                    \
	PROCD_POLICY(ident_) = {                                               \
		.name       = name_,                                           \
		.role       = role_,                                           \
		.role_class = PROCD_CLASS_EXTENSION,                           \
		.endpoint   = PROCD_EP_BOOTSTRAP,                              \
		.requesters = { PROCD_FROM_BOOT },                             \
		.window     = window_,                                         \
		.slots      = { SLOT_SELF_ENDPOINT, __VA_ARGS__ },             \
		.boot_stage = PROCD_STAGE_NONE,                                \
		.restart    = restart_,                                        \
		.flags      = PROCD_POLICY_LOADER_LAUNCH,                      \
		.image      = name_,                                           \
	}

/*     identifier           name                    role                       window                                         restart                    extra slot */
HELPER(phase0_exit,         "phase0-exit",          ROLE_PHASE0_EXIT,          PROCD_WINDOW_SERVICE,                          PROCD_RESTART_NEVER,       0);
/* fault-kill crashes on purpose: it is restarted so the supervisor's backoff
 * and give-up can be watched. */
HELPER(phase0_fault_kill,   "phase0-fault-kill",    ROLE_PHASE0_FAULT_KILL,    PROCD_WINDOW_SERVICE,                          PROCD_RESTART_ON_FAILURE,  0);
HELPER(phase0_isolation_a,  "phase0-isolation-a",   ROLE_PHASE0_ISOLATION_A,   PROCD_WINDOW_SERVICE,                          PROCD_RESTART_NEVER,       0);
HELPER(phase0_isolation_b,  "phase0-isolation-b",   ROLE_PHASE0_ISOLATION_B,   PROCD_WINDOW_SERVICE,                          PROCD_RESTART_NEVER,       0);
HELPER(phase0_probe,        "phase0-probe",         ROLE_PHASE0_PROBE,         PROCD_WINDOW_SERVICE,                          PROCD_RESTART_NEVER,       SLOT_PROBE_NOTIFY);
HELPER(phase1_lookup_client, "phase1-lookup-client", ROLE_PHASE1_LOOKUP_CLIENT, PROCD_WINDOW_SERVICE,                         PROCD_RESTART_NEVER,       SLOT_NAMED_ENDPOINT);
HELPER(phase1_time_client,  "phase1-time-client",   ROLE_PHASE1_TIME_CLIENT,   PROCD_WINDOW_THROUGH(SLOT_KERNEL_TIME_ENDPOINT), PROCD_RESTART_NEVER,     SLOT_KERNEL_TIME_ENDPOINT);
HELPER(phase2_irq_client,   "phase2-irq-client",    ROLE_PHASE2_IRQ_CLIENT,    PROCD_WINDOW_THROUGH(SLOT_KERNEL_IRQ_ENDPOINT), PROCD_RESTART_NEVER,      SLOT_KERNEL_IRQ_ENDPOINT);
