/* SPDX-License-Identifier: ISC */
#include "core/port/erix/sys.h"
#include "core/abi/procd_slots.h"

long erix_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

long erix_kop(const void *req, size_t len, void *reply, size_t size, struct erix_call_caps *caps)
{
	int32_t status;
	long n = erix_syscall(ERIX_SYS_CALL, SLOT_KERNEL_PROCESS_ENDPOINT, (long)req, (long)len, (long)reply,
			      (long)size, (long)caps);

	if (n < 0)
		return n;
	/* The receive result: the reply's length in the low half. */
	if ((size_t)(n & 0xffffffff) < sizeof status || size < sizeof status)
		return -1;
	__builtin_memcpy(&status, reply, sizeof status);
	return status;
}

_Noreturn void erix_exit(int status)
{
	for (;;)
		erix_syscall(ERIX_SYS_EXIT, status, 0, 0, 0, 0, 0);
}
