/* SPDX-License-Identifier: ISC */
/*
 * make soak: create/start/stop cycles against one procd (100,000 unless
 * told otherwise), printing procd's descriptor count and resident memory
 * every 10,000. Both must stay flat; a leak of one descriptor or a few
 * bytes per cycle shows within the first report. Not part of make check:
 * it runs for minutes.
 *
 *   tests/hostile/soak PROCD [CYCLES]   (run from the build directory)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers/proto.h"
#include "tools/bootlib.h"

#define REPORT_EVERY 10000ul

static struct boot_intake in;
static int ep;

static void die(const char *what, long long status)
{
	fprintf(stderr, "soak: %s: status %lld (%s)\n", what, status, strerror(errno));
	exit(1);
}

static long procd_fds(pid_t procd)
{
	char cmd[64];
	long n = -1;
	FILE *f;

	/* Counted by ls, so the count has nothing of this process's own. */
	snprintf(cmd, sizeof cmd, "ls /proc/%d/fd | wc -l", (int)procd);
	f = popen(cmd, "r");
	if (f && fscanf(f, "%ld", &n) != 1)
		n = -1;
	if (f)
		pclose(f);
	return n;
}

static void cycle(void)
{
	struct procd_msg_create c = { .role = ROLE_PHASE0_EXIT };
	struct procd_msg_created created;
	struct procd_msg_start s = { 0 };
	struct procd_msg_pid p = { 0 }, out;
	int caps[2] = { -1, -1 };
	size_t n = 0;
	int64_t st;

	st = boot_call(ep, PROCD_OP_CREATE_STAGED_PROCESS, &c, sizeof c, &created, sizeof created, caps, 2, &n);
	if (st != PROCD_OK || n != 2)
		die("CREATE_STAGED_PROCESS", st);
	close(caps[1]);
	s.pid = created.pid;
	st = boot_call(ep, PROCD_OP_START_STAGED_PROCESS, &s, sizeof s, &out, sizeof out, NULL, 0, NULL);
	if (st != PROCD_OK)
		die("START_STAGED_PROCESS", st);
	p.pid = created.pid;
	st = boot_call(ep, PROCD_OP_STOP_PROCESS, &p, sizeof p, &out, sizeof out, NULL, 0, NULL);
	if (st != PROCD_OK)
		die("STOP_PROCESS", st);
	close(caps[0]);
}

int main(int argc, char **argv)
{
	unsigned long cycles = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000ul;
	int devnull, saved, status;
	pid_t procd;

	if (argc < 2) {
		fputs("usage: soak PROCD [CYCLES]\n", stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (boot_raise_fd_limit() != 0 || boot_intake_init(&in) != 0 ||
	    boot_add_module(&in, "phase0-exit", "helpers/phase0-exit") != 0)
		die("setting up procd's intake", -1);
	/* procd logs every cycle: not to the terminal. */
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	saved = dup(STDERR_FILENO);
	dup2(devnull, STDERR_FILENO);
	procd = boot_launch(&in, argv[1], NULL);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(devnull);
	if (procd < 0)
		die("launching procd", -1);
	ep = in.bootstrap[1];
	printf("soak: %lu create/start/stop cycles against procd (pid %d)\n", cycles, (int)procd);
	printf("%10s %6s %10s\n", "cycles", "fds", "RSS KiB");
	printf("%10lu %6ld %10ld\n", 0ul, procd_fds(procd), boot_status_field(procd, "VmRSS"));
	fflush(stdout);
	for (unsigned long i = 1; i <= cycles; i++) {
		cycle();
		if (i % REPORT_EVERY == 0 || i == cycles) {
			printf("%10lu %6ld %10ld\n", i, procd_fds(procd), boot_status_field(procd, "VmRSS"));
			fflush(stdout);
		}
	}
	boot_intake_close(&in);
	if (waitpid(procd, &status, 0) != procd || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "soak: procd ended with status %#x\n", status);
		return 1;
	}
	return 0;
}
