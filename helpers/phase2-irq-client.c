/* SPDX-License-Identifier: ISC */
/*
 * phase2-irq-client: asks the kernel IRQ endpoint (slot 2144) for IRQ 4,
 * the legacy COM1 line. Exits 0 when granted, 1 when refused or the
 * exchange fails, 2 when the slot is not installed.
 */
#include "helpers/helper.h"

#define NAME "phase2-irq-client"
#define IRQ_COM1 4u

int helper_main(void)
{
	struct helper_irq_msg req = {
		.h = { .op = HELPER_OP_IRQ, .length = sizeof req, .tag = ROLE_PHASE2_IRQ_CLIENT },
		.irq = IRQ_COM1,
	};
	struct procd_msg_header reply;
	int r = helper_call(NAME, SLOT_KERNEL_IRQ_ENDPOINT, &req, &reply, sizeof reply);

	if (r != HELPER_EXIT_OK)
		return r;
	if (reply.status != PROCD_OK) {
		rt_say(NAME ": IRQ %u refused: status %u\n", IRQ_COM1, reply.status);
		return HELPER_EXIT_FAILED;
	}
	return HELPER_EXIT_OK;
}
