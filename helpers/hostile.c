/* SPDX-License-Identifier: ISC */
/*
 * hostile: a child that tries to reach past its descriptors, the way an
 * attacker holding one endpoint would. It is started under an existing
 * extension role (its file named as that role's boot module, so its policy
 * is that role's), waits for HELPER_OP_EXIT on its endpoint and reads the
 * code as an attempt: the low byte says which, the rest is a pid where the
 * attempt needs one (a sibling to signal).
 *
 * Each attempt is one system call procd's capability mode must refuse.
 * Outcome: killed by SIGSYS (the filter), or exit 1 (the call failed, its
 * errno on stderr), or exit 0 (it succeeded: authority escaped).
 */
#include "helpers/helper.h"

#define NAME "hostile"

enum attempt {
	TAKE_PROCD_FD = 1,   /* pidfd_open(procd) then pidfd_getfd: procd's descriptors */
	PTRACE_PROCD = 2,    /* ptrace(PTRACE_ATTACH, procd) */
	OPEN_BY_PATH = 3,    /* openat(AT_FDCWD, "/", O_RDONLY) */
	MAKE_SOCKET = 4,     /* socket(AF_UNIX, SOCK_STREAM, 0) */
	SIGNAL_SIBLING = 5,  /* kill(sibling, 0) */
	READ_PROCD_MEM = 6,  /* process_vm_readv(procd, ...) */
	EXEC_BY_PATH = 7,    /* execve("/bin/true") */
	RAISE_PROCD_LIMIT = 8, /* prlimit64(procd, RLIMIT_NOFILE, new, NULL) */
	SPAWN_AS_SPAWNER = 9,  /* clone as the spawner does, with a guessed key */
	WIDEN_OWN_WINDOW = 10, /* setrlimit(RLIMIT_NOFILE) past its window, a guessed key */
	PLACE_AT_SLOT = 11,    /* dup2 onto a slot, as the spawner places one */
	ATTEMPT_COUNT
};

enum {
	NR_DUP2 = 33,
	NR_SOCKET = 41,
	NR_CLONE = 56,
	NR_EXECVE = 59,
	NR_KILL = 62,
	NR_PTRACE = 101,
	NR_SETRLIMIT = 160,
	NR_GETPPID = 110,
	NR_OPENAT = 257,
	NR_PRLIMIT64 = 302,
	NR_PROCESS_VM_READV = 310,
	NR_PIDFD_OPEN = 434,
	NR_PIDFD_GETFD = 438,
};

struct iovec_k {
	void *base;
	unsigned long len;
};

static long attempt(enum attempt which, long pid)
{
	static char path[] = "/";
	static char true_path[] = "/bin/true";
	static char *const empty[] = { 0 };
	long procd = rt_syscall6(NR_GETPPID, 0, 0, 0, 0, 0, 0);
	unsigned char local[8];
	struct iovec_k lv = { local, sizeof local }, rv = { (void *)0x400000, sizeof local };
	struct rt_rlimit lim = { 4096, 4096 };
	long fd;

	switch (which) {
	case TAKE_PROCD_FD:
		fd = rt_syscall6(NR_PIDFD_OPEN, procd, 0, 0, 0, 0, 0);
		if (fd < 0)
			return fd;
		return rt_syscall6(NR_PIDFD_GETFD, fd, 3, 0, 0, 0, 0);
	case PTRACE_PROCD:
		return rt_syscall6(NR_PTRACE, 16 /* PTRACE_ATTACH */, procd, 0, 0, 0, 0);
	case OPEN_BY_PATH:
		return rt_syscall6(NR_OPENAT, -100 /* AT_FDCWD */, (long)path, 0, 0, 0, 0);
	case MAKE_SOCKET:
		return rt_syscall6(NR_SOCKET, 1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 0, 0, 0, 0);
	case SIGNAL_SIBLING:
		return rt_syscall6(NR_KILL, pid, 0, 0, 0, 0, 0);
	case READ_PROCD_MEM:
		return rt_syscall6(NR_PROCESS_VM_READV, procd, (long)&lv, 1, (long)&rv, 1, 0);
	case EXEC_BY_PATH:
		return rt_syscall6(NR_EXECVE, (long)true_path, (long)empty, (long)empty, 0, 0, 0);
	case RAISE_PROCD_LIMIT:
		return rt_syscall6(NR_PRLIMIT64, procd, RT_RLIMIT_NOFILE, (long)&lim, 0, 0, 0);
	case SPAWN_AS_SPAWNER: {
		/* Every argument the spawner's key could be in: the guess. */
		long guess = 0x5eed5eed5eed5eedL;

		return rt_syscall6(NR_CLONE, 0x100 | 0x4000 | 0x8000 | 17 /* VM|VFORK|PARENT|SIGCHLD */, 0, guess,
			    guess, guess, 0);
	}
	case WIDEN_OWN_WINDOW:
		return rt_syscall6(NR_SETRLIMIT, RT_RLIMIT_NOFILE, (long)&lim, 0x5eed5eed5eed5eedL, 0, 0, 0);
	case PLACE_AT_SLOT:
		return rt_syscall6(NR_DUP2, 16, 17, 0x5eed5eed5eed5eedL, 0, 0, 0);
	case ATTEMPT_COUNT:
		break;
	}
	return -RT_EINVAL;
}

int helper_main(void)
{
	union helper_record r;
	size_t len;
	int st = helper_receive(NAME, &r, &len);
	long code, result;

	if (st != HELPER_MORE)
		return st;
	code = helper_exit_code(NAME, &r, len);
	if (code == HELPER_MORE)
		return helper_unexpected(NAME, &r, len, "EXIT (an attempt)");
	if ((code & 0xff) == 0 || (code & 0xff) >= ATTEMPT_COUNT) {
		rt_say(NAME ": no attempt %d\n", (int)(code & 0xff));
		return HELPER_EXIT_MALFORMED;
	}
	result = attempt((enum attempt)(code & 0xff), code >> 8);
	if (result < 0) {
		rt_say(NAME ": attempt %d refused: errno %d\n", (int)(code & 0xff), (int)-result);
		return HELPER_EXIT_FAILED;
	}
	rt_say(NAME ": attempt %d SUCCEEDED: %d\n", (int)(code & 0xff), (int)result);
	return HELPER_EXIT_OK;
}
