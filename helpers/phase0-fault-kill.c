/* SPDX-License-Identifier: ISC */
/*
 * phase0-fault-kill: dies of a page fault (SIGSEGV) on purpose, so procd's
 * fault reporting, restart backoff and give-up can be watched.
 */
#include "helpers/helper.h"

int helper_main(void)
{
	uintptr_t address = 0;

	rt_say("phase0-fault-kill: faulting\n");
	/* Hide the null from the optimizer: a store through a pointer it knows
	 * is null is undefined behaviour that gcc may compile into a trap
	 * instruction (SIGILL), and the point is the page fault. */
	__asm__ volatile("" : "+r"(address));
	*(volatile int *)address = 1;
	rt_say("phase0-fault-kill: the store to address 0 did not fault\n");
	return HELPER_EXIT_FAILED;
}
