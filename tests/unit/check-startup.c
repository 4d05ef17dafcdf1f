/* SPDX-License-Identifier: ISC */
/*
 * procd's startup on the in-memory port: every refusal of the startup
 * envelope (core/envelope.c), each with the reason it logs and procd not
 * listening afterwards; transferred slots taken in and handed to children;
 * and the bounded text helpers every message is built with.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi/procd_envelope.h"
#include "core/abi/procd_ops.h"
#include "core/abi/procd_status.h"
#include "core/registry.h"
#include "core/text.h"
#include "tests/unit/core-rig.h"

#define ENV_MAX 4096u

/* rootd's intake, as the rig places it, to be spoiled by a case. */
static unsigned char env[ENV_MAX];
static size_t env_len;

static struct procd_envelope *header(void)
{
	return (struct procd_envelope *)(void *)env;
}

static struct procd_envelope_module *module_at(uint32_t i)
{
	return (struct procd_envelope_module *)(void *)(env + sizeof(struct procd_envelope)) + i;
}

/* Appends a transferred slot of `kind` (the header says so); the harness
 * places what it names, of `placed` kind (FAKE_NONE: nothing). */
static void add_slot(uint32_t slot, uint32_t kind, enum fake_kind placed)
{
	struct procd_envelope_slot s = { .slot = slot, .kind = kind };
	procd_cap peer;

	memcpy(env + env_len, &s, sizeof s);
	env_len += sizeof s;
	header()->nslots++;
	header()->length = (uint32_t)env_len;
	if (placed == FAKE_ENDPOINT)
		ck_assert_int_eq(fake_place_endpoint((procd_cap)slot, &peer), (procd_cap)slot);
	else if (placed == FAKE_IMAGE)
		ck_assert_int_eq(fake_place_image((procd_cap)slot, "x", 1), (procd_cap)slot);
}

static void fresh_intake(void)
{
	env_len = rig_intake(env, sizeof env);
}

/* procd refuses the envelope, logging `reason`, and listens on nothing. */
static void refuses(const char *reason)
{
	ck_assert_int_ne(procd_init(&d, env, env_len), 0);
	ck_assert_msg(strstr(fake_last_log_line(), reason) != NULL, "logged \"%s\", not \"%s\"",
		      fake_last_log_line(), reason);
	ck_assert_ptr_nonnull(strstr(fake_last_log_line(), "procd: refusing to start: startup envelope: "));
	ck_assert(!fake_cap(BOOTSTRAP_SLOT)->watched);
	ck_assert(!fake_cap(SLOT_PROCD_DRIVER_ENDPOINT)->watched);
	ck_assert_uint_eq(procd_process_count(&d), 0);
}

/* One way to spoil the envelope each, and what procd says of it. */
struct spoil {
	const char *reason;
	void (*spoil)(void);
};

static void short_header(void) { env_len = sizeof(struct procd_envelope) - 1; }
static void bad_magic(void) { header()->magic[0] = 'X'; }
static void bad_version(void) { header()->version = PROCD_ENVELOPE_VERSION + 1; }
static void reserved_set(void) { header()->reserved[1] = 1; }
static void too_many_modules(void) { header()->nmodules = PROCD_ENVELOPE_MODULES_MAX + 1; }
static void too_many_slots(void) { header()->nslots = PROCD_ENVELOPE_SLOTS_MAX + 1; }
static void length_off(void) { header()->length++; }
static void length_short(void) { env_len -= 4; header()->length = (uint32_t)env_len; }
static void other_role(void) { header()->role = ROLE_TIMED; }
static void control_moved(void) { header()->control_slot = 300; }
static void driver_moved(void) { header()->driver_slot = 300; }
static void bootstrap_low(void) { header()->bootstrap_slot = SLOT_FIRST_CAPABILITY - 1; }
static void bootstrap_huge(void) { header()->bootstrap_slot = 0x80000000u; }
static void bootstrap_twice(void) { header()->bootstrap_slot = SLOT_PROCD_DRIVER_ENDPOINT; }
static void module_flags(void) { module_at(1)->flags = 0x80; }
static void module_upper(void) { module_at(1)->name[0] = 'D'; }
static void module_empty(void) { memset(module_at(1)->name, 0, PROCD_MODULE_NAME_MAX); }
static void module_full(void) { memset(module_at(1)->name, 'a', PROCD_MODULE_NAME_MAX); }
static void module_junk(void) { module_at(1)->name[PROCD_MODULE_NAME_MAX - 1] = 'z'; }
static void module_same(void) { memcpy(module_at(2)->name, module_at(1)->name, PROCD_MODULE_NAME_MAX); }
static void module_slot_twice(void) { module_at(2)->slot = module_at(1)->slot; }
static void slot_kind(void) { add_slot(400, 7, FAKE_ENDPOINT); }
static void slot_twice(void) { add_slot(module_at(0)->slot, PROCD_CAP_IMAGE, FAKE_NONE); }
static void slot_missing(void) { add_slot(400, PROCD_CAP_ENDPOINT, FAKE_NONE); }
static void slot_wrong_kind(void) { add_slot(400, PROCD_CAP_ENDPOINT, FAKE_IMAGE); }
static void bootstrap_missing(void) { header()->bootstrap_slot = 300; }
static void bootstrap_an_image(void) { header()->bootstrap_slot = module_at(4)->slot; header()->nmodules = 4;
				       header()->length = (uint32_t)(env_len -= sizeof(struct procd_envelope_module)); }
static void module_an_endpoint(void) { module_at(0)->slot = BOOTSTRAP_SLOT + 1;
				       ck_assert_int_ge(fake_place_endpoint(BOOTSTRAP_SLOT + 1, &(procd_cap){ 0 }), 0); }
static void residual(void) { ck_assert_int_ge(fake_place_endpoint(500, &(procd_cap){ 0 }), 0); }

static const struct spoil spoils[] = {
	{ "shorter than its header", short_header },
	{ "bad magic", bad_magic },
	{ "unknown version", bad_version },
	{ "reserved header fields are not zero", reserved_set },
	{ "too many boot modules", too_many_modules },
	{ "too many transferred slots", too_many_slots },
	{ "length does not match its contents", length_off },
	{ "length does not match its contents", length_short },
	{ "not addressed to the procd role", other_role },
	{ "local control is not SLOT_KERNEL_PROCESS_ENDPOINT (slot 300)", control_moved },
	{ "driver endpoint is not SLOT_PROCD_DRIVER_ENDPOINT (slot 300)", driver_moved },
	{ "a declared slot is not a capability slot (slot 15)", bootstrap_low },
	{ "a declared slot is not a capability slot (slot 2147483648)", bootstrap_huge },
	{ "a slot is declared twice (slot 2112)", bootstrap_twice },
	{ "a boot module has a bad name or unknown flags", module_flags },
	{ "a boot module has a bad name or unknown flags", module_upper },
	{ "a boot module has a bad name or unknown flags", module_empty },
	{ "a boot module has a bad name or unknown flags", module_full },
	{ "a boot module has a bad name or unknown flags", module_junk },
	{ "two boot modules have the same name", module_same },
	{ "a slot is declared twice", module_slot_twice },
	{ "a transferred slot has an unknown kind (slot 400)", slot_kind },
	{ "a slot is declared twice", slot_twice },
	{ "transferred slot is missing (slot 400)", slot_missing },
	{ "transferred slot is not the expected kind (slot 400)", slot_wrong_kind },
	{ "bootstrap endpoint is missing (slot 300)", bootstrap_missing },
	{ "bootstrap endpoint is not the expected kind", bootstrap_an_image },
	{ "boot module image is not the expected kind", module_an_endpoint },
	{ "residual authority: procd holds a capability the envelope does not declare (slot 500)", residual },
};

START_TEST(each_spoiled_envelope_is_refused_with_its_reason)
{
	fresh_intake();
	spoils[_i].spoil();
	refuses(spoils[_i].reason);
}
END_TEST

/* Each of the three intake endpoints left out by rootd, in turn. */
START_TEST(an_intake_endpoint_rootd_did_not_place_is_missing)
{
	static const procd_cap slots[] = { SLOT_KERNEL_PROCESS_ENDPOINT, SLOT_PROCD_DRIVER_ENDPOINT, BOOTSTRAP_SLOT };
	static const char *const reasons[] = { "local control endpoint is missing (slot 2288)",
					       "driver endpoint is missing (slot 2112)",
					       "bootstrap endpoint is missing (slot 100)" };
	static const char *const names[] = { "phase0-exit" };

	fake_reset();
	env_len = fake_intake(BOOTSTRAP_SLOT, names, 1, env, sizeof env);
	ck_assert_uint_ne(env_len, 0);
	/* The same envelope on a fresh port, with all but one placed. */
	fake_reset();
	for (size_t i = 0; i < 3; i++)
		if (i != (size_t)_i)
			ck_assert_int_eq(fake_place_endpoint(slots[i], &(procd_cap){ 0 }), slots[i]);
	ck_assert_int_eq(fake_place_image(SLOT_BOOT_MODULE_BASE, "phase0-exit", 11), SLOT_BOOT_MODULE_BASE);
	ck_assert_int_eq(procd_init(&d, env, env_len), -1);
	ck_assert_ptr_nonnull(strstr(fake_last_log_line(), reasons[_i]));
}
END_TEST

START_TEST(a_transferred_endpoint_is_installed_into_children_that_may_have_it)
{
	struct procd_msg_spawn m = { .role = ROLE_TIMED, .image_module = 3 /* "timed" */ };
	unsigned before;
	uint32_t pid;

	fresh_intake();
	add_slot(SLOT_NAMED_ENDPOINT, PROCD_CAP_ENDPOINT, FAKE_ENDPOINT);
	add_slot(SLOT_KERNEL_PAGER_ENDPOINT, PROCD_CAP_ENDPOINT, FAKE_ENDPOINT);
	ck_assert_int_eq(procd_init(&d, env, env_len), 0);
	ck_assert_ptr_nonnull(strstr(fake_last_log_line(), "5 boot modules, 2 transferred slots"));
	ck_assert(fake_cap(BOOTSTRAP_SLOT)->watched);
	before = procd_holds();
	{
		struct reply r;

		ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_SPAWN_SERVICE, &m, sizeof m, &r), PROCD_OK);
		memcpy(&pid, r.body, sizeof pid);
	}
	/* its own endpoint, named's (granted) and not the pager's (not granted),
	 * and the running handle: procd holds three more */
	ck_assert_uint_eq(procd_holds(), before + 3);
	ck_assert_uint_eq(pid_op(EP_BOOTSTRAP, PROCD_OP_STOP_PROCESS, pid), PROCD_OK);
	ck_assert_uint_eq(procd_holds(), before);
	/* shutdown gives everything back */
	procd_shutdown(&d);
	ck_assert_uint_eq(procd_holds(), 0);
}
END_TEST

START_TEST(a_transferred_capability_the_platform_cannot_copy_fails_the_spawn)
{
	struct procd_msg_spawn m = { .role = ROLE_TIMED, .image_module = 3 /* "timed" */ };
	unsigned before;
	uint32_t used;

	fresh_intake();
	add_slot(SLOT_NAMED_ENDPOINT, PROCD_CAP_ENDPOINT, FAKE_ENDPOINT);
	ck_assert_int_eq(procd_init(&d, env, env_len), 0);
	before = procd_holds();
	used = procd_process_count(&d);
	fake_arm(FAKE_CALL_CAP_DUP, 1);
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_SPAWN_SERVICE, &m, sizeof m, 0), PROCD_E_IO);
	ck_assert_uint_eq(fake_fired(), 1);
	ck_assert_uint_eq(procd_holds(), before);
	ck_assert_uint_eq(procd_process_count(&d), used);
	ck_assert_uint_eq(live_processes(), 0);
}
END_TEST

/* procd listens on its intake only once it has checked all of it, and
 * refuses to run if it cannot. */
START_TEST(an_intake_endpoint_the_platform_cannot_watch_refuses_to_start)
{
	fresh_intake();
	fake_arm(FAKE_CALL_WATCH, (unsigned)_i + 1);
	ck_assert_int_eq(procd_init(&d, env, env_len), -1);
	ck_assert_str_eq(fake_last_log_line(), "procd: refusing to start: cannot watch the intake endpoints");
}
END_TEST

/* Once the port can start children, the boot plan starts the roles whose
 * modules rootd marked for boot: named at once, timed staged until its
 * kernel endpoint arrives. */
START_TEST(serving_starts_the_boot_plan)
{
	fresh_intake();
	module_at(3)->flags = PROCD_MODULE_BOOT; /* timed */
	module_at(4)->flags = PROCD_MODULE_BOOT; /* named */
	ck_assert_int_eq(procd_init(&d, env, env_len), 0);
	ck_assert_uint_eq(live_processes(), 0);
	procd_serving(&d);
	ck_assert_uint_eq(live_processes(), 1);
	ck_assert_uint_eq(procd_process_count(&d), 2);
	ck_assert_str_eq(fake_last_log_line(), "procd: boot plan done; serving requests");
}
END_TEST

/* ---- text ---- */

START_TEST(text_is_cut_at_its_capacity_and_never_overrun)
{
	char buf[8];
	struct procd_text t;

	memset(buf, 'X', sizeof buf);
	procd_text_init(&t, buf, 6);
	procd_text_str(&t, "abc");
	procd_text_u32(&t, 4294967295u);
	ck_assert_str_eq(buf, "abc42");
	ck_assert_uint_eq(t.len, 5);
	ck_assert_int_eq(buf[6], 'X');
	procd_text_init(&t, buf, 0); /* no room at all: not even the NUL */
	procd_text_str(&t, "z");
	ck_assert_uint_eq(t.len, 0);
	ck_assert_int_eq(buf[0], 'a');
}
END_TEST

START_TEST(text_numbers_fields_and_compares)
{
	char buf[64];
	struct procd_text t;
	const char field[4] = { 'a', 'b', 'c', 'd' }; /* fills its array: no NUL */

	procd_text_init(&t, buf, sizeof buf);
	procd_text_u32(&t, 0);
	procd_text_str(&t, " ");
	procd_text_hex(&t, 0);
	procd_text_str(&t, " ");
	procd_text_hex(&t, 0x1a2bu);
	procd_text_str(&t, " ");
	procd_text_hex(&t, 0xf0000000u);
	procd_text_str(&t, " ");
	procd_text_field(&t, field, sizeof field);
	procd_text_str(&t, " ");
	procd_text_field(&t, "xy\0z", 4);
	ck_assert_str_eq(buf, "0 0x0 0x1a2b 0xf0000000 abcd xy");
	ck_assert_uint_eq(procd_strnlen(field, sizeof field), 4);
	ck_assert_uint_eq(procd_strnlen("ab", 8), 2);
	ck_assert(procd_field_eq(field, sizeof field, "abcd", 4));
	ck_assert(!procd_field_eq(field, sizeof field, "abc", 3));
	ck_assert(!procd_field_eq("abce", 4, "abcd", 4));
	ck_assert(procd_bytes_eq("", "x", 0));
}
END_TEST

START_TEST(a_role_is_named_by_its_policy_or_else_by_what_it_is)
{
	static const uint32_t roles[] = { ROLE_TIMED, ROLE_ROOTD, ROLE_PROCD, 0x7ff0u };
	static const char *const names[] = { "timed", "rootd", "procd", "role 0x7ff0" };
	char buf[64];
	struct procd_text t;

	start_procd();
	procd_text_init(&t, buf, sizeof buf);
	procd_text_role(&t, &d.reg, roles[_i]);
	ck_assert_str_eq(buf, names[_i]);
}
END_TEST

static Suite *make_envelope_suite(void)
{
	Suite *s = suite_create("envelope");
	TCase *tc = tcase_create("refusals");

	tcase_add_loop_test(tc, each_spoiled_envelope_is_refused_with_its_reason, 0,
			    (int)(sizeof spoils / sizeof spoils[0]));
	tcase_add_loop_test(tc, an_intake_endpoint_rootd_did_not_place_is_missing, 0, 3);
	suite_add_tcase(s, tc);
	tc = tcase_create("transferred");
	tcase_add_test(tc, a_transferred_endpoint_is_installed_into_children_that_may_have_it);
	tcase_add_test(tc, a_transferred_capability_the_platform_cannot_copy_fails_the_spawn);
	suite_add_tcase(s, tc);
	tc = tcase_create("listening");
	tcase_add_loop_test(tc, an_intake_endpoint_the_platform_cannot_watch_refuses_to_start, 0, 2);
	tcase_add_test(tc, serving_starts_the_boot_plan);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *make_text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("builder");

	tcase_add_test(tc, text_is_cut_at_its_capacity_and_never_overrun);
	tcase_add_test(tc, text_numbers_fields_and_compares);
	tcase_add_loop_test(tc, a_role_is_named_by_its_policy_or_else_by_what_it_is, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	Suite *const suites[] = { make_envelope_suite(), make_text_suite() };

	return rig_run(suites, sizeof suites / sizeof suites[0]);
}
