/* SPDX-License-Identifier: ISC */
/*
 * Capability mode, hosted (FreeBSD's cap_enter is the model; procd's own
 * confinement follows OpenBSD's pledge after start-up). On EriX a child's
 * only authority is its CSpace; here it is its descriptors, and these
 * filters take away every system call that reaches past them: opening or
 * creating by name, making sockets, ptrace-class access, signalling or
 * changing other processes, mounts and namespaces.
 *
 * The allowlist is the table below, the one place that says what a child,
 * the spawner and procd may call, and why. Everything not on it kills the
 * caller (SECCOMP_RET_KILL_PROCESS, SIGSYS: procd reports the child
 * faulted). Not EPERM: a call off the list is a bug or an attack, which
 * should end the image rather than let it probe on.
 *
 * libseccomp builds the filters (it knows the syscall numbers, the
 * architecture check and the x32 trap, and argument tests are readable);
 * at startup, into static BPF programs; the spawner and procd install
 * theirs with the raw seccomp(2) call.
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
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/port.h"
#include "core/port/linux/log.h"
#include "core/port/linux/sandbox.h"

/*
 * Who may make a call. Children are created by the spawner, a small
 * process procd starts before it confines itself; the spawner's filter is
 * attached once and every child inherits it, so no child pays for a filter
 * of its own (attaching one costs a JIT compilation, several times a
 * vfork-and-exec on a virtual machine). The spawner's few steps beyond the
 * child's list (placing descriptors, the window, the session, the death
 * signal, Landlock, the clone itself) are allowed only with the spawn key
 * in an argument the kernel ignores for that call: a random 64-bit value
 * read at start-up that lives only in procd's and the spawner's memory,
 * which no child can read (no ptrace-class call, no /proc by name) and
 * which an image does not have after exec. A wrong guess is a call off the
 * list, which kills the child.
 */
enum who { CHILD = 1, PROCD = 2, BOTH = 3, SPAWNER = 4 };

/* Argument tests, where the call alone would be too much authority. */
enum arg_test {
	ANY,
	EXEC_BY_FD,       /* execveat(fd >= 0, "", ..., AT_EMPTY_PATH): only a held image */
	RLIMIT_READ_SELF, /* prlimit64(0, _, NULL, _): read its own limits */
	FCNTL_FD,         /* descriptor flags and dups; not F_SETOWN/F_SETSIG (signals) */
	FCNTL_FD_SEALS,   /* the same, and sealing image memory */
	ENDPOINT_PAIR,    /* socketpair(AF_UNIX, SOCK_SEQPACKET|SOCK_CLOEXEC, 0): an alias */
	KEYED,            /* the spawn key in argument key_arg */
	KEYED_CLONE,      /* exactly the spawner's flags; the key in every ignored argument */
	KEYED_WINDOW,     /* setrlimit(RLIMIT_NOFILE, _, key) */
	KEYED_PDEATHSIG,  /* prctl(PR_SET_PDEATHSIG, _, _, _, key) */
};

struct allowed {
	int nr;
	unsigned char who;
	unsigned char test;
	unsigned char key_arg; /* KEYED: the argument the call ignores */
	const char *why;
};

/* The spawner's clone: a child sharing its memory until exec (CLONE_VM,
 * CLONE_VFORK), with a copy of its small descriptor table, whose parent is
 * procd (CLONE_PARENT), so procd holds its pidfd and collects it. */
#define SPAWN_CLONE_FLAGS (CLONE_VM | CLONE_VFORK | CLONE_PARENT | SIGCHLD)

/* clang-format off */
static const struct allowed allowlist[] = {
	/* What the helper images call (helpers/rt/sys.c), and the exec. */
	{ SCMP_SYS(write),           BOTH,  ANY, 0,            "logs, the child's stderr" },
	{ SCMP_SYS(close),           BOTH,  ANY, 0,            "dropping a held descriptor" },
	{ SCMP_SYS(sendmsg),         BOTH,  ANY, 0,            "messages on held endpoints" },
	{ SCMP_SYS(recvmsg),         BOTH,  ANY, 0,            "messages on held endpoints" },
	{ SCMP_SYS(pread64),         BOTH,  ANY, 0,            "loaderd reads the file it was handed" },
	{ SCMP_SYS(lseek),           BOTH,  ANY, 0,            "loaderd sizes the file it was handed" },
	{ SCMP_SYS(mmap),            BOTH,  ANY, 0,            "memory; mapping a held image" },
	{ SCMP_SYS(munmap),          BOTH,  ANY, 0,            "memory" },
	{ SCMP_SYS(fcntl),           CHILD, FCNTL_FD, 0,       "is a slot occupied (F_GETFD); lifting a capability" },
	{ SCMP_SYS(fcntl),           PROCD, FCNTL_FD_SEALS, 0, "dups, image seals" },
	{ SCMP_SYS(prlimit64),       CHILD, RLIMIT_READ_SELF, 0, "the helper reads its window" },
	{ SCMP_SYS(execveat),        CHILD, EXEC_BY_FD, 0,     "the child execs its image descriptor" },
	{ SCMP_SYS(getpid),          BOTH,  ANY, 0,            "who it is: no authority" },
	{ SCMP_SYS(getppid),         BOTH,  ANY, 0,            "who procd is: no authority; the child checks procd lives" },
	{ SCMP_SYS(exit),            BOTH,  ANY, 0,            "a spawn that failed before exec" },
	{ SCMP_SYS(exit_group),      BOTH,  ANY, 0,            "ending" },
	{ SCMP_SYS(rt_sigreturn),    BOTH,  ANY, 0,            "returning from a signal" },
	{ SCMP_SYS(restart_syscall), BOTH,  ANY, 0,            "an interrupted call resumed" },
	/* The spawner's steps: each only with the spawn key. */
	{ SCMP_SYS(clone),           SPAWNER, KEYED_CLONE, 0,  "creating a child for procd" },
	{ SCMP_SYS(dup2),            SPAWNER, KEYED, 2,        "placing a capability at its slot" },
	{ SCMP_SYS(close_range),     SPAWNER, KEYED, 3,        "closing all but the child's capabilities" },
	{ SCMP_SYS(setrlimit),       SPAWNER, KEYED_WINDOW, 2, "the child's window (RLIMIT_NOFILE)" },
	{ SCMP_SYS(setsid),          SPAWNER, KEYED, 0,        "the child's own session" },
	{ SCMP_SYS(prctl),           SPAWNER, KEYED_PDEATHSIG, 4, "the child dies with procd" },
	{ SCMP_SYS(landlock_create_ruleset), SPAWNER, KEYED, 3, "the child's Landlock domain" },
	{ SCMP_SYS(landlock_add_rule), SPAWNER, KEYED, 4,      "the child's Landlock domain" },
	{ SCMP_SYS(landlock_restrict_self), SPAWNER, KEYED, 2, "the child's Landlock domain" },
	/* procd's loop. */
	{ SCMP_SYS(read),            PROCD, ANY, 0,            "the signalfd" },
	{ SCMP_SYS(epoll_wait),      PROCD, ANY, 0,            "the request loop" },
	{ SCMP_SYS(epoll_pwait),     PROCD, ANY, 0,            "the request loop" },
	{ SCMP_SYS(epoll_ctl),       PROCD, ANY, 0,            "watching endpoints and pidfds" },
	{ SCMP_SYS(fstat),           PROCD, ANY, 0,            "the kind and identity of a held descriptor" },
	{ SCMP_SYS(getsockopt),      PROCD, ANY, 0,            "the kind of a held descriptor" },
	{ SCMP_SYS(clock_gettime),   PROCD, ANY, 0,            "deadlines (when the vDSO falls back)" },
	{ SCMP_SYS(socketpair),      PROCD, ENDPOINT_PAIR, 0,  "minting an endpoint alias (unnamed, unbound)" },
	/* procd's image memory. */
	{ SCMP_SYS(memfd_create),    PROCD, ANY, 0,            "new image memory; the spawn reserve (anonymous)" },
	{ SCMP_SYS(ftruncate),       PROCD, ANY, 0,            "sizing image memory" },
	{ SCMP_SYS(pwrite64),        PROCD, ANY, 0,            "filling image memory" },
	{ SCMP_SYS(fallocate),       PROCD, ANY, 0,            "zeroing image memory" },
	/* procd's half of spawning: asking the spawner, holding the child. */
	{ SCMP_SYS(pidfd_open),      PROCD, ANY, 0,            "a handle on a child the spawner made (procd's own)" },
	{ SCMP_SYS(waitid),          PROCD, ANY, 0,            "collecting its own children (pidfd)" },
	{ SCMP_SYS(pidfd_send_signal), PROCD, ANY, 0,          "stopping its own children (pidfd)" },
};
/* clang-format on */

#define MAX_INSNS 1024

struct program {
	struct sock_filter insns[MAX_INSNS];
	struct sock_fprog prog;
};

static struct program spawner_program;
static struct program procd_program;
static uint64_t spawn_key;

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
	const scmp_datum_t key = spawn_key;
	int rc = 0;

	switch ((enum arg_test)a->test) {
	case ANY:
		return seccomp_rule_add(ctx, allow, a->nr, 0);
	case EXEC_BY_FD:
		return seccomp_rule_add(ctx, allow, a->nr, 2, ARG_MASKED_EQ(0, 0x80000000u, 0),
					ARG_MASKED_EQ(4, AT_EMPTY_PATH, AT_EMPTY_PATH));
	case RLIMIT_READ_SELF:
		return seccomp_rule_add(ctx, allow, a->nr, 2, ARG_EQ(0, 0), ARG_EQ(2, 0));
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
	case ENDPOINT_PAIR:
		return seccomp_rule_add(ctx, allow, a->nr, 3, ARG_EQ(0, AF_UNIX),
					ARG_EQ(1, SOCK_SEQPACKET | SOCK_CLOEXEC), ARG_EQ(2, 0));
	case KEYED:
		return seccomp_rule_add(ctx, allow, a->nr, 1, ARG_EQ(a->key_arg, key));
	case KEYED_CLONE:
		/* The thread-id and TLS arguments sit in a different order on
		 * different architectures; the spawner puts the key in all
		 * three, none of which these flags let the kernel use. */
		return seccomp_rule_add(ctx, allow, a->nr, 4, ARG_EQ(0, SPAWN_CLONE_FLAGS), ARG_EQ(2, key),
					ARG_EQ(3, key), ARG_EQ(4, key));
	case KEYED_WINDOW:
		return seccomp_rule_add(ctx, allow, a->nr, 2, ARG_EQ(0, RLIMIT_NOFILE), ARG_EQ(a->key_arg, key));
	case KEYED_PDEATHSIG:
		return seccomp_rule_add(ctx, allow, a->nr, 2, ARG_EQ(0, PR_SET_PDEATHSIG), ARG_EQ(a->key_arg, key));
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

	if (getrandom(&spawn_key, sizeof spawn_key, 0) != (ssize_t)sizeof spawn_key) {
		linux_log_errno("procd: cannot read the spawn key", errno);
		return -1;
	}
	if (build(CHILD | SPAWNER, &spawner_program) != 0 || build(PROCD, &procd_program) != 0) {
		linux_log_errno("procd: cannot build the seccomp filters", errno);
		return -1;
	}
	/* Landlock is a second layer: a kernel without it (ENOSYS) or with it
	 * disabled (EOPNOTSUPP) leaves the seccomp filter alone in force. */
	abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1u /* LANDLOCK_CREATE_RULESET_VERSION */);
	landlock_abi = abi > 0 ? (int)abi : 0;
	return 0;
}

void linux_sandbox_forget_key(void)
{
	explicit_bzero(&spawn_key, sizeof spawn_key);
	explicit_bzero(&spawner_program, sizeof spawner_program);
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
	ruleset = syscall(SYS_landlock_create_ruleset, &attr, size, 0, spawn_key);
	if (ruleset < 0)
		return "create a Landlock ruleset";
	if (syscall(SYS_landlock_add_rule, (int)ruleset, LL_RULE_PATH_BENEATH, &rule, 0, spawn_key) != 0 &&
	    errno != EBADFD) {
		close((int)ruleset);
		return "let Landlock pass the image";
	}
	if (syscall(SYS_landlock_restrict_self, (int)ruleset, 0, spawn_key) != 0) {
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
	if (syscall(SYS_setsid, spawn_key) < 0)
		return "start a session";
	/* Dies with procd; and if procd died before this line, the child was
	 * already given to another parent and must not run at all. */
	if (syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, spawn_key) != 0)
		return "tie its life to procd's";
	if (getppid() != procd_pid) {
		errno = ESRCH;
		return "find procd alive";
	}
	if (landlock_abi > 0)
		return enter_landlock(image);
	return NULL;
}

int linux_sandbox_place(int from, int slot)
{
	return (int)syscall(SYS_dup2, from, slot, spawn_key);
}

int linux_sandbox_close_range(unsigned int first, unsigned int last)
{
	return (int)syscall(SYS_close_range, first, last, 0, spawn_key);
}

int linux_sandbox_set_window(unsigned int window)
{
	struct rlimit rl = { window, window };

	return (int)syscall(SYS_setrlimit, RLIMIT_NOFILE, &rl, spawn_key);
}

pid_t linux_sandbox_clone(int (*fn)(void *), void *stack_top, void *arg)
{
	pid_t *key = (pid_t *)(uintptr_t)spawn_key;

	return clone(fn, stack_top, SPAWN_CLONE_FLAGS, arg, key, (void *)key, key);
}

const char *linux_sandbox_enter_spawner(void)
{
	sigset_t none;

	/* Children inherit the spawner's mask and its no_new_privs. */
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) != 0)
		return "clear its signal mask";
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return "set no_new_privs";
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &spawner_program.prog) != 0)
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
