/* SPDX-License-Identifier: ISC */
/*
 * procd's hosted entry point. rootd (the boot shim, procd-boot) starts
 * procd with its intake already in place: the startup envelope readable on
 * descriptor 3, and every capability the envelope names at its slot.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/daemon.h"
#include "core/fault.h"
#include "core/port/linux/log.h"
#include "core/port/linux/loop.h"
#include "core/port/linux/sandbox.h"
#include "core/port/linux/spawn.h"
#include "core/port/linux/watch.h"
#include "core/startup.h"

/* The descriptor that carries the startup envelope from rootd. */
#define PROCD_ENVELOPE_FD 3
#define ENVELOPE_MAX 65536

static void usage(FILE *out)
{
	fputs("usage: procd [--check] [--version] [--help]\n"
	      "  --check    verify the compiled-in policy and op registries, then exit\n"
	      "  --version  print the version and exit\n"
	      "procd is started by rootd (procd-boot) with its startup envelope on fd 3.\n",
	      out);
}

#ifdef PROCD_FAULT_INJECTION
/* The port's own fault point: once confined, procd makes a call its filter
 * forbids, and the test sees it killed by SIGSYS. */
#define FORBIDDEN_CALL_POINT "port-forbidden-call"
static int forbidden_call_armed;

/* PROCD_FAULT=point[:nth] arms one fault point; tests only. */
static int arm_fault_from_env(void)
{
	const char *spec = getenv("PROCD_FAULT");
	size_t namelen;
	unsigned nth = 1;

	if (!spec || !*spec)
		return 0;
	if (strcmp(spec, FORBIDDEN_CALL_POINT) == 0) {
		forbidden_call_armed = 1;
		return 0;
	}
	namelen = strcspn(spec, ":");
	if (spec[namelen] == ':') {
		char *end;
		unsigned long v = strtoul(spec + namelen + 1, &end, 10);

		if (*end != '\0' || v == 0 || v > 1000000) {
			fprintf(stderr, "procd: PROCD_FAULT: bad hit count in '%s'\n", spec);
			return -1;
		}
		nth = (unsigned)v;
	}
	for (int p = 0; p < PROCD_FAULT_POINT_COUNT; p++) {
		const char *name = procd_fault_name((enum procd_fault_point)p);

		if (strlen(name) == namelen && strncmp(name, spec, namelen) == 0) {
			procd_fault_arm((enum procd_fault_point)p, nth);
			return 0;
		}
	}
	fprintf(stderr, "procd: PROCD_FAULT: unknown fault point in '%s'\n", spec);
	return -1;
}
#endif

/* The envelope's bytes; the descriptor is closed after, so it cannot count
 * as residual authority. Returns the length, or -1. */
static ssize_t read_envelope(unsigned char *buf, size_t size)
{
	size_t len = 0;

	if (fcntl(PROCD_ENVELOPE_FD, F_GETFD) < 0) {
		fputs("procd: no startup envelope on fd 3: procd is started by rootd "
		      "(procd-boot); use --check to verify this build\n", stderr);
		return -1;
	}
	for (;;) {
		ssize_t n = read(PROCD_ENVELOPE_FD, buf + len, size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "procd: cannot read the startup envelope: %s\n", strerror(errno));
			close(PROCD_ENVELOPE_FD);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == size) {
			fputs("procd: the startup envelope is larger than any valid one\n", stderr);
			close(PROCD_ENVELOPE_FD);
			return -1;
		}
	}
	close(PROCD_ENVELOPE_FD);
	return (ssize_t)len;
}

int main(int argc, char **argv)
{
	static struct procd d;
	static unsigned char envelope[ENVELOPE_MAX];
	int check_only = 0, rc;
	ssize_t len;

	/* Nobody, not even a process of procd's own uid, may read or write
	 * procd's memory or take its descriptors (ptrace access needs
	 * CAP_SYS_PTRACE from here on). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		fprintf(stderr, "procd: cannot make itself undumpable: %s\n", strerror(errno));
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--check") == 0) {
			check_only = 1;
		} else if (strcmp(argv[i], "--version") == 0) {
			puts("procd " PACKAGE_VERSION);
			return 0;
		} else if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "procd: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
#ifdef PROCD_FAULT_INJECTION
	if (arm_fault_from_env() != 0)
		return 2;
#endif
	if (check_only) {
		static struct procd_registry registry;

		return procd_startup_registry(&registry) == 0 ? 0 : 1;
	}
	if (linux_log_init() != 0) {
		fprintf(stderr, "procd: cannot set up its log: %s\n", strerror(errno));
		return 1;
	}
	len = read_envelope(envelope, sizeof envelope);
	if (len < 0)
		return 2;
	if (linux_watch_init() != 0) {
		fprintf(stderr, "procd: cannot set up the request loop: %s\n", strerror(errno));
		return 1;
	}
	if (procd_init(&d, envelope, (size_t)len) != 0)
		return 1;
	if (linux_spawn_init() != 0)
		return 1;
	/* Start-up is over: nothing by name from here on. */
	if (linux_sandbox_confine_procd() != 0)
		return 1;
#ifdef PROCD_FAULT_INJECTION
	if (forbidden_call_armed)
		syscall(SYS_openat, AT_FDCWD, "/", O_RDONLY | O_CLOEXEC);
#endif
	procd_serving(&d);
	rc = linux_serve(&d);
	linux_spawn_shutdown();
	return rc;
}
