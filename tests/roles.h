/* SPDX-License-Identifier: ISC */
/*
 * The Check suites' has_role and need_role (tests/lib.sh has the shell
 * tests'): a test that needs a role module (roles/NAME/) is added only when
 * configure compiled it in, and otherwise is reported skipped, with the
 * configure argument that left it out.
 */
#ifndef PROCD_TESTS_ROLES_H
#define PROCD_TESTS_ROLES_H

#include <stdio.h>
#include <string.h>

/* Whether role module name is compiled in: configure's PROCD_ROLES_LEFT_OUT
 * (config.h) lists, comma-separated, the ones it is not. */
static inline int has_role(const char *name)
{
	const char *p = PROCD_ROLES_LEFT_OUT;
	size_t len = strlen(name);

	while (*p != '\0') {
		size_t n = strcspn(p, ",");

		if (n == len && strncmp(p, name, len) == 0)
			return 0;
		p += n + (p[n] == ',');
	}
	return 1;
}

static inline void say_skipped(const char *test, const char *role)
{
	printf("SKIP: %s: %s role not compiled in (configure --disable-roles=%s)\n", test, role,
	       PROCD_ROLES_LEFT_OUT);
}

/* tcase_add_test of a test that needs role module role. */
#define tcase_add_test_needing(tc, role, test) \
	(has_role(role) ? tcase_add_test(tc, test) : say_skipped(#test, role))

#endif
