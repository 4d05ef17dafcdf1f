/* SPDX-License-Identifier: ISC */
/*
 * The start relation, its closure and the reviewer rules, on a small model
 * built here: who a role may start (requesters inverted; loader-launch
 * roles for the callers of the loader transfer, unless it is refused), the
 * roles and slots a role reaches, and each kind of rule kept, broken and
 * malformed (tests fork: a crash fails one test).
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/policy_reach.h"
#include "tools/policy_rules.h"

struct fixture {
	struct model_role roles[4];
	struct model_op ops[2];
	struct policy_model m;
};

/* deviced starts drv-serial; rootd starts deviced and timed; loaderd may
 * transfer, and timed is loader-launch. */
static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof *f);
	f->roles[0] = (struct model_role){
		.name = "deviced", .id = ROLE_DEVICED, .role_class = PROCD_CLASS_SERVICE,
		.endpoint = PROCD_EP_BOOTSTRAP, .window = 2273, .requesters = { ROLE_ROOTD },
		.nrequesters = 1, .slots = { 16, 2112 }, .nslots = 2, .source = "deviced.c",
	};
	f->roles[1] = (struct model_role){
		.name = "timed", .id = ROLE_TIMED, .role_class = PROCD_CLASS_SERVICE,
		.endpoint = PROCD_EP_BOOTSTRAP, .window = 2129, .requesters = { ROLE_ROOTD },
		.nrequesters = 1, .slots = { 16, 2128 }, .nslots = 2,
		.flags = PROCD_POLICY_LOADER_LAUNCH, .source = "timed.c",
	};
	f->roles[2] = (struct model_role){
		.name = "loaderd", .id = ROLE_LOADERD, .role_class = PROCD_CLASS_SERVICE,
		.endpoint = PROCD_EP_BOOTSTRAP, .window = 48, .requesters = { ROLE_ROOTD },
		.nrequesters = 1, .slots = { 16, 17 }, .nslots = 2, .source = "loader.c",
	};
	f->roles[3] = (struct model_role){
		.name = "drv-serial", .id = ROLE_DRV_SERIAL, .role_class = PROCD_CLASS_DRIVER,
		.endpoint = PROCD_EP_DRIVER, .window = 2185, .requesters = { ROLE_DEVICED },
		.nrequesters = 1, .slots = { 16, 2184 }, .nslots = 2, .source = "drivers.c",
	};
	f->ops[0] = (struct model_op){
		.name = "BEGIN_LOADER_IMAGE_TRANSFER", .id = PROCD_OP_BEGIN_LOADER_IMAGE_TRANSFER,
		.endpoints = PROCD_EP_BOOTSTRAP, .callers = { ROLE_LOADERD }, .ncallers = 1,
	};
	f->m.roles = f->roles;
	f->m.nroles = 4;
	f->m.ops = f->ops;
	f->m.nops = 1;
}

START_TEST(requesters_and_the_loader_transfer_say_who_starts_whom)
{
	struct fixture f;
	uint32_t ids[8];
	unsigned ways[8];

	fixture_init(&f);
	ck_assert_uint_eq(reach_starts(&f.m, ROLE_DEVICED, ids, ways, 8), 1);
	ck_assert_uint_eq(ids[0], ROLE_DRV_SERIAL);
	ck_assert_uint_eq(ways[0], REACH_BY_REQUEST);
	ck_assert_uint_eq(reach_starts(&f.m, ROLE_LOADERD, ids, ways, 8), 1);
	ck_assert_uint_eq(ids[0], ROLE_TIMED);
	ck_assert_uint_eq(ways[0], REACH_BY_TRANSFER);
	ck_assert_uint_eq(reach_starts(&f.m, ROLE_TIMED, ids, ways, 8), 0);
	/* A refused transfer starts nothing; one open to any caller, from anyone. */
	f.ops[0].flags = PROCD_OP_DENY;
	ck_assert_uint_eq(reach_starts(&f.m, ROLE_LOADERD, ids, ways, 8), 0);
	f.ops[0].flags = 0;
	f.ops[0].callers[0] = PROCD_CALLER_ANY;
	ck_assert_uint_eq(reach_starts(&f.m, ROLE_DRV_SERIAL, ids, ways, 8), 1);
	ck_assert_uint_eq(ids[0], ROLE_TIMED);
	/* A driver-endpoint role is never started from transferred bytes. */
	f.roles[3].flags = PROCD_POLICY_LOADER_LAUNCH;
	ck_assert_uint_eq(reach_starts(&f.m, ROLE_TIMED, ids, ways, 8), 0);
}
END_TEST

START_TEST(rootd_reaches_the_drivers_through_deviced)
{
	struct fixture f;
	struct reach r;

	fixture_init(&f);
	ck_assert_int_eq(reach_compute(&r, &f.m, ROLE_ROOTD), 0);
	ck_assert_uint_eq(r.n, 5);
	ck_assert_uint_eq(r.nodes[0].role, ROLE_ROOTD);
	ck_assert_uint_eq(r.nodes[4].role, ROLE_DRV_SERIAL);
	ck_assert_uint_eq(r.nodes[4].via, ROLE_DEVICED);
	ck_assert_uint_eq(r.nodes[4].depth, 2);
	reach_free(&r);
	/* A cycle (drv-serial may start deviced) visits each role once. */
	f.roles[0].requesters[1] = ROLE_DRV_SERIAL;
	f.roles[0].nrequesters = 2;
	ck_assert_int_eq(reach_compute(&r, &f.m, ROLE_DEVICED), 0);
	ck_assert_uint_eq(r.n, 2);
	reach_free(&r);
}
END_TEST

/* Runs rules_check on the fixture, the output kept in out. */
static int check(struct fixture *f, const char *text, char *out, size_t outlen, char *err)
{
	struct rules rs;
	FILE *mem = fmemopen(out, outlen, "w");
	int rc;

	ck_assert_ptr_nonnull(mem);
	memset(out, 0, outlen);
	ck_assert_msg(rules_parse(&rs, "t.rules", text, strlen(text), err, 512) == 0, "%s", err);
	rc = rules_check(mem, &rs, &f->m, 0, err, 512);
	fclose(mem);
	rules_free(&rs);
	return rc;
}

START_TEST(each_kind_of_rule_is_kept_and_broken)
{
	static const struct {
		const char *rule;
		int broken;
		const char *says;
	} cases[] = {
		{ "only deviced may hold 2112 # why: w", 0, "" },
		{ "only timed may hold 2112 # why: w", 1, "deviced (0x010, deviced.c) holds 2112" },
		{ "no driver may hold kernel-* # why: w", 1, "drv-serial (0x031, drivers.c) holds 2184" },
		{ "no service may hold kernel-com1 # why: w", 0, "" },
		{ "no service may reach kernel-com1 # why: w", 1,
		  "deviced (0x010, deviced.c) reaches 2184 kernel-com1: drv-serial, which it may start" },
		{ "only deviced,driver may reach kernel-com1 # why: w", 0, "" },
		{ "no loaderd may reach kernel-time # why: w", 1, "loaderd (0x019, loader.c) reaches 2128" },
		{ "no drv-* may hold self # why: w", 1, "drv-serial" },
		{ "no role may hold kernel-process # why: w", 0, "" },
		{ "only memd may hold kernel-mem # why: w", 0, "" },
	};
	char out[4096], err[512];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fixture f;
		int rc;

		fixture_init(&f);
		rc = check(&f, cases[i].rule, out, sizeof out, err);
		ck_assert_msg(rc == cases[i].broken, "%s: %d broken: %s%s", cases[i].rule, rc, out, err);
		ck_assert_msg(strstr(out, cases[i].says), "%s: no '%s' in: %s", cases[i].rule,
			      cases[i].says, out);
		if (rc)
			ck_assert_msg(strstr(out, "t.rules:1: broken: ") && strstr(out, "\n  why: w\n"),
				      "%s: the rule and its why are not quoted: %s", cases[i].rule, out);
	}
}
END_TEST

START_TEST(a_name_nobody_has_is_an_error_not_a_rule_about_nobody)
{
	struct fixture f;
	char out[1024], err[512];

	fixture_init(&f);
	ck_assert_int_eq(check(&f, "\nno devcied may hold 2112 # why: w", out, sizeof out, err), -1);
	ck_assert_str_eq(err, "t.rules:2: no role 'devcied' in this build or the procd ABI");
	ck_assert_str_eq(out, "");
	/* A role of the ABI this build leaves out is fine. */
	ck_assert_int_eq(check(&f, "only memd may hold kernel-mem # why: w", out, sizeof out, err), 0);
}
END_TEST

static const struct {
	const char *text;
	const char *err;
} bad_rules[] = {
	{ "only deviced may hold 2112", "t.rules:1: the rule has no justification" },
	{ "#c\n\nonly deviced may hold 2112 #why:", "t.rules:3: the justification after 'why:' is empty" },
	{ "only deviced may hold 2112 extra # why: w", "t.rules:1: a rule is 'only|no WHO" },
	{ "only deviced must hold 2112 # why: w", "t.rules:1: a rule is 'only|no WHO" },
	{ "all deviced may hold 2112 # why: w", "t.rules:1: a rule starts with 'only' or 'no', not 'all'" },
	{ "no * may hold 2112 # why: w", "t.rules:1: '*' alone is every role: write 'role'" },
	{ "no x, may hold 2112 # why: w", "t.rules:1: an empty name" },
	{ "no x may hold 15 # why: w", "t.rules:1: slot '15' is not a number from 16 to 4095" },
	{ "no x may hold 2112x # why: w", "t.rules:1: slot '2112x' is not a number" },
	{ "no x may hold \x01 # why: w", "t.rules:1: byte 0x01 is not allowed" },
	{ "", "t.rules: no rules" },
};

START_TEST(a_malformed_rules_file_is_refused_with_its_line)
{
	struct rules rs;
	char err[512];
	const char *text = bad_rules[_i].text;

	ck_assert_int_eq(rules_parse(&rs, "t.rules", text, strlen(text), err, sizeof err), -1);
	ck_assert_msg(strncmp(err, bad_rules[_i].err, strlen(bad_rules[_i].err)) == 0,
		      "'%s': got '%s'", text, err);
	ck_assert_ptr_null(rs.rules);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("policy-rules");
	TCase *reach = tcase_create("reach"), *rules = tcase_create("rules");
	SRunner *sr;
	int failed;

	tcase_add_test(reach, requesters_and_the_loader_transfer_say_who_starts_whom);
	tcase_add_test(reach, rootd_reaches_the_drivers_through_deviced);
	suite_add_tcase(s, reach);
	tcase_add_test(rules, each_kind_of_rule_is_kept_and_broken);
	tcase_add_test(rules, a_name_nobody_has_is_an_error_not_a_rule_about_nobody);
	tcase_add_loop_test(rules, a_malformed_rules_file_is_refused_with_its_line, 0,
			    (int)(sizeof bad_rules / sizeof bad_rules[0]));
	suite_add_tcase(s, rules);

	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
