/* SPDX-License-Identifier: ISC */
/*
 * The canonical service entry.
 *
 * Every image procd starts keeps its ELF entry in .text.service_entry, so a
 * loader can check that the entry it jumps to is the intended one and not
 * whatever happens to sit at the start of .text. The stack the process
 * starts on is not trusted to be big enough (on EriX the staged spawn stack
 * is tiny), so the first thing _start does is move %rsp to the image's own
 * reservation: stack_top, which the linker script (ld/helper-common.ld)
 * puts at the end of the final loaded segment, above .data/.bss, so that a
 * deep call chain runs into reserved space rather than live data.
 *
 * Nothing here returns: rt_start ends the process with exit_group.
 */
#include "helpers/rt/rt.h"

_Noreturn void rt_start(void);

__asm__(
	"	.pushsection .text.service_entry, \"ax\", @progbits\n"
	"	.globl _start\n"
	"	.type _start, @function\n"
	"_start:\n"
	"	xorl %ebp, %ebp\n"              /* outermost frame, for debuggers */
	"	leaq stack_top(%rip), %rsp\n"
	"	andq $-16, %rsp\n"              /* the SysV ABI alignment at a call */
	"	call rt_start\n"
	"	ud2\n"                          /* not reached */
	"	.size _start, . - _start\n"
	"	.popsection\n");

/* The stack reservation's section, empty: the linker script sizes it
 * (HELPER_STACK_SIZE). It exists to give the output section its type and
 * flags, NOBITS and writable; an output section made of nothing but a size
 * gets whatever flags its linker picks (lld: those of the section before). */
__asm__(
	"	.pushsection .stack_reserve, \"aw\", @nobits\n"
	"	.balign 16\n"
	"	.popsection\n");

/* Called only from the assembly above; `used` keeps it through LTO. */
__attribute__((used)) _Noreturn void rt_start(void)
{
	rt_exit(helper_main());
}
