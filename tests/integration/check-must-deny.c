/* SPDX-License-Identifier: ISC */
/*
 * Must-deny checks generated from the registry, not written per role: for
 * each role compiled into this procd (read from the binary the way
 * procd-policy reads it), stage the role as one of its requesters would and
 * install every slot its policy does not allow: every capability slot
 * core/abi/procd_slots.h declares (PROCD_SLOT_TABLE), and a few others inside and outside its
 * window. Each install is refused with PROCD_E_DENIED, and procd holds no
 * more descriptors afterwards than before (every refused one was closed).
 *
 * Requesters the test can stand in for: rootd (it is the bootstrap peer)
 * and deviced, for roles requested on the driver endpoint (a relay child
 * staged as deviced holds the minted driver alias; see check-daemon.c). A
 * role requested by neither is skipped with a note, never silently.
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/abi/procd_slots.h"
#include "tests/integration/rig.h"
#include "tools/abi_names.h"
#include "tools/registry_file.h"

static struct registry_file reg;
static struct rig r;

/* The canonical slots: the ABI's one table of them. */
#define CANON_ROW_(id, number, name, kind, cap, server, holder) { "SLOT_" #id, number },
static const struct {
	const char *name;
	uint32_t slot;
} canon[] = { PROCD_SLOT_TABLE(CANON_ROW_) };
#undef CANON_ROW_
static const size_t ncanon = sizeof canon / sizeof canon[0];

/* procd's own rule (core/lifecycle.c): listed, and inside the window. */
static int allowed(const struct procd_policy *p, uint32_t slot)
{
	if (slot >= p->window)
		return 0;
	for (size_t i = 0; i < PROCD_POLICY_SLOTS && p->slots[i] != 0; i++)
		if (p->slots[i] == slot)
			return 1;
	return 0;
}

static int lists(const uint32_t *ids, size_t max, uint32_t id)
{
	for (size_t i = 0; i < max && ids[i] != 0; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* The slots to try: the canonical ones, then others the ABI does not name,
 * at the edges of this role's window and of the CSpace. */
static size_t candidates(const struct procd_policy *p, uint32_t *out, size_t max)
{
	const uint32_t w = p->window;
	const uint32_t others[] = { 0, 2, 5, 15, 23, 31, 40, 47, 63, 100, 1000,
				    w ? w - 1 : 0, w, w + 1, PROCD_WINDOW_MAX - 1, PROCD_WINDOW_MAX,
				    65536, UINT32_MAX };
	size_t n = 0;

	for (size_t i = 0; i < ncanon + sizeof others / sizeof others[0]; i++) {
		uint32_t s = i < ncanon ? canon[i].slot : others[i - ncanon];
		int seen = 0;

		if (i < ncanon && s < SLOT_FIRST_CAPABILITY)
			continue; /* not a capability slot */
		for (size_t k = 0; k < n; k++)
			seen |= out[k] == s;
		if (!seen && !allowed(p, s) && n < max)
			out[n++] = s;
	}
	return n;
}


/* How the test can ask for a role, or NULL (with why) when it cannot. */
enum route { ROUTE_NONE, ROUTE_ROOTD, ROUTE_DEVICED };

static enum route route_of(const struct procd_policy *p, const char **why)
{
	const struct procd_policy *d = registry_policy_by_role(&reg, ROLE_DEVICED);

	if (lists(p->requesters, PROCD_POLICY_REQUESTERS, ROLE_ROOTD))
		return ROUTE_ROOTD;
	*why = "its requesters include neither rootd nor deviced";
	if (!lists(p->requesters, PROCD_POLICY_REQUESTERS, ROLE_DEVICED))
		return ROUTE_NONE;
	*why = "deviced requests it on the bootstrap endpoint, and the relay speaks on the driver one";
	if (p->endpoint != PROCD_EP_DRIVER)
		return ROUTE_NONE;
	*why = "this build has no deviced that rootd may stage holding the driver endpoint";
	if (!d || !lists(d->requesters, PROCD_POLICY_REQUESTERS, ROLE_ROOTD) ||
	    d->endpoint != PROCD_EP_BOOTSTRAP || !allowed(d, SLOT_PROCD_DRIVER_ENDPOINT))
		return ROUTE_NONE;
	return ROUTE_DEVICED;
}

/* deviced, running the relay, holding procd's driver endpoint: its alias
 * speaks to procd as deviced on the driver endpoint. */
static int as_deviced(void)
{
	pid_t known[256];
	size_t nknown = boot_children_of(r.procd, known, 256);
	uint32_t pid;
	int alias, grant;

	ck_assert_int_eq(rig_create(r.ep, ROLE_DEVICED, &pid, &alias, &grant), PROCD_OK);
	ck_assert_int_eq(boot_install(grant, SLOT_PROCD_DRIVER_ENDPOINT, -1), PROCD_OK);
	close(grant);
	ck_assert_int_eq(rig_start(&r, r.ep, pid, "deviced"), PROCD_OK);
	ck_assert_int_gt(new_child(r.procd, known, nknown), 0);
	return alias;
}

static void name_of(const struct procd_policy *p, char *buf, size_t size)
{
	size_t n = strnlen(p->name, sizeof p->name);

	snprintf(buf, size, "%.*s", (int)n, p->name);
}

/* One install that must be refused; returns how many were tried. */
static unsigned refuse(int grant, uint32_t slot, int fd, const char *role)
{
	int64_t st = boot_install(grant, slot, fd);

	ck_assert_msg(st == PROCD_E_DENIED, "%s: installing slot %" PRIu32 " %s gave status %lld,"
		      " not PROCD_E_DENIED", role, slot, fd < 0 ? "(minted)" : "(passed in)",
		      (long long)st);
	return 1;
}

START_TEST(every_slot_outside_the_grant_is_refused)
{
	const struct procd_policy *p = &reg.policies[_i];
	uint32_t slots[sizeof canon / sizeof canon[0] + 32], pid;
	size_t n, before;
	int ep, alias, grant, sv[2], relay = -1;
	unsigned tried = 0;
	const char *why = NULL;
	enum route route = route_of(p, &why);
	char role[PROCD_NAME_MAX + 1];

	name_of(p, role, sizeof role);
	if (route == ROUTE_NONE) {
		printf("must-deny: role %s (0x%03" PRIx32 ") skipped: %s\n", role, p->role, why);
		return;
	}
	rig_up(&r);
	if (route == ROUTE_DEVICED)
		ep = relay = as_deviced();
	else
		ep = p->endpoint == PROCD_EP_DRIVER ? r.drv : r.ep;
	ck_assert_msg(rig_create(ep, p->role, &pid, &alias, &grant) == PROCD_OK,
		      "%s: could not be staged by %s", role, route == ROUTE_DEVICED ? "deviced" : "rootd");
	before = rig_procd_fds(&r);
	ck_assert_int_eq(boot_pair(sv), 0);
	n = candidates(p, slots, sizeof slots / sizeof slots[0]);
	for (size_t i = 0; i < n; i++) {
		/* procd mints its own endpoints: asking for one is refused as
		 * surely as passing one in. */
		if (slots[i] == SLOT_PROCD_ENDPOINT || slots[i] == SLOT_PROCD_DRIVER_ENDPOINT)
			tried += refuse(grant, slots[i], -1, role);
		tried += refuse(grant, slots[i], sv[1], role);
	}
	ck_assert_uint_gt(tried, ncanon / 2);
	close(sv[0]);
	close(sv[1]);
	ck_assert_msg(rig_procd_fds(&r) == before, "%s: procd holds %zu descriptors after %u refused"
		      " installs, %zu before", role, rig_procd_fds(&r), tried, before);
	ck_assert_int_eq(rig_pid_op(ep, PROCD_OP_ABORT_STAGED_PROCESS, pid), PROCD_OK);
	close(alias);
	close(grant);
	if (relay >= 0)
		close(relay);
	printf("must-deny: role %s (0x%03" PRIx32 "): %u installs refused\n", role, p->role, tried);
	rig_down(&r);
}
END_TEST

/* The canonical slots come from the header: it must still have them, and
 * procd-policy must have a name for each (a review names slots by them). */
START_TEST(the_header_names_the_canonical_slots)
{
	ck_assert_uint_ge(ncanon, 20);
	for (size_t i = 0; i < ncanon; i++) {
		ck_assert_msg(abi_slot_name(canon[i].slot) != NULL,
			      "%s (%" PRIu32 ") has no name in tools/abi_names.c", canon[i].name,
			      canon[i].slot);
	}
}
END_TEST

/* A role the test cannot reach is skipped, not failed; that must not
 * quietly cover the seed's own roles (ids below the extension base, fixed
 * in policies/), which every build can route. */
START_TEST(every_seed_role_is_checked)
{
	unsigned routed = 0;

	for (size_t i = 0; i < reg.npolicies; i++) {
		const struct procd_policy *p = &reg.policies[i];
		const char *why = "";
		enum route route = route_of(p, &why);

		routed += route != ROUTE_NONE;
		ck_assert_msg(route != ROUTE_NONE || p->role >= SERVICE_ROLE_EXTENSION_BASE,
			      "seed role 0x%03" PRIx32 " would be skipped: %s", p->role, why);
	}
	ck_assert_uint_gt(routed, 0);
}
END_TEST

int main(void)
{
	const char *bin = getenv("PROCD_BINARY") ? getenv("PROCD_BINARY") : "./procd";
	struct elf_error err;
	Suite *s = suite_create("must-deny");
	TCase *tc = tcase_create("registry");
	int failed;

	if (registry_load(&reg, bin, &err) != 0) {
		fprintf(stderr, "check-must-deny: %s: %s\n", bin, err.msg);
		return EXIT_FAILURE;
	}
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, the_header_names_the_canonical_slots);
	tcase_add_test(tc, every_seed_role_is_checked);
	tcase_add_loop_test(tc, every_slot_outside_the_grant_is_refused, 0, (int)reg.npolicies);
	suite_add_tcase(s, tc);
	failed = rig_run(s);
	registry_free(&reg);
	return failed;
}
