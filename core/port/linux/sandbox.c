/* SPDX-License-Identifier: ISC */
/*
 * Capability mode, hosted (FreeBSD's cap_enter is the model; procd's own
 * confinement follows OpenBSD's pledge after start-up). On EriX a child's
 * only authority is its CSpace; here it is its descriptors, and these
 * filters take away every system call that reaches past them: opening or
 * creating by name, making sockets, ptrace-class access, signalling or
 * changing other processes, mounts and namespaces.
 *
 * The allowlist is the table below, the one place that says what a child
 * and what procd may call, and why. Everything not on it kills the caller
 * (SECCOMP_RET_KILL_PROCESS, SIGSYS: procd reports the child faulted). Not
 * EPERM: procd's own filter is inherited by every child and the strictest
 * of stacked filters wins, so a child's refusal could not be EPERM for
 * every call anyway; and a call off the list is a bug or an attack, which
 * should end the image rather than let it probe on.
 *
 * libseccomp builds the filters (it knows the syscall numbers, the
 * architecture check and the x32 trap, and argument tests are readable);
 * at startup, into a static BPF program, because the vfork child shares
 * procd's memory and must not allocate: the child installs it with the raw
 * seccomp(2) call.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/port/linux/linux.h"
#include "core/port/linux/sandbox.h"

/* Who may make a call. The child's filter stacks on procd's (it inherits
 * it), so what the child does before exec must be on procd's list too. */
enum who { CHILD = 1, PROCD = 2, BOTH = 3 };

/* Argument tests, where the call alone would be too much authority. */
enum arg_test {
	ANY,
	EXEC_BY_FD,       /* execveat(fd >= 0, "", ..., AT_EMPTY_PATH): only a held image */
	RLIMIT_READ_SELF, /* prlimit64(0, _, NULL, _): read its own limits */
	RLIMIT_SELF,      /* prlimit64(0, ...): its own limits (the child's window) */
	FCNTL_FD,         /* descriptor flags and dups; not F_SETOWN/F_SETSIG (signals) */
	FCNTL_FD_SEALS,   /* the same, and sealing image memory */
	CLONE_SPAWN,      /* exactly the flags port_process_start uses */
	PRCTL_CHILD,      /* PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS */
	SECCOMP_FILTER,   /* SECCOMP_SET_MODE_FILTER: a filter only ever narrows */
	ENDPOINT_PAIR,    /* socketpair(AF_UNIX, SOCK_SEQPACKET|SOCK_CLOEXEC, 0): an alias */
};

struct allowed {
	int nr;
	unsigned char who;
	unsigned char test;
	const char *why;
};

/* clang-format off */
static const struct allowed allowlist[] = {
	/* What the helper images call (helpers/rt/sys.c), and the exec. */
	{ SCMP_SYS(write),           BOTH,  ANY,            "logs, the child's stderr" },
	{ SCMP_SYS(close),           BOTH,  ANY,            "dropping a held descriptor" },
	{ SCMP_SYS(sendmsg),         BOTH,  ANY,            "messages on held endpoints" },
	{ SCMP_SYS(recvmsg),         BOTH,  ANY,            "messages on held endpoints" },
	{ SCMP_SYS(pread64),         BOTH,  ANY,            "loaderd reads the file it was handed" },
	{ SCMP_SYS(lseek),           BOTH,  ANY,            "loaderd sizes the file it was handed" },
	{ SCMP_SYS(mmap),            BOTH,  ANY,            "memory; mapping a held image" },
	{ SCMP_SYS(munmap),          BOTH,  ANY,            "memory" },
	{ SCMP_SYS(fcntl),           CHILD, FCNTL_FD,       "is a slot occupied (F_GETFD)" },
	{ SCMP_SYS(fcntl),           PROCD, FCNTL_FD_SEALS, "dups, image seals" },
	{ SCMP_SYS(prlimit64),       CHILD, RLIMIT_READ_SELF, "the helper reads its window" },
	{ SCMP_SYS(prlimit64),       PROCD, RLIMIT_SELF,    "the spawned child sets its window" },
	{ SCMP_SYS(execveat),        BOTH,  EXEC_BY_FD,     "the child execs its image descriptor" },
	{ SCMP_SYS(getpid),          BOTH,  ANY,            "who it is: no authority" },
	{ SCMP_SYS(getppid),         BOTH,  ANY,            "who procd is: no authority; the child checks procd lives" },
	{ SCMP_SYS(exit),            BOTH,  ANY,            "a spawn that failed before exec" },
	{ SCMP_SYS(exit_group),      BOTH,  ANY,            "ending" },
	{ SCMP_SYS(rt_sigreturn),    BOTH,  ANY,            "returning from a signal" },
	{ SCMP_SYS(restart_syscall), BOTH,  ANY,            "an interrupted call resumed" },
	/* procd's loop. */
	{ SCMP_SYS(read),            PROCD, ANY,            "the signalfd" },
	{ SCMP_SYS(epoll_wait),      PROCD, ANY,            "the request loop" },
	{ SCMP_SYS(epoll_pwait),     PROCD, ANY,            "the request loop" },
	{ SCMP_SYS(epoll_ctl),       PROCD, ANY,            "watching endpoints and pidfds" },
	{ SCMP_SYS(fstat),           PROCD, ANY,            "the kind and identity of a held descriptor" },
	{ SCMP_SYS(getsockopt),      PROCD, ANY,            "the kind of a held descriptor" },
	{ SCMP_SYS(clock_gettime),   PROCD, ANY,            "deadlines (when the vDSO falls back)" },
	{ SCMP_SYS(rt_sigprocmask),  PROCD, ANY,            "the child clears its mask" },
	{ SCMP_SYS(socketpair),      PROCD, ENDPOINT_PAIR,  "minting an endpoint alias (unnamed, unbound)" },
	/* procd's image memory. */
	{ SCMP_SYS(memfd_create),    PROCD, ANY,            "new image memory (anonymous)" },
	{ SCMP_SYS(ftruncate),       PROCD, ANY,            "sizing image memory" },
	{ SCMP_SYS(pwrite64),        PROCD, ANY,            "filling image memory" },
	{ SCMP_SYS(fallocate),       PROCD, ANY,            "zeroing image memory" },
	/* Spawning: procd's half, and the child's steps before its own filter. */
	{ SCMP_SYS(clone),           PROCD, CLONE_SPAWN,    "creating a child" },
	{ SCMP_SYS(waitid),          PROCD, ANY,            "collecting its own children (pidfd)" },
	{ SCMP_SYS(pidfd_send_signal), PROCD, ANY,          "stopping its own children (pidfd)" },
	{ SCMP_SYS(dup3),            PROCD, ANY,            "placing a child's capabilities" },
	{ SCMP_SYS(dup2),            PROCD, ANY,            "placing a child's capabilities" },
	{ SCMP_SYS(close_range),     PROCD, ANY,            "the child's private descriptor table" },
	{ SCMP_SYS(setsid),          PROCD, ANY,            "the child's own session" },
	{ SCMP_SYS(prctl),           PROCD, PRCTL_CHILD,    "the child's death signal, no_new_privs" },
	{ SCMP_SYS(landlock_create_ruleset), PROCD, ANY,    "the child's Landlock domain" },
	{ SCMP_SYS(landlock_add_rule), PROCD, ANY,          "the child's Landlock domain" },
	{ SCMP_SYS(landlock_restrict_self), PROCD, ANY,     "the child's Landlock domain" },
	{ SCMP_SYS(seccomp),         PROCD, SECCOMP_FILTER, "the child's filter" },
};
/* clang-format on */

#define MAX_INSNS 1024

struct program {
	struct sock_filter insns[MAX_INSNS];
	struct sock_fprog prog;
};

static struct program child_program;
static struct program procd_program;

/* Landlock, as far as this kernel has it (0: not at all). */
static int landlock_abi;

/* libseccomp's SCMP_A<n> leave datum_b out for one-datum tests, which
 * clang's -Wmissing-field-initializers rejects. */
#define ARG_EQ(n, v) ((struct scmp_arg_cmp){ .arg = (n), .op = SCMP_CMP_EQ, .datum_a = (v), .datum_b = 0 })
#define ARG_MASKED_EQ(n, mask, v) \
	((struct scmp_arg_cmp){ .arg = (n), .op = SCMP_CMP_MASKED_EQ, .datum_a = (mask), .datum_b = (v) })

static int add_rule(scmp_filter_ctx ctx, const struct allowed *a)
{
	const uint32_t allow = SCMP_ACT_ALLOW;
	int rc = 0;

	switch ((enum arg_test)a->test) {
	case ANY:
		return seccomp_rule_add(ctx, allow, a->nr, 0);
	case EXEC_BY_FD:
		return seccomp_rule_add(ctx, allow, a->nr, 2, ARG_MASKED_EQ(0, 0x80000000u, 0),
					ARG_MASKED_EQ(4, AT_EMPTY_PATH, AT_EMPTY_PATH));
	case RLIMIT_READ_SELF:
		return seccomp_rule_add(ctx, allow, a->nr, 2, ARG_EQ(0, 0), ARG_EQ(2, 0));
	case RLIMIT_SELF:
		return seccomp_rule_add(ctx, allow, a->nr, 1, ARG_EQ(0, 0));
	case FCNTL_FD_SEALS:
		rc |= seccomp_rule_add(ctx, allow, a->nr, 1, ARG_EQ(1, F_ADD_SEALS));
		rc |= seccomp_rule_add(ctx, allow, a->nr, 1, ARG_EQ(1, F_GET_SEALS));
		/* fall through */
	case FCNTL_FD: {
		static const int cmds[] = { F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD, F_DUPFD_CLOEXEC };

		for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
			rc |= seccomp_rule_add(ctx, allow, a->nr, 1, ARG_EQ(1, (scmp_datum_t)cmds[i]));
		return rc;
	}
	case CLONE_SPAWN:
		return seccomp_rule_add(ctx, allow, a->nr, 1,
					ARG_EQ(0, CLONE_VM | CLONE_VFORK | CLONE_FILES | CLONE_PIDFD | SIGCHLD));
	case PRCTL_CHILD:
		rc |= seccomp_rule_add(ctx, allow, a->nr, 1, ARG_EQ(0, PR_SET_PDEATHSIG));
		rc |= seccomp_rule_add(ctx, allow, a->nr, 1, ARG_EQ(0, PR_SET_NO_NEW_PRIVS));
		return rc;
	case ENDPOINT_PAIR:
		return seccomp_rule_add(ctx, allow, a->nr, 3, ARG_EQ(0, AF_UNIX),
					ARG_EQ(1, SOCK_SEQPACKET | SOCK_CLOEXEC), ARG_EQ(2, 0));
	case SECCOMP_FILTER:
		return seccomp_rule_add(ctx, allow, a->nr, 1, ARG_EQ(0, SECCOMP_SET_MODE_FILTER));
	}
	return -EINVAL;
}

/* libseccomp writes the program to a descriptor: an anonymous memfd, read
 * back into static memory. */
static int build(enum who who, struct program *out)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int fd = -1, rc = -1;
	off_t len;

	if (!ctx)
		return -1;
	for (size_t i = 0; i < sizeof allowlist / sizeof allowlist[0]; i++)
		if ((allowlist[i].who & who) && add_rule(ctx, &allowlist[i]) != 0) {
			errno = EINVAL;
			goto out;
		}
	fd = memfd_create("procd-seccomp", MFD_CLOEXEC);
	if (fd < 0 || seccomp_export_bpf(ctx, fd) != 0)
		goto out;
	len = lseek(fd, 0, SEEK_END);
	if (len <= 0 || len > (off_t)sizeof out->insns || len % (off_t)sizeof out->insns[0] != 0) {
		errno = E2BIG;
		goto out;
	}
	if (pread(fd, out->insns, (size_t)len, 0) != len)
		goto out;
	out->prog.len = (unsigned short)(len / (off_t)sizeof out->insns[0]);
	out->prog.filter = out->insns;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	seccomp_release(ctx);
	return rc;
}

int linux_sandbox_init(void)
{
	long abi;

	if (build(CHILD, &child_program) != 0 || build(PROCD, &procd_program) != 0) {
		linux_log_errno("procd: cannot build the seccomp filters", errno);
		return -1;
	}
	/* Landlock is a second layer: a kernel without it (ENOSYS) or with it
	 * disabled (EOPNOTSUPP) leaves the seccomp filter alone in force. */
	abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1u /* LANDLOCK_CREATE_RULESET_VERSION */);
	landlock_abi = abi > 0 ? (int)abi : 0;
	return 0;
}

/* The uapi structures, as of Landlock ABI 6: the system headers may be
 * older than the kernel. The size passed says which fields exist. */
struct ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct path_beneath {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

#define LL_FS_EXECUTE   (1ull << 0)
#define LL_FS_READ_FILE (1ull << 2)
#define LL_RULE_PATH_BENEATH 1

static void landlock_handled(struct ruleset_attr *a, size_t *size)
{
	memset(a, 0, sizeof *a);
	a->handled_access_fs = (1ull << 13) - 1; /* ABI 1: EXECUTE .. MAKE_SYM */
	if (landlock_abi >= 2)
		a->handled_access_fs |= 1ull << 13; /* REFER */
	if (landlock_abi >= 3)
		a->handled_access_fs |= 1ull << 14; /* TRUNCATE */
	if (landlock_abi >= 5)
		a->handled_access_fs |= 1ull << 15; /* IOCTL_DEV */
	*size = sizeof a->handled_access_fs;
	if (landlock_abi >= 4) {
		a->handled_access_net = 3; /* BIND_TCP, CONNECT_TCP */
		*size += sizeof a->handled_access_net;
	}
	if (landlock_abi >= 6) {
		a->scoped = 3; /* ABSTRACT_UNIX_SOCKET, SIGNAL */
		*size += sizeof a->scoped;
	}
}

/* The child's only filesystem access: executing (and so reading) its own
 * image. An image in memory (a memfd) is on no path at all, so Landlock
 * never stands between it and exec, and refuses a rule on it (EBADFD). */
static const char *enter_landlock(int image)
{
	struct ruleset_attr attr;
	size_t size;
	struct path_beneath rule = { LL_FS_EXECUTE | LL_FS_READ_FILE, image };
	long ruleset;

	landlock_handled(&attr, &size);
	ruleset = syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (ruleset < 0)
		return "create a Landlock ruleset";
	if (syscall(SYS_landlock_add_rule, (int)ruleset, LL_RULE_PATH_BENEATH, &rule, 0) != 0 &&
	    errno != EBADFD) {
		close((int)ruleset);
		return "let Landlock pass the image";
	}
	if (syscall(SYS_landlock_restrict_self, (int)ruleset, 0) != 0) {
		close((int)ruleset);
		return "enter the Landlock domain";
	}
	close((int)ruleset);
	return NULL;
}

const char *linux_sandbox_child_prepare(int procd_pid, int image)
{
	/* Its own session and process group: a terminal's SIGINT for procd's
	 * group never reaches a child. */
	if (setsid() < 0)
		return "start a session";
	/* Dies with procd; and if procd died before this line, the child was
	 * already given to another parent and must not run at all. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
		return "tie its life to procd's";
	if (getppid() != procd_pid) {
		errno = ESRCH;
		return "find procd alive";
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return "set no_new_privs";
	if (landlock_abi > 0)
		return enter_landlock(image);
	return NULL;
}

const char *linux_sandbox_child_filter(void)
{
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &child_program.prog) != 0)
		return "enter capability mode (seccomp)";
	return NULL;
}

int linux_sandbox_confine_procd(void)
{
#ifdef PROCD_SANITIZERS
	/* LeakSanitizer ptraces procd at exit, and the sanitizers' reports
	 * open files: a sanitizer build does not confine procd itself. Its
	 * children are confined all the same. */
	static const char line[] = "procd: sanitizer build: procd does not confine itself";

	port_log_line(line, sizeof line - 1);
	return 0;
#else
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &procd_program.prog) != 0) {
		linux_log_errno("procd: cannot confine itself", errno);
		return -1;
	}
	return 0;
#endif
}
