/* SPDX-License-Identifier: ISC */
/*
 * procd's entry on EriX. rootd starts procd at _start (the canonical
 * .text.service_entry) with the startup envelope's address in rdi, per the
 * SysV calling convention. The stack procd is started on is not trusted to
 * be big enough, so _start moves to procd's own reservation first
 * (stack_top, the end of the final loaded segment, ld/procd.ld).
 */
#include "core/abi/procd_envelope.h"
#include "core/daemon.h"
#include "core/port/erix/loop.h"
#include "core/port/erix/sys.h"

#define ENVELOPE_MAX 65536u

_Noreturn void erix_main(const void *envelope);

__asm__(
	"	.pushsection .text.service_entry, \"ax\", @progbits\n"
	"	.globl _start\n"
	"	.type _start, @function\n"
	"_start:\n"
	"	xorl %ebp, %ebp\n"
	"	leaq stack_top(%rip), %rsp\n"
	"	andq $-16, %rsp\n"
	"	call erix_main\n" /* rdi, the envelope, is still its first argument */
	"	ud2\n"
	"	.size _start, . - _start\n"
	"	.popsection\n");

/* The stack reservation's section: NOBITS, writable; ld/procd.ld sizes it. */
__asm__(
	"	.pushsection .stack_reserve, \"aw\", @nobits\n"
	"	.balign 16\n"
	"	.popsection\n");

__attribute__((used)) _Noreturn void erix_main(const void *envelope)
{
	static struct procd d;
	const struct procd_envelope *h = envelope;
	uint32_t len;

	/* The length is read from the header the envelope starts with; the
	 * parser then checks it against the contents. */
	if (!envelope)
		erix_exit(2);
	len = h->length;
	if (len > ENVELOPE_MAX)
		len = ENVELOPE_MAX;
	if (procd_init(&d, envelope, len) != 0)
		erix_exit(1);
	procd_serving(&d);
	erix_serve(&d);
	erix_exit(0);
}
