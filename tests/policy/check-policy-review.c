/* SPDX-License-Identifier: ISC */
/*
 * The review model, its record and its diff, held to procd-policy(1): each
 * rule of the widening/narrowing table on a change made to one fact; the
 * record written from this build's procd read back to the same model and
 * the same bytes; hostile names surviving the round trip; malformed records
 * refused with their line; and every cut or flipped copy of a record read
 * without a crash (tests fork: a crash fails one test).
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/policy_diff.h"
#include "tools/policy_lock.h"
#include "tools/policy_model.h"
#include "tools/registry_file.h"
#include "tools/role_modules.h"

/* ------------------------------------------------------------ fixtures */

struct fixture {
	struct model_role roles[4];
	struct model_op ops[4];
	struct policy_model m;
};

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof *f);
	f->roles[0] = (struct model_role){
		.name = "timed", .id = ROLE_TIMED, .role_class = PROCD_CLASS_SERVICE,
		.endpoint = PROCD_EP_BOOTSTRAP, .boot_stage = PROCD_STAGE_RUNTIME,
		.restart = PROCD_RESTART_ON_FAILURE, .window = 2129,
		.requesters = { ROLE_ROOTD, ROLE_PROCD }, .nrequesters = 2,
		.slots = { 16, 19, 2128 }, .nslots = 3, .image = "timed", .source = "timed.c",
	};
	f->roles[1] = (struct model_role){
		.name = "drv-serial", .id = ROLE_DRV_SERIAL, .role_class = PROCD_CLASS_DRIVER,
		.endpoint = PROCD_EP_DRIVER, .restart = PROCD_RESTART_ON_FAILURE, .window = 2185,
		.requesters = { ROLE_DEVICED }, .nrequesters = 1,
		.slots = { 16, 2184 }, .nslots = 2, .image = "drv-serial", .source = "drivers.c",
	};
	f->ops[0] = (struct model_op){
		.name = "ADOPT_PROCESS", .id = PROCD_OP_ADOPT_PROCESS, .endpoints = PROCD_EP_ALL,
		.flags = PROCD_OP_DENY, .callers = { PROCD_CALLER_ANY }, .ncallers = 1,
	};
	f->ops[1] = (struct model_op){
		.name = "STOP_PROCESS", .id = PROCD_OP_STOP_PROCESS, .endpoints = PROCD_EP_BOOTSTRAP,
		.callers = { ROLE_DEVICED }, .ncallers = 1,
	};
	/* deviced's declared quota on timed; the defaults on drv-serial. */
	for (uint32_t q = 0; q < MODEL_QUOTAS; q++) {
		f->roles[0].quota[q] = q == QUOTA_CHILDREN || q == QUOTA_WAITS ? 8 : model_quota_default(q);
		f->roles[1].quota[q] = model_quota_default(q);
	}
	f->roles[0].quota_declared = 1u << QUOTA_CHILDREN | 1u << QUOTA_WAITS;
	f->m.roles = f->roles;
	f->m.nroles = 2;
	f->m.ops = f->ops;
	f->m.nops = 2;
}

static struct model_role *timed(struct fixture *f) { return &f->roles[0]; }
static struct model_op *stop(struct fixture *f) { return &f->ops[1]; }

/* Keeps a list a sorted set after an edit, as the model promises. */
static void resort(struct fixture *f)
{
	for (size_t i = 0; i < f->m.nroles; i++) {
		f->roles[i].nslots = model_sort_ids(f->roles[i].slots, f->roles[i].nslots);
		f->roles[i].nrequesters = model_sort_ids(f->roles[i].requesters, f->roles[i].nrequesters);
	}
	for (size_t i = 0; i < f->m.nops; i++)
		f->ops[i].ncallers = model_sort_ids(f->ops[i].callers, f->ops[i].ncallers);
}

/* ------------------------------------------------------------ the rules */

static void slot_added(struct fixture *f) { timed(f)->slots[timed(f)->nslots++] = SLOT_PEER_ENDPOINT; }
static void slot_removed(struct fixture *f) { timed(f)->nslots--; }
static void window_grown(struct fixture *f) { timed(f)->window++; }
static void window_shrunk(struct fixture *f) { timed(f)->window--; }
static void requester_added(struct fixture *f) { timed(f)->requesters[timed(f)->nrequesters++] = ROLE_DEVICED; }
static void requester_removed(struct fixture *f) { timed(f)->nrequesters--; }
static void endpoint_changed(struct fixture *f) { timed(f)->endpoint = PROCD_EP_DRIVER; }
static void class_changed(struct fixture *f) { timed(f)->role_class = PROCD_CLASS_FOUNDATION; }
static void stage_changed(struct fixture *f) { timed(f)->boot_stage = PROCD_STAGE_FOUNDATION; }
static void restart_changed(struct fixture *f) { timed(f)->restart = PROCD_RESTART_ALWAYS; }
static void image_changed(struct fixture *f) { strcpy(timed(f)->image, "other"); }
static void source_changed(struct fixture *f) { strcpy(timed(f)->source, "vendor.c"); }
static void name_changed(struct fixture *f) { strcpy(timed(f)->name, "clockd"); }
static void quota_raised(struct fixture *f) { timed(f)->quota[QUOTA_CHILDREN] = 64; }
static void quota_lowered(struct fixture *f) { timed(f)->quota[QUOTA_WAITS] = 2; }
static void image_quota_raised(struct fixture *f)
{
	timed(f)->quota[QUOTA_IMAGE_KIB] *= 2;
	timed(f)->quota_declared |= 1u << QUOTA_IMAGE_KIB;
}
/* The default's value, now declared: procd applies the same bound. */
static void quota_declared(struct fixture *f) { timed(f)->quota_declared |= 1u << QUOTA_TRANSFERS; }
static void flag_added(struct fixture *f) { timed(f)->flags = PROCD_POLICY_LOADER_LAUNCH; }
static void role_added(struct fixture *f)
{
	f->roles[2] = f->roles[0];
	f->roles[2].id = ROLE_DECLARED_BASE;
	strcpy(f->roles[2].name, "acme");
	f->m.nroles = 3;
}
static void role_removed(struct fixture *f) { f->m.nroles = 1; }
static void op_added(struct fixture *f)
{
	f->ops[2] = f->ops[1];
	f->ops[2].id = 0x4f0;
	f->m.nops = 3;
}
static void deny_op_added(struct fixture *f)
{
	f->ops[2] = f->ops[0];
	f->ops[2].id = 0x4f0;
	f->m.nops = 3;
}
static void op_removed(struct fixture *f) { f->m.nops = 1; }
static void deny_op_removed(struct fixture *f) { f->ops[0] = f->ops[1]; f->m.nops = 1; }
static void op_endpoint_added(struct fixture *f) { stop(f)->endpoints = PROCD_EP_ALL; }
static void caller_added(struct fixture *f) { stop(f)->callers[stop(f)->ncallers++] = ROLE_TIMED; }
static void caller_removed(struct fixture *f) { stop(f)->ncallers = 0; }
static void deny_added(struct fixture *f) { stop(f)->flags = PROCD_OP_DENY; }
static void takes_cap_added(struct fixture *f) { stop(f)->flags = PROCD_OP_TAKES_CAP; }
static void trailing_added(struct fixture *f) { stop(f)->flags = PROCD_OP_TRAILING; }
static void deny_removed(struct fixture *f) { f->ops[0].flags = 0; }

struct rule {
	const char *what;
	void (*mutate)(struct fixture *);
	int reverse;        /* compare new -> old: the opposite change */
	const char *field;
	const char *change;
	enum diff_effect effect;
};

static const struct rule rules[] = {
	{ "slot added", slot_added, 0, "slot", "added", EFFECT_WIDENING },
	{ "slot removed", slot_removed, 0, "slot", "removed", EFFECT_NARROWING },
	{ "window grown", window_grown, 0, "window", "grown", EFFECT_WIDENING },
	{ "window shrunk", window_shrunk, 0, "window", "shrunk", EFFECT_NARROWING },
	{ "requester added", requester_added, 0, "requester", "added", EFFECT_WIDENING },
	{ "requester removed", requester_removed, 0, "requester", "removed", EFFECT_NARROWING },
	{ "endpoint changed", endpoint_changed, 0, "endpoint", "changed", EFFECT_WIDENING },
	{ "endpoint changed back", endpoint_changed, 1, "endpoint", "changed", EFFECT_WIDENING },
	{ "class changed", class_changed, 0, "class", "changed", EFFECT_NEUTRAL },
	{ "boot stage changed", stage_changed, 0, "boot-stage", "changed", EFFECT_NEUTRAL },
	{ "restart changed", restart_changed, 0, "restart", "changed", EFFECT_NEUTRAL },
	{ "image changed", image_changed, 0, "image", "changed", EFFECT_IMAGE },
	{ "source changed", source_changed, 0, "source", "changed", EFFECT_NEUTRAL },
	{ "name changed", name_changed, 0, "name", "changed", EFFECT_NEUTRAL },
	{ "flag added", flag_added, 0, "flag", "added", EFFECT_WIDENING },
	{ "flag removed", flag_added, 1, "flag", "removed", EFFECT_NARROWING },
	{ "role added", role_added, 0, "role", "added", EFFECT_WIDENING },
	{ "role removed", role_removed, 0, "role", "removed", EFFECT_NARROWING },
	{ "op added", op_added, 0, "op", "added", EFFECT_WIDENING },
	{ "op removed", op_removed, 0, "op", "removed", EFFECT_NARROWING },
	{ "deny op added", deny_op_added, 0, "op", "added", EFFECT_NEUTRAL },
	{ "deny op removed", deny_op_removed, 0, "op", "removed", EFFECT_NEUTRAL },
	{ "op endpoint added", op_endpoint_added, 0, "endpoint", "added", EFFECT_WIDENING },
	{ "op endpoint removed", op_endpoint_added, 1, "endpoint", "removed", EFFECT_NARROWING },
	{ "caller added", caller_added, 0, "caller", "added", EFFECT_WIDENING },
	{ "caller removed", caller_removed, 0, "caller", "removed", EFFECT_NARROWING },
	{ "deny added", deny_added, 0, "flag", "added", EFFECT_NARROWING },
	{ "takes-cap added", takes_cap_added, 0, "flag", "added", EFFECT_WIDENING },
	{ "takes-cap removed", takes_cap_added, 1, "flag", "removed", EFFECT_NARROWING },
	{ "trailing added", trailing_added, 0, "flag", "added", EFFECT_WIDENING },
	{ "deny removed", deny_removed, 0, "flag", "removed", EFFECT_WIDENING },
	{ "quota raised", quota_raised, 0, "quota children", "grown", EFFECT_WIDENING },
	{ "quota lowered back", quota_raised, 1, "quota children", "shrunk", EFFECT_NARROWING },
	{ "quota lowered", quota_lowered, 0, "quota waits", "shrunk", EFFECT_NARROWING },
	{ "image quota raised", image_quota_raised, 0, "quota image-kib", "grown", EFFECT_WIDENING },
	{ "quota declared", quota_declared, 0, "quota transfers", "changed", EFFECT_NEUTRAL },
};

/* One fact changed: exactly one change, of that field, labelled by the rule. */
START_TEST(each_rule_labels_its_change)
{
	const struct rule *r = &rules[_i];
	struct fixture a, b;
	struct policy_diff d;

	fixture_init(&a);
	fixture_init(&b);
	r->mutate(&b);
	resort(&b);
	ck_assert_int_eq(diff_models(&d, r->reverse ? &b.m : &a.m, r->reverse ? &a.m : &b.m, 0), 0);
	ck_assert_msg(d.n == 1, "%s: %zu changes, expected 1", r->what, d.n);
	ck_assert_str_eq(d.changes[0].field, r->field);
	ck_assert_str_eq(d.changes[0].change, r->change);
	ck_assert_msg(d.changes[0].effect == r->effect, "%s: labelled %s", r->what,
		      diff_effect_name(d.changes[0].effect));
	ck_assert_uint_eq(d.count[r->effect], 1);
	diff_free(&d);
}
END_TEST

START_TEST(no_change_is_no_change)
{
	struct fixture a, b;
	struct policy_diff d;

	fixture_init(&a);
	fixture_init(&b);
	ck_assert_int_eq(diff_models(&d, &a.m, &b.m, 0), 0);
	ck_assert_uint_eq(d.n, 0);
	diff_free(&d);
}
END_TEST

/* Opening an op to any caller widens; the named callers it replaces were
 * covered by "any", so their going is neutral, and the same back. */
START_TEST(the_any_caller_covers_named_ones)
{
	struct fixture a, b;
	struct policy_diff d;

	fixture_init(&a);
	fixture_init(&b);
	stop(&b)->callers[0] = PROCD_CALLER_ANY;
	ck_assert_int_eq(diff_models(&d, &a.m, &b.m, 0), 0);
	ck_assert_uint_eq(d.n, 2);
	ck_assert_uint_eq(d.count[EFFECT_WIDENING], 1);
	ck_assert_uint_eq(d.count[EFFECT_NEUTRAL], 1);
	ck_assert_str_eq(d.changes[0].new_value, "any");
	diff_free(&d);
	ck_assert_int_eq(diff_models(&d, &b.m, &a.m, 0), 0);
	ck_assert_uint_eq(d.count[EFFECT_NARROWING], 1);
	ck_assert_uint_eq(d.count[EFFECT_NEUTRAL], 1);
	diff_free(&d);
	/* With "any" on both sides, a named caller changes nothing. */
	stop(&a)->callers[0] = PROCD_CALLER_ANY;
	stop(&b)->callers[1] = ROLE_TIMED;
	stop(&b)->ncallers = 2;
	resort(&b);
	ck_assert_int_eq(diff_models(&d, &a.m, &b.m, 0), 0);
	ck_assert_uint_eq(d.n, 1);
	ck_assert_uint_eq(d.count[EFFECT_NEUTRAL], 1);
	diff_free(&d);
}
END_TEST

/* A role on one side only is shown whole: a reviewer judges a new role
 * from that one line, its image, boot stage and quota among the rest. */
START_TEST(an_added_role_is_summarised_whole)
{
	struct fixture a, b;
	struct policy_diff d;

	fixture_init(&a);
	fixture_init(&b);
	a.m.nroles = 1; /* drv-serial is new in b */
	ck_assert_int_eq(diff_models(&d, &a.m, &b.m, 0), 0);
	ck_assert_uint_eq(d.n, 1);
	ck_assert_str_eq(d.changes[0].new_value,
			 "driver, endpoint driver, stage none, restart on-failure, image drv-serial, window 2185, "
			 "requesters deviced, slots 16,2184, quota children 16 waits 8 transfers 2 image-kib 65536");
	diff_free(&d);
}
END_TEST

/* A kernel endpoint the ABI assigns one role, newly granted to another, is
 * called out by both names; the role's own endpoint, or a slot no role
 * owns, is not. */
START_TEST(another_roles_kernel_endpoint_is_named)
{
	struct fixture a, b;
	struct policy_diff d;

	fixture_init(&a);
	fixture_init(&b);
	timed(&b)->slots[timed(&b)->nslots++] = SLOT_KERNEL_PAGER_ENDPOINT;
	timed(&b)->slots[timed(&b)->nslots++] = SLOT_PEER_ENDPOINT;
	resort(&b);
	ck_assert_int_eq(diff_models(&d, &a.m, &b.m, 0), 0);
	ck_assert_uint_eq(d.n, 2);
	ck_assert_str_eq(d.changes[0].new_value, "22 peer");
	ck_assert_str_eq(d.changes[0].note, "");
	ck_assert_str_eq(d.changes[1].new_value, "2256 kernel-pager");
	ck_assert_str_eq(d.changes[1].note, "timed now holds kernel-pager, which the ABI assigns to pagerd");
	diff_free(&d);
	/* A new requester of drv-serial may have its kernel endpoint granted. */
	b.roles[1].requesters[b.roles[1].nrequesters++] = ROLE_TIMED;
	resort(&b);
	ck_assert_int_eq(diff_models(&d, &a.m, &b.m, 0), 0);
	ck_assert_uint_eq(d.n, 3);
	ck_assert_str_eq(d.changes[2].field, "requester");
	ck_assert_str_eq(d.changes[2].note, "timed may now start drv-serial, which holds kernel-com1");
	diff_free(&d);
	/* drv-serial's own endpoint, added back, is its own. */
	a.roles[1].nslots = 1;
	ck_assert_int_eq(diff_models(&d, &a.m, &b.m, 0), 0);
	for (size_t i = 0; i < d.n; i++)
		if (d.changes[i].id == ROLE_DRV_SERIAL && strcmp(d.changes[i].field, "slot") == 0)
			ck_assert_str_eq(d.changes[i].note, "");
	diff_free(&d);
}
END_TEST

/* --compiled-in: a role the new side lacks is skipped (and listed), one it
 * has that the old side lacks is still a widening. */
START_TEST(compiled_in_compares_only_what_new_has)
{
	struct fixture a, b;
	struct policy_diff d;

	fixture_init(&a);
	fixture_init(&b);
	role_removed(&b);
	ck_assert_int_eq(diff_models(&d, &a.m, &b.m, 1), 0);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_uint_eq(d.nskipped, 1);
	ck_assert_uint_eq(d.skipped[0], ROLE_DRV_SERIAL);
	diff_free(&d);
	ck_assert_int_eq(diff_models(&d, &b.m, &a.m, 1), 0);
	ck_assert_uint_eq(d.n, 1);
	ck_assert_uint_eq(d.count[EFFECT_WIDENING], 1);
	diff_free(&d);
}
END_TEST

/* Two of the loader module's ops, after the fixture's (ids ascend). */
static void add_loader_ops(struct fixture *f)
{
	f->ops[2] = (struct model_op){
		.name = "BEGIN_LOADER_IMAGE_TRANSFER", .id = PROCD_OP_BEGIN_LOADER_IMAGE_TRANSFER,
		.endpoints = PROCD_EP_BOOTSTRAP, .callers = { ROLE_LOADERD }, .ncallers = 1,
	};
	f->ops[3] = f->ops[2];
	strcpy(f->ops[3].name, "SEND_LOADER_IMAGE_CHUNK");
	f->ops[3].id = PROCD_OP_SEND_LOADER_IMAGE_CHUNK;
	f->m.nops = 4;
}

/* A build configured without a role module lacks that module's ops: with
 * --compiled-in they are not compared, and the diff says which. */
START_TEST(compiled_in_skips_a_left_out_module)
{
	struct fixture a, b;
	struct policy_diff d;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	fixture_init(&a);
	add_loader_ops(&a);
	fixture_init(&b);
	ck_assert_int_eq(diff_models(&d, &a.m, &b.m, 1), 0);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_uint_eq(d.nskipped_ops, 2);
	f = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(f);
	diff_write_text(f, &d, "old", "new");
	diff_write_json(f, &d, "old", "new");
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_msg(strstr(out, "role modules not compiled into the new side, their ops not compared:"
			     " loader (BEGIN_LOADER_IMAGE_TRANSFER, SEND_LOADER_IMAGE_CHUNK)\n"), "%s", out);
	ck_assert_msg(strstr(out, "\"modules_left_out\": [\"loader\"]"), "%s", out);
	free(out);
	diff_free(&d);
	/* Without --compiled-in they are removed ops, as before. */
	ck_assert_int_eq(diff_models(&d, &a.m, &b.m, 0), 0);
	ck_assert_uint_eq(d.n, 2);
	ck_assert_uint_eq(d.count[EFFECT_NARROWING], 2);
	diff_free(&d);
}
END_TEST

/* One op gone from a module the new side still has is a removal, even with
 * --compiled-in: only a whole module left out is not compared. */
START_TEST(compiled_in_still_sees_an_op_removed_from_a_module)
{
	struct fixture a, b;
	struct policy_diff d;

	fixture_init(&a);
	add_loader_ops(&a);
	fixture_init(&b);
	add_loader_ops(&b);
	b.m.nops = 3;
	ck_assert_int_eq(diff_models(&d, &a.m, &b.m, 1), 0);
	ck_assert_uint_eq(d.nskipped_ops, 0);
	ck_assert_uint_eq(d.n, 1);
	ck_assert_str_eq(d.changes[0].field, "op");
	ck_assert_str_eq(d.changes[0].change, "removed");
	ck_assert(d.changes[0].effect == EFFECT_NARROWING);
	diff_free(&d);
}
END_TEST

/* The table of role modules' ops agrees with the built procd: a module
 * this build compiles in has every op the table gives it. */
START_TEST(role_modules_match_this_build)
{
	const char *bin = getenv("PROCD_BINARY");
	struct registry_file rf;
	struct policy_model m;
	struct elf_error err;
	const char *module;
	uint32_t op;

	ck_assert_msg(bin != NULL, "PROCD_BINARY is not set; run through make check");
	ck_assert_msg(registry_load(&rf, bin, &err) == 0, "%s: %s", bin, err.msg);
	ck_assert_msg(model_from_registry(&m, &rf, &err) == 0, "%s", err.msg);
	for (size_t i = 0; (module = role_module_nth(i, &op)) != NULL; i++) {
		int present = 0;

		for (size_t k = 0; k < m.nops; k++)
			present |= m.ops[k].id == op;
		ck_assert_msg(present || !role_module_in(&m, module),
			      "op 0x%03x of module %s is missing from a build that has the module",
			      (unsigned)op, module);
	}
	model_free(&m);
	registry_free(&rf);
}
END_TEST

/* Each change names the policy file of its role, both when it moved. */
START_TEST(changes_carry_their_source)
{
	struct fixture a, b;
	struct policy_diff d;

	fixture_init(&a);
	fixture_init(&b);
	source_changed(&b);
	slot_added(&b);
	resort(&b);
	ck_assert_int_eq(diff_models(&d, &a.m, &b.m, 0), 0);
	ck_assert_uint_eq(d.n, 2);
	for (size_t i = 0; i < d.n; i++) {
		ck_assert_str_eq(d.changes[i].source, "vendor.c");
		ck_assert_str_eq(d.changes[i].old_source, "timed.c");
	}
	diff_free(&d);
}
END_TEST

/* ------------------------------------------------------------ records */

static char *record_of(const struct policy_model *m, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	ck_assert_ptr_nonnull(f);
	lock_write(f, m);
	ck_assert_int_eq(fclose(f), 0);
	return text;
}

static void assert_same_model(const struct policy_model *a, const struct policy_model *b)
{
	struct policy_diff d;

	ck_assert_uint_eq(a->nroles, b->nroles);
	ck_assert_uint_eq(a->nops, b->nops);
	for (size_t i = 0; i < a->nroles; i++)
		ck_assert_msg(memcmp(&a->roles[i], &b->roles[i], sizeof a->roles[i]) == 0,
			      "role %zu differs after the round trip", i);
	for (size_t i = 0; i < a->nops; i++)
		ck_assert_msg(memcmp(&a->ops[i], &b->ops[i], sizeof a->ops[i]) == 0,
			      "op %zu differs after the round trip", i);
	ck_assert_int_eq(diff_models(&d, a, b, 0), 0);
	ck_assert_uint_eq(d.n, 0);
	diff_free(&d);
}

/* Zeroes what a model leaves unused, so models compare with memcmp. */
static void zero_tails(struct fixture *f)
{
	struct fixture clean;

	memset(&clean, 0, sizeof clean);
	for (size_t i = 0; i < f->m.nroles; i++) {
		struct model_role *r = &clean.roles[i], *s = &f->roles[i];

		*r = *s;
		memset(r->name, 0, sizeof r->name);
		memset(r->image, 0, sizeof r->image);
		memset(r->source, 0, sizeof r->source);
		memset(r->slots, 0, sizeof r->slots);
		memset(r->requesters, 0, sizeof r->requesters);
		memcpy(r->name, s->name, strlen(s->name));
		memcpy(r->image, s->image, strlen(s->image));
		memcpy(r->source, s->source, strlen(s->source));
		memcpy(r->slots, s->slots, s->nslots * sizeof s->slots[0]);
		memcpy(r->requesters, s->requesters, s->nrequesters * sizeof s->requesters[0]);
	}
	memcpy(f->roles, clean.roles, sizeof f->roles);
}

START_TEST(this_builds_record_reads_back_the_same)
{
	const char *bin = getenv("PROCD_BINARY");
	struct registry_file rf;
	struct policy_model m, back;
	struct elf_error err;
	char *text, *again;
	size_t len, len2;

	ck_assert_msg(bin != NULL, "PROCD_BINARY is not set; run through make check");
	ck_assert_msg(registry_load(&rf, bin, &err) == 0, "%s: %s", bin, err.msg);
	ck_assert_msg(model_from_registry(&m, &rf, &err) == 0, "%s", err.msg);
	ck_assert_uint_gt(m.nroles, 0);
	text = record_of(&m, &len);
	ck_assert_msg(lock_parse(&back, text, len, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(back.nroles, m.nroles);
	{
		struct policy_diff d;

		ck_assert_int_eq(diff_models(&d, &m, &back, 0), 0);
		ck_assert_uint_eq(d.n, 0);
		diff_free(&d);
	}
	again = record_of(&back, &len2);
	ck_assert_uint_eq(len, len2);
	ck_assert(memcmp(text, again, len) == 0);
	free(again);
	free(text);
	model_free(&back);
	model_free(&m);
	registry_free(&rf);
}
END_TEST

/* Names are untrusted bytes: every one survives as a token and back. */
START_TEST(hostile_names_round_trip)
{
	struct fixture f;
	struct policy_model back;
	struct elf_error err;
	char *text;
	size_t len;

	fixture_init(&f);
	strcpy(timed(&f)->name, "a b\\\"#\t\x01\x7f\xff");
	memset(f.roles[1].name, 'x', PROCD_NAME_MAX); /* a full field, no NUL */
	f.roles[1].name[PROCD_NAME_MAX] = '\0';
	timed(&f)->image[0] = '\0';
	strcpy(timed(&f)->source, "dir/with space.c");
	f.roles[1].source[0] = '\0'; /* no origin record */
	timed(&f)->role_class = 77; /* values without a name */
	timed(&f)->flags = 0x80000000u | PROCD_POLICY_LOADER_LAUNCH;
	timed(&f)->slots[timed(&f)->nslots++] = 4095;
	f.ops[0].flags |= 0x40;
	strcpy(f.ops[1].name, "OP WITH SPACES");
	resort(&f);
	zero_tails(&f);
	text = record_of(&f.m, &len);
	ck_assert_msg(lock_parse(&back, text, len, &err) == 0, "%s\n%s", err.msg, text);
	assert_same_model(&f.m, &back);
	model_free(&back);
	free(text);
}
END_TEST

struct bad_record {
	const char *text;
	size_t line;
	const char *message;
};

static const struct bad_record bad_records[] = {
	{ "", 1, "no 'procd-policy-lock 2' line" },
	{ "role x id 1\n", 1, "must start with 'procd-policy-lock 2'" },
	{ "procd-policy-lock 2\nprocd-policy-lock 2\n", 2, "a second" },
	{ "procd-policy-lock 2 extra\n", 1, "reads 'procd-policy-lock 2' records" },
	{ "procd-policy-lock 2\nrole x\n", 2, "a role line is" },
	{ "procd-policy-lock 2\nop X\n", 2, "an op line is" },
	{ "procd-policy-lock 2\nrole x id 1 2\n", 2, "unexpected '2'" },
	{ "procd-policy-lock 2\nrole x id -1\n", 2, "not a number" },
	{ "procd-policy-lock 2\nrole x id 0x100000000\n", 2, "not a number" },
	{ "procd-policy-lock 2\nrole x window 1e3\n", 2, "not a number" },
	{ "procd-policy-lock 2\nrole x class 256\n", 2, "from 0 to 255" },
	{ "procd-policy-lock 2\nrole x endpoint nowhere\n", 2, "unknown endpoint 'nowhere'" },
	{ "procd-policy-lock 2\nrole x flag fast\n", 2, "unknown role flag 'fast'" },
	{ "procd-policy-lock 2\nrole x flag 0x3\n", 2, "one bit in hexadecimal" },
	{ "procd-policy-lock 2\nrole x flag loader-launch\nrole x flag 0x1\n", 3, "listed twice" },
	{ "procd-policy-lock 2\nrole x slot 19\nrole x slot 19 logd\n", 3, "slot 19 is listed twice" },
	{ "procd-policy-lock 2\nrole x slot 40 forty\n", 2, "no canonical name" },
	{ "procd-policy-lock 2\nrole x requester 0\n", 2, "cannot be listed" },
	{ "procd-policy-lock 2\nrole x requester 1\nrole x requester 2\nrole x requester 3\n"
	  "role x requester 4\nrole x requester 5\nrole x requester 6\nrole x requester 7\n"
	  "role x requester 8\nrole x requester 9\n", 10, "more than 8 requesters" },
	{ "procd-policy-lock 2\nrole x image a\\x\n", 2, "escape" },
	{ "procd-policy-lock 2\nrole x image a\\x4A\n", 2, "escape" },
	{ "procd-policy-lock 2\nrole x image a\\x41\n", 2, "written as itself" },
	{ "procd-policy-lock 2\nrole x image a\\x00\n", 2, "\\x00" },
	{ "procd-policy-lock 2\nrole x image a\"b\n", 2, "\\x22" },
	{ "procd-policy-lock 2\nrole abcdefghijklmnopqrstuvwxy id 1\n", 2, "longer than 24 bytes" },
	{ "procd-policy-lock 2\nrole x id 1\nrole x class service\nrole x endpoint bootstrap\n"
	  "role x boot-stage none\nrole x restart never\nrole x window 32\n", 2, "no 'image' line" },
	{ "procd-policy-lock 2\nop X endpoint driver\n", 2, "op 'X' has no 'id' line" },
	{ "procd-policy-lock 2\nop X id 1\nop Y id 1\n", 3, "op 'Y' has id 0x001, like op 'X' (line 2)" },
	{ "procd-policy-lock 2\nop X id 1\nop X caller 0x010 deviced\nop Y id 2\n"
	  "op Y caller 0x010 devd\n", 5, "named 'devd' here but 'deviced' on line 3" },
	{ "procd-policy-lock 2\nop X id 1\nop X caller any any\n", 3, "unexpected 'any'" },
	{ "procd-policy-lock 2\nop X id 1\nop X flag 0x2x\n", 3, "unknown op flag" },
	{ "procd-policy-lock 2\nop X id 1\nop X what 1\n", 3, "unknown op fact 'what'" },
	{ "procd-policy-lock 2\nrole x id 1 2 3 4 5 6\n", 2, "too many fields" },
	{ "procd-policy-lock 2\r\nrole x\x80 id 1\n", 2, "byte 0x80" },
	{ "procd-policy-lock 1\n", 1, "predates quotas" },
	{ "procd-policy-lock 2\nrole x quota children 8\n", 2, "a quota line is" },
	{ "procd-policy-lock 2\nrole x quota forks 8 declared\n", 2, "unknown quota 'forks'" },
	{ "procd-policy-lock 2\nrole x quota children 0 default\n", 2, "quota children 0" },
	{ "procd-policy-lock 2\nrole x quota children many declared\n", 2, "not a number" },
	{ "procd-policy-lock 2\nrole x quota children 8 asked\n", 2, "neither 'declared'" },
	{ "procd-policy-lock 2\nrole x quota waits 8 declared\nrole x quota waits 9 declared\n", 3,
	  "second 'quota waits'" },
	{ "procd-policy-lock 2\nrole x id 1\nrole x class service\nrole x endpoint bootstrap\n"
	  "role x boot-stage none\nrole x restart never\nrole x window 32\nrole x image x\n"
	  "role x quota children 16 default\nrole x quota waits 8 default\n"
	  "role x quota transfers 2 default\n", 2, "no 'quota image-kib' line" },
};

START_TEST(a_malformed_record_is_refused_with_its_line)
{
	const struct bad_record *b = &bad_records[_i];
	struct policy_model m;
	struct elf_error err;
	char want[64];

	ck_assert_msg(lock_parse(&m, b->text, strlen(b->text), &err) != 0, "accepted: %s", b->text);
	snprintf(want, sizeof want, "line %zu: ", b->line);
	ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0 && strstr(err.msg, b->message),
		      "record %d: expected '%s...%s', got '%s'", _i, want, b->message, err.msg);
	ck_assert_ptr_null(m.roles);
	ck_assert_ptr_null(m.ops);
}
END_TEST

/* The name a record gives a role id must be the one it declares there. */
START_TEST(a_wrong_annotation_is_refused)
{
	struct fixture f;
	struct policy_model m;
	struct elf_error err;
	char *text, *at;
	size_t len;

	fixture_init(&f);
	stop(&f)->callers[0] = ROLE_TIMED;
	text = record_of(&f.m, &len);
	at = strstr(text, "caller 0x011 timed\n");
	ck_assert_ptr_nonnull(at);
	at[strlen("caller 0x011 time")] = 'x';
	ck_assert_int_ne(lock_parse(&m, text, len, &err), 0);
	ck_assert_msg(strstr(err.msg, "role 0x011 is 'timed' in this record") &&
		      strstr(err.msg, "not 'timex'"), "%s", err.msg);
	free(text);
}
END_TEST

/* Every prefix, and every single-byte change, of a record: read or refused,
 * never a crash or a leak (run under valgrind to see the second). */
START_TEST(cut_and_flipped_records_never_crash)
{
	struct fixture f;
	struct policy_model m;
	struct elf_error err;
	char *text, *copy;
	size_t len;

	fixture_init(&f);
	text = record_of(&f.m, &len);
	copy = malloc(len);
	ck_assert_ptr_nonnull(copy);
	for (size_t cut = 0; cut < len; cut++)
		if (lock_parse(&m, text, cut, &err) == 0)
			model_free(&m);
	for (size_t i = 0; i < len; i++) {
		static const char flips[] = { ' ', '\n', '0', 'x', '\\', '#', '\0', '\xff' };

		for (size_t k = 0; k < sizeof flips; k++) {
			memcpy(copy, text, len);
			copy[i] = flips[k];
			if (lock_parse(&m, copy, len, &err) == 0)
				model_free(&m);
		}
	}
	free(copy);
	free(text);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("policy-review");
	TCase *diff = tcase_create("diff"), *record = tcase_create("record");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(diff, each_rule_labels_its_change, 0, (int)(sizeof rules / sizeof rules[0]));
	tcase_add_test(diff, no_change_is_no_change);
	tcase_add_test(diff, the_any_caller_covers_named_ones);
	tcase_add_test(diff, an_added_role_is_summarised_whole);
	tcase_add_test(diff, another_roles_kernel_endpoint_is_named);
	tcase_add_test(diff, compiled_in_compares_only_what_new_has);
	tcase_add_test(diff, compiled_in_skips_a_left_out_module);
	tcase_add_test(diff, compiled_in_still_sees_an_op_removed_from_a_module);
	tcase_add_test(diff, role_modules_match_this_build);
	tcase_add_test(diff, changes_carry_their_source);
	suite_add_tcase(s, diff);

	tcase_add_test(record, this_builds_record_reads_back_the_same);
	tcase_add_test(record, hostile_names_round_trip);
	tcase_add_loop_test(record, a_malformed_record_is_refused_with_its_line, 0,
			    (int)(sizeof bad_records / sizeof bad_records[0]));
	tcase_add_test(record, a_wrong_annotation_is_refused);
	tcase_add_test(record, cut_and_flipped_records_never_crash);
	suite_add_tcase(s, record);

	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
