/* SPDX-License-Identifier: ISC */
/*
 * The policy and op registries: what procd links in, how it is looked up,
 * and that every invariant of DESIGN.md refuses a deliberately bad table.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/registry.h"
#include "core/startup.h"

/* ---------------------------------------------------------------- linked */

START_TEST(linked_sets_are_whole)
{
	struct procd_sets sets;

	procd_sets_linked(&sets);
	ck_assert_ptr_null(sets.torn);
	ck_assert_uint_gt(sets.npolicies, 0);
	ck_assert_uint_eq(sets.norigins, sets.npolicies);
	ck_assert_uint_ge(sets.nops, 2); /* the reserved ops are always there */
	ck_assert_uint_eq(procd_registry_check(&sets, NULL, NULL), 0);
}
END_TEST

START_TEST(every_linked_policy_is_found_by_role_and_name)
{
	static struct procd_registry reg;
	struct procd_sets sets;

	procd_sets_linked(&sets);
	ck_assert_uint_eq(procd_registry_init(&reg, &sets, NULL, NULL), 0);
	for (size_t i = 0; i < sets.npolicies; i++) {
		const struct procd_policy *p = &sets.policies[i];

		ck_assert_ptr_eq(procd_policy_by_role(&reg, p->role), p);
		ck_assert_ptr_eq(procd_policy_by_name(&reg, p->name, strlen(p->name)), p);
		ck_assert_ptr_nonnull(procd_policy_origin_of(&sets, p));
	}
	for (size_t i = 0; i < sets.nops; i++)
		ck_assert_ptr_eq(procd_op_by_id(&reg, sets.ops[i].id), &sets.ops[i]);
	ck_assert_ptr_null(procd_policy_by_role(&reg, ROLE_NONE));
	ck_assert_ptr_null(procd_policy_by_role(&reg, 0xfffe));
	ck_assert_ptr_null(procd_policy_by_name(&reg, "no-such-role", 12));
	ck_assert_ptr_null(procd_policy_by_name(&reg, "time", 4)); /* a prefix is not a name */
	ck_assert_ptr_null(procd_op_by_id(&reg, 0x3ff));
}
END_TEST

START_TEST(reserved_ops_are_registered_as_denied)
{
	static struct procd_registry reg;
	struct procd_sets sets;
	const uint32_t reserved[] = { PROCD_OP_ADOPT_PROCESS, PROCD_OP_LAUNCH_LOADED_IMAGE };

	procd_sets_linked(&sets);
	ck_assert_uint_eq(procd_registry_init(&reg, &sets, NULL, NULL), 0);
	for (size_t i = 0; i < 2; i++) {
		const struct procd_op *op = procd_op_by_id(&reg, reserved[i]);

		ck_assert_ptr_nonnull(op);
		ck_assert(op->flags & PROCD_OP_DENY);
		ck_assert_ptr_null(op->handler);
	}
}
END_TEST

/* A seed role's grant, when its module is compiled into this build. */
static const struct procd_policy *linked_role(const char *name)
{
	static struct procd_registry reg;
	struct procd_sets sets;

	procd_sets_linked(&sets);
	ck_assert_uint_eq(procd_registry_init(&reg, &sets, NULL, NULL), 0);
	return procd_policy_by_name(&reg, name, strlen(name));
}

static int grants(const struct procd_policy *p, uint32_t slot)
{
	for (size_t i = 0; i < PROCD_POLICY_SLOTS && p->slots[i]; i++)
		if (p->slots[i] == slot)
			return 1;
	return 0;
}

START_TEST(seed_windows_reach_their_kernel_endpoints)
{
	static const struct { const char *role; uint32_t slot; } seed[] = {
		{ "deviced", SLOT_PROCD_DRIVER_ENDPOINT }, { "deviced", SLOT_KERNEL_LOG_ENDPOINT },
		{ "timed", SLOT_KERNEL_TIME_ENDPOINT },    { "irqd", SLOT_KERNEL_IRQ_ENDPOINT },
		{ "hotplugd", SLOT_KERNEL_HOTPLUG_ENDPOINT }, { "fbcond", SLOT_KERNEL_CONSOLE_ENDPOINT },
		{ "memd", SLOT_KERNEL_MEM_ENDPOINT },       { "vspaced", SLOT_KERNEL_VSPACE_ENDPOINT },
		{ "pagerd", SLOT_KERNEL_PAGER_ENDPOINT },   { "probed", SLOT_KERNEL_PCI_CONFIG_ENDPOINT },
		{ "drv-acpi", SLOT_KERNEL_ACPI_READ_ENDPOINT }, { "drv-serial", SLOT_KERNEL_COM1_ENDPOINT },
		{ "drv-i8042", SLOT_KERNEL_I8042_ENDPOINT },
	};
	unsigned seen = 0;

	for (size_t i = 0; i < sizeof seed / sizeof seed[0]; i++) {
		const struct procd_policy *p = linked_role(seed[i].role);

		if (!p)
			continue; /* module not selected in this build */
		seen++;
		ck_assert_msg(grants(p, seed[i].slot), "%s lacks slot %u", seed[i].role, seed[i].slot);
		ck_assert_uint_gt(p->window, seed[i].slot);
	}
	if (seen == 0)
		ck_abort_msg("no seed role is compiled in; nothing checked");
}
END_TEST

START_TEST(no_role_but_deviced_holds_the_driver_endpoint)
{
	struct procd_sets sets;

	procd_sets_linked(&sets);
	for (size_t i = 0; i < sets.npolicies; i++)
		if (grants(&sets.policies[i], SLOT_PROCD_DRIVER_ENDPOINT))
			ck_assert_str_eq(sets.policies[i].name, "deviced");
}
END_TEST

START_TEST(loader_family_sees_no_kernel_endpoint)
{
	static const char *const family[] = { "loaderd", "e2fsd", "fatd", "keyd" };

	for (size_t i = 0; i < 4; i++) {
		const struct procd_policy *p = linked_role(family[i]);

		if (!p)
			continue;
		ck_assert_uint_eq(p->window, PROCD_WINDOW_LOADER);
		for (size_t s = 0; s < PROCD_POLICY_SLOTS && p->slots[s]; s++)
			ck_assert_uint_lt(p->slots[s], SLOT_PROCD_DRIVER_ENDPOINT);
	}
}
END_TEST

/* ------------------------------------------------------------ invariants */

#define GOOD_NAME "goodd"

static struct procd_policy table[3];
static struct procd_policy_origin origins[3];
static struct procd_op ops[3];
static struct procd_sets sets;

static struct procd_finding last;
static unsigned nfindings;

static void collect(void *ctx, const struct procd_finding *f)
{
	(void)ctx;
	last = *f;
	nfindings++;
}

static uint32_t stub_handler(struct procd *d, struct procd_request *r)
{
	(void)d;
	(void)r;
	return 0;
}

static void set_origin(struct procd_policy_origin *o, const char *ident)
{
	memset(o, 0, sizeof *o);
	strcpy(o->ident, ident);
	strcpy(o->source, "test.c");
}

/* Two valid service policies and one valid op; each test breaks one thing. */
static void good_tables(void)
{
	memset(table, 0, sizeof table);
	strcpy(table[0].name, GOOD_NAME);
	table[0].role = ROLE_DECLARED_BASE;
	table[0].role_class = PROCD_CLASS_SERVICE;
	table[0].endpoint = PROCD_EP_BOOTSTRAP;
	table[0].boot_stage = PROCD_STAGE_RUNTIME;
	table[0].restart = PROCD_RESTART_ON_FAILURE;
	table[0].window = PROCD_WINDOW_SERVICE;
	table[0].requesters[0] = ROLE_ROOTD;
	table[0].slots[0] = SLOT_SELF_ENDPOINT;
	strcpy(table[0].image, GOOD_NAME);
	table[1] = table[0];
	strcpy(table[1].name, "drv-good");
	strcpy(table[1].image, "drv-good");
	table[1].role = ROLE_DECLARED_BASE + 1;
	table[1].role_class = PROCD_CLASS_DRIVER;
	table[1].endpoint = PROCD_EP_DRIVER;
	table[1].boot_stage = PROCD_STAGE_NONE;
	set_origin(&origins[0], GOOD_NAME);
	set_origin(&origins[1], "drv_good");

	memset(ops, 0, sizeof ops);
	strcpy(ops[0].name, "STOP_PROCESS");
	ops[0].id = PROCD_OP_STOP_PROCESS;
	ops[0].endpoints = PROCD_EP_ALL;
	ops[0].callers[0] = PROCD_CALLER_ANY;
	ops[0].handler = stub_handler;

	memset(&sets, 0, sizeof sets);
	sets.policies = table;
	sets.npolicies = 2;
	sets.origins = origins;
	sets.norigins = 2;
	sets.ops = ops;
	sets.nops = 1;
	sets.handlers_known = 1;
	nfindings = 0;
	memset(&last, 0, sizeof last);
}

START_TEST(good_tables_pass)
{
	good_tables();
	ck_assert_uint_eq(procd_registry_check(&sets, collect, NULL), 0);
}
END_TEST

struct bad_case {
	const char *what;
	void (*breakit)(void);
	const char *subject;
	const char *field;
	const char *message_part;
};

static void slot_out_of_window(void) { table[0].slots[1] = PROCD_WINDOW_SERVICE; }
static void slot_below_sixteen(void) { table[0].slots[1] = 3; }
static void slot_after_end(void) { table[0].slots[2] = SLOT_NAMED_ENDPOINT; }
static void slot_twice(void) { table[0].slots[1] = SLOT_SELF_ENDPOINT; }
static void no_own_endpoint(void) { table[0].slots[0] = SLOT_LOGD_ENDPOINT; }
static void op_request_too_big(void) { ops[0].request_size = PROCD_MSG_MAX; }
static void duplicate_role(void) { table[1].role = table[0].role; }
static void shared_image(void) { strcpy(table[1].image, GOOD_NAME); }
static void duplicate_name(void)
{
	strcpy(table[1].name, GOOD_NAME);
	table[1].role_class = PROCD_CLASS_SERVICE;
	table[1].endpoint = PROCD_EP_BOOTSTRAP;
	table[1].boot_stage = PROCD_STAGE_RUNTIME;
	set_origin(&origins[1], GOOD_NAME);
}
static void driver_name_not_driver_class(void) { table[1].role_class = PROCD_CLASS_SERVICE; table[1].endpoint = PROCD_EP_BOOTSTRAP; }
static void driver_class_without_drv_name(void) { table[0].role_class = PROCD_CLASS_DRIVER; table[0].endpoint = PROCD_EP_DRIVER; table[0].boot_stage = PROCD_STAGE_NONE; }
static void driver_on_bootstrap_endpoint(void) { table[1].endpoint = PROCD_EP_BOOTSTRAP; }
static void service_on_driver_endpoint(void) { table[0].endpoint = PROCD_EP_DRIVER; }
static void endpoint_both(void) { table[0].endpoint = PROCD_EP_ALL; }
static void extension_low_id(void) { table[0].role_class = PROCD_CLASS_EXTENSION; table[0].boot_stage = PROCD_STAGE_NONE; }
static void service_at_extension_id(void) { table[0].role = SERVICE_ROLE_EXTENSION_BASE; }
static void role_zero(void) { table[0].role = ROLE_NONE; }
static void name_empty(void) { memset(table[0].name, 0, sizeof table[0].name); }
static void name_unterminated(void) { memset(table[0].name, 'a', sizeof table[0].name); }
static void name_uppercase(void) { strcpy(table[0].name, "Goodd"); }
static void window_too_small(void) { table[0].window = 16; }
static void window_too_large(void) { table[0].window = PROCD_WINDOW_MAX + 1; }
static void bad_class(void) { table[0].role_class = 9; }
static void bad_stage(void) { table[0].boot_stage = 7; }
static void bad_restart(void) { table[0].restart = 3; }
static void unknown_flag(void) { table[0].flags = 0x80; }
static void no_requesters(void) { table[0].requesters[0] = 0; }
static void requester_twice(void) { table[0].requesters[1] = ROLE_ROOTD; }
static void no_image(void) { table[0].image[0] = '\0'; }
static void reserved_set(void) { table[0].reserved[3] = 1; }
static void driver_at_boot(void) { table[1].boot_stage = PROCD_STAGE_RUNTIME; }
static void service_in_foundation_stage(void) { table[0].boot_stage = PROCD_STAGE_FOUNDATION; }
static void foundation_not_in_foundation_stage(void) { table[0].role_class = PROCD_CLASS_FOUNDATION; }
static void origin_missing(void) { set_origin(&origins[1], "drv_other"); }
static void op_twice(void) { ops[1] = ops[0]; sets.nops = 2; }
static void op_no_endpoint(void) { ops[0].endpoints = 0; }
static void op_unknown_endpoint(void) { ops[0].endpoints = 0x8; }
static void op_any_not_alone(void) { ops[0].callers[1] = ROLE_ROOTD; }
static void op_no_callers(void) { ops[0].callers[0] = 0; }
static void op_deny_with_handler(void) { ops[0].flags = PROCD_OP_DENY; }
static void op_without_handler(void) { ops[0].handler = NULL; }
static void op_unknown_flag(void) { ops[0].flags = 0x10; }

static const struct bad_case bad_cases[] = {
	{ "slot outside window", slot_out_of_window, GOOD_NAME, "slots", "outside the window of 32" },
	{ "slot below 16", slot_below_sixteen, GOOD_NAME, "slots", "below 16" },
	{ "slot after terminator", slot_after_end, GOOD_NAME, "slots", "follows a 0" },
	{ "slot listed twice", slot_twice, GOOD_NAME, "slots", "twice" },
	{ "own endpoint not listed", no_own_endpoint, GOOD_NAME, "slots", "SLOT_SELF_ENDPOINT" },
	{ "op body too big", op_request_too_big, "STOP_PROCESS", "request_size", "PROCD_MSG_MAX" },
	{ "duplicate role id", duplicate_role, "drv-good", "role", "declared twice" },
	{ "duplicate role name", duplicate_name, GOOD_NAME, "name", "declared twice" },
	{ "image shared by two roles", shared_image, "drv-good", "image", "also by '" GOOD_NAME "'" },
	{ "drv-* name, service class", driver_name_not_driver_class, "drv-good", "role_class", "must be PROCD_CLASS_DRIVER" },
	{ "driver class, plain name", driver_class_without_drv_name, GOOD_NAME, "role_class", "only drv-*" },
	{ "driver on bootstrap endpoint", driver_on_bootstrap_endpoint, "drv-good", "endpoint", "requested on PROCD_EP_DRIVER" },
	{ "service on driver endpoint", service_on_driver_endpoint, GOOD_NAME, "endpoint", "only drivers" },
	{ "both endpoints", endpoint_both, GOOD_NAME, "endpoint", "exactly one" },
	{ "extension below base", extension_low_id, GOOD_NAME, "role", ">= SERVICE_ROLE_EXTENSION_BASE" },
	{ "service at extension id", service_at_extension_id, GOOD_NAME, "role", "only extension roles" },
	{ "role id 0", role_zero, GOOD_NAME, "role", "outside 1.." },
	{ "empty name", name_empty, "", "name", "1-23 characters" },
	{ "unterminated name", name_unterminated, "aaaaaaaaaaaaaaaaaaaaaaaa", "name", "1-23 characters" },
	{ "uppercase name", name_uppercase, "Goodd", "name", "1-23 characters" },
	{ "window too small for its slots", window_too_small, GOOD_NAME, "slots", "outside the window of 16" },
	{ "window above max", window_too_large, GOOD_NAME, "window", "outside 16.." },
	{ "unknown class", bad_class, GOOD_NAME, "role_class", "unknown class" },
	{ "unknown boot stage", bad_stage, GOOD_NAME, "boot_stage", "unknown boot stage" },
	{ "unknown restart", bad_restart, GOOD_NAME, "restart", "unknown restart" },
	{ "unknown flag", unknown_flag, GOOD_NAME, "flags", "unknown flag" },
	{ "no requester", no_requesters, GOOD_NAME, "requesters", "can never start" },
	{ "requester twice", requester_twice, GOOD_NAME, "requesters", "twice" },
	{ "no image", no_image, GOOD_NAME, "image", "boot module" },
	{ "reserved bytes", reserved_set, GOOD_NAME, "reserved", "zero" },
	{ "driver in boot plan", driver_at_boot, "drv-good", "boot_stage", "only on request" },
	{ "service in foundation stage", service_in_foundation_stage, GOOD_NAME, "boot_stage", "only foundation" },
	{ "foundation outside foundation stage", foundation_not_in_foundation_stage, GOOD_NAME, "boot_stage", "starts in PROCD_STAGE_FOUNDATION" },
	{ "policy without origin", origin_missing, "drv-good", "name", "PROCD_POLICY(ident)" },
	{ "op id twice", op_twice, "STOP_PROCESS", "id", "registered twice" },
	{ "op without endpoint", op_no_endpoint, "STOP_PROCESS", "endpoints", "non-empty" },
	{ "op unknown endpoint", op_unknown_endpoint, "STOP_PROCESS", "endpoints", "non-empty" },
	{ "op ANY with others", op_any_not_alone, "STOP_PROCESS", "callers", "stands alone" },
	{ "op with no caller", op_no_callers, "STOP_PROCESS", "callers", "no caller" },
	{ "reserved op with handler", op_deny_with_handler, "STOP_PROCESS", "handler", "has no handler" },
	{ "op without handler", op_without_handler, "STOP_PROCESS", "handler", "needs a handler" },
	{ "op unknown flag", op_unknown_flag, "STOP_PROCESS", "flags", "unknown flag" },
};

START_TEST(each_invariant_refuses_its_bad_table)
{
	const struct bad_case *c = &bad_cases[_i];
	static struct procd_registry reg;

	good_tables();
	c->breakit();
	ck_assert_msg(procd_registry_init(&reg, &sets, collect, NULL) > 0, "%s: accepted", c->what);
	ck_assert_msg(nfindings == 1, "%s: %u findings, last: %s", c->what, nfindings, last.message);
	ck_assert_msg(strcmp(last.subject, c->subject) == 0, "%s: subject '%s'", c->what, last.subject);
	ck_assert_msg(strcmp(last.field, c->field) == 0, "%s: field '%s' (%s)", c->what, last.field,
		      last.message);
	ck_assert_msg(strstr(last.message, c->message_part) != NULL, "%s: message '%s'", c->what,
		      last.message);
	/* A refused registry indexes nothing: no lookup can reach a bad entry. */
	ck_assert_ptr_null(procd_policy_by_role(&reg, table[0].role));
	ck_assert_ptr_null(procd_op_by_id(&reg, PROCD_OP_STOP_PROCESS));
}
END_TEST

/* Two roles with no image are each told to name one, not also told they
 * share it. */
START_TEST(two_missing_images_are_not_a_shared_one)
{
	good_tables();
	table[0].image[0] = '\0';
	table[1].image[0] = '\0';
	nfindings = 0;
	ck_assert_uint_eq(procd_registry_check(&sets, collect, NULL), 2);
	ck_assert_str_eq(last.field, "image");
	ck_assert_ptr_nonnull(strstr(last.message, "must name the role's boot module"));
}
END_TEST

START_TEST(finding_names_file_role_and_field)
{
	char buf[320];
	struct procd_text t;

	good_tables();
	slot_out_of_window();
	ck_assert_uint_eq(procd_registry_check(&sets, collect, NULL), 1);
	procd_text_init(&t, buf, sizeof buf);
	procd_finding_format(&last, &t);
	ck_assert_str_eq(buf, "test.c: 'goodd', field 'slots': slot 32 is outside the window of 32");
}
END_TEST

static void format_last(char *buf, size_t cap)
{
	struct procd_text t;

	procd_text_init(&t, buf, cap);
	procd_finding_format(&last, &t);
}

START_TEST(numbers_end_where_the_sentence_does)
{
	char buf[320];

	good_tables();
	slot_below_sixteen();
	ck_assert_uint_eq(procd_registry_check(&sets, collect, NULL), 1);
	format_last(buf, sizeof buf);
	ck_assert_str_eq(buf, "test.c: 'goodd', field 'slots': slot 3 is below 16 (slots 0-15 are never capabilities)");
}
END_TEST

/* The later declaration is the one that clashed: its file leads, and the
 * earlier one is named beside it, the id in hex as the ABI headers write it. */
START_TEST(duplicate_id_names_both_files_in_hex)
{
	char buf[320];

	good_tables();
	strcpy(origins[1].source, "vendor.c");
	duplicate_role();
	ck_assert_uint_eq(procd_registry_check(&sets, collect, NULL), 1);
	format_last(buf, sizeof buf);
	ck_assert_str_eq(buf, "vendor.c: 'drv-good', field 'role': role id 0x40 is declared twice: "
			      "also by 'goodd' in test.c");
}
END_TEST

START_TEST(name_and_identifier_errors_name_the_file)
{
	char buf[320];

	good_tables();
	strcpy(origins[0].source, "bad.c");
	name_uppercase();
	ck_assert_uint_ge(procd_registry_check(&sets, collect, NULL), 1);
	format_last(buf, sizeof buf);
	ck_assert_msg(strncmp(buf, "bad.c: 'Goodd', field 'name'", 28) == 0, "%s", buf);

	good_tables();
	origin_missing();
	strcpy(origins[1].source, "vendor.c");
	ck_assert_uint_eq(procd_registry_check(&sets, collect, NULL), 1);
	format_last(buf, sizeof buf);
	ck_assert_msg(strncmp(buf, "vendor.c: 'drv-good', field 'name'", 34) == 0, "%s", buf);
}
END_TEST

START_TEST(torn_section_is_refused_without_reading_entries)
{
	good_tables();
	sets.torn = "procd_policies";
	ck_assert_uint_eq(procd_registry_check(&sets, collect, NULL), 1);
	ck_assert_str_eq(last.field, "procd_policies");
	ck_assert_ptr_nonnull(strstr(last.message, "padding"));
}
END_TEST

START_TEST(empty_registry_is_consistent)
{
	static struct procd_registry reg;
	struct procd_sets empty;

	memset(&empty, 0, sizeof empty);
	ck_assert_uint_eq(procd_registry_init(&reg, &empty, NULL, NULL), 0);
	ck_assert_ptr_null(procd_policy_by_role(&reg, ROLE_TIMED));
	ck_assert_ptr_null(procd_op_by_id(&reg, PROCD_OP_ADOPT_PROCESS));
}
END_TEST

START_TEST(file_readers_cannot_judge_handlers)
{
	good_tables();
	ops[0].handler = NULL;
	sets.handlers_known = 0;
	ck_assert_uint_eq(procd_registry_check(&sets, collect, NULL), 0);
}
END_TEST

/* -------------------------------------------------------------- lookups */

/* n valid extension policies and their origins, declared in descending
 * role order with shuffled names (n prime to 37 keeps the names unique). */
static void many_policies(struct procd_policy *many, struct procd_policy_origin *many_origins, unsigned n,
			  struct procd_sets *s)
{
	for (unsigned i = 0; i < n; i++) {
		struct procd_policy *p = &many[i];

		good_tables();
		*p = table[0];
		p->role = SERVICE_ROLE_EXTENSION_BASE + (n - i);
		p->role_class = PROCD_CLASS_EXTENSION;
		p->boot_stage = PROCD_STAGE_NONE;
		snprintf(p->name, sizeof p->name, "r%03u", (i * 37u) % n);
		snprintf(p->image, sizeof p->image, "%s", p->name);
		set_origin(&many_origins[i], p->name);
	}
	memset(s, 0, sizeof *s);
	s->policies = many;
	s->npolicies = n;
	s->origins = many_origins;
	s->norigins = n;
}

START_TEST(lookup_is_by_sorted_index)
{
	static struct procd_policy many[PROCD_MAX_POLICIES];
	static struct procd_policy_origin many_origins[PROCD_MAX_POLICIES];
	static struct procd_registry reg;
	struct procd_sets s;

	/* The index, not the link order, makes lookup work. */
	many_policies(many, many_origins, PROCD_MAX_POLICIES, &s);
	ck_assert_uint_eq(procd_registry_init(&reg, &s, NULL, NULL), 0);
	for (unsigned i = 0; i < PROCD_MAX_POLICIES; i++) {
		ck_assert_ptr_eq(procd_policy_by_role(&reg, many[i].role), &many[i]);
		ck_assert_ptr_eq(procd_policy_by_name(&reg, many[i].name, 4), &many[i]);
	}
}
END_TEST

START_TEST(too_many_policies_is_refused)
{
	static struct procd_policy many[PROCD_MAX_POLICIES + 1];
	static struct procd_policy_origin many_origins[PROCD_MAX_POLICIES + 1];
	struct procd_sets s;

	/* Every one valid: the count alone is wrong. */
	many_policies(many, many_origins, PROCD_MAX_POLICIES + 1, &s);
	nfindings = 0;
	ck_assert_uint_eq(procd_registry_check(&s, collect, NULL), 1);
	ck_assert_str_eq(last.message, "more policies than PROCD_MAX_POLICIES");
}
END_TEST

/* -------------------------------------------------------------- startup */

START_TEST(startup_accepts_the_linked_registry)
{
	static struct procd_registry reg;

	ck_assert_int_eq(procd_startup_registry(&reg), 0);
	ck_assert_uint_gt(reg.sets.npolicies, 0);
}
END_TEST

static Suite *make_linked_suite(void)
{
	Suite *s = suite_create("linked registry");
	TCase *tc = tcase_create("linked");

	tcase_add_test(tc, linked_sets_are_whole);
	tcase_add_test(tc, every_linked_policy_is_found_by_role_and_name);
	tcase_add_test(tc, reserved_ops_are_registered_as_denied);
	tcase_add_test(tc, seed_windows_reach_their_kernel_endpoints);
	tcase_add_test(tc, no_role_but_deviced_holds_the_driver_endpoint);
	tcase_add_test(tc, loader_family_sees_no_kernel_endpoint);
	tcase_add_test(tc, startup_accepts_the_linked_registry);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *make_invariant_suite(void)
{
	Suite *s = suite_create("invariants");
	TCase *tc = tcase_create("invariants");

	tcase_add_test(tc, good_tables_pass);
	tcase_add_loop_test(tc, each_invariant_refuses_its_bad_table, 0,
			    (int)(sizeof bad_cases / sizeof bad_cases[0]));
	tcase_add_test(tc, finding_names_file_role_and_field);
	tcase_add_test(tc, two_missing_images_are_not_a_shared_one);
	tcase_add_test(tc, numbers_end_where_the_sentence_does);
	tcase_add_test(tc, duplicate_id_names_both_files_in_hex);
	tcase_add_test(tc, name_and_identifier_errors_name_the_file);
	tcase_add_test(tc, torn_section_is_refused_without_reading_entries);
	tcase_add_test(tc, empty_registry_is_consistent);
	tcase_add_test(tc, file_readers_cannot_judge_handlers);
	tcase_add_test(tc, too_many_policies_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *make_lookup_suite(void)
{
	Suite *s = suite_create("lookup");
	TCase *tc = tcase_create("lookup");

	tcase_add_test(tc, lookup_is_by_sorted_index);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(make_linked_suite());
	int failed;

	srunner_add_suite(sr, make_invariant_suite());
	srunner_add_suite(sr, make_lookup_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
