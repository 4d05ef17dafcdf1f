/* SPDX-License-Identifier: ISC */
/* procd's hosted entry point: options, then core's startup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fault.h"
#include "core/startup.h"

static void usage(FILE *out)
{
	fputs("usage: procd [--check] [--version] [--help]\n"
	      "  --check    verify the compiled-in policy and op registries, then exit\n"
	      "  --version  print the version and exit\n",
	      out);
}

#ifdef PROCD_FAULT_INJECTION
/* PROCD_FAULT=point[:nth] arms one fault point; tests only. */
static int arm_fault_from_env(void)
{
	const char *spec = getenv("PROCD_FAULT");
	size_t namelen;
	unsigned nth = 1;

	if (!spec || !*spec)
		return 0;
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

int main(int argc, char **argv)
{
	static struct procd_registry registry;
	int check_only = 0;

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
	if (procd_startup_registry(&registry) != 0)
		return 1;
	if (check_only)
		return 0;
	fputs("procd: no startup envelope: procd is started by rootd "
	      "(the hosted boot shim); use --check to verify this build\n", stderr);
	return 2;
}
