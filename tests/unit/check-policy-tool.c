/* SPDX-License-Identifier: ISC */
/*
 * procd-policy's reader and renderer: on the procd this build produced
 * (PROCD_BINARY), on small ELF images built here field by field, and on
 * many truncated and bit-flipped copies of both. Tests fork, so a crash in
 * the reader is a failed test, not a dead suite.
 *
 * The in-memory images are little-endian, as is every host procd builds on
 * today; the descriptors are written with the host's own struct layout.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/layout.h"
#include "core/registry.h"
#include "tools/elf_sections.h"
#include "tools/policy_model.h"
#include "tools/policy_output.h"
#include "tools/registry_file.h"

/* ------------------------------------------------------------ fixtures */

static const struct procd_layout good_layout = {
	.magic = { 'P', 'R', 'O', 'C', 'D', 'R', 'E', 'G' },
	.version = PROCD_LAYOUT_VERSION,
	.policy_size = sizeof(struct procd_policy),
	.origin_size = sizeof(struct procd_policy_origin),
	.op_size = sizeof(struct procd_op),
	.name_max = PROCD_NAME_MAX,
	.slots_max = PROCD_POLICY_SLOTS,
	.requesters_max = PROCD_POLICY_REQUESTERS,
	.callers_max = PROCD_OP_CALLERS,
	.max_processes = 64,
};

static const struct procd_policy good_policies[] = {
	{
		.name = "timed",
		.role = ROLE_TIMED,
		.role_class = PROCD_CLASS_SERVICE,
		.endpoint = PROCD_EP_BOOTSTRAP,
		.requesters = { ROLE_PROCD, ROLE_ROOTD },
		.window = PROCD_WINDOW_THROUGH(SLOT_KERNEL_TIME_ENDPOINT),
		.slots = { SLOT_KERNEL_TIME_ENDPOINT, SLOT_SELF_ENDPOINT, SLOT_LOGD_ENDPOINT },
		.boot_stage = PROCD_STAGE_RUNTIME,
		.restart = PROCD_RESTART_ON_FAILURE,
		.image = "timed",
		.quota = { .children = 4, .image_kib = 1024 },
	},
	{
		.name = "drv-serial",
		.role = ROLE_DRV_SERIAL,
		.role_class = PROCD_CLASS_DRIVER,
		.endpoint = PROCD_EP_DRIVER,
		.requesters = { ROLE_DEVICED },
		.window = PROCD_WINDOW_THROUGH(SLOT_KERNEL_COM1_ENDPOINT),
		.slots = { SLOT_SELF_ENDPOINT, SLOT_KERNEL_COM1_ENDPOINT },
		.boot_stage = PROCD_STAGE_NONE,
		.restart = PROCD_RESTART_ON_FAILURE,
		.image = "drv-serial",
	},
};

static const struct procd_policy_origin good_origins[] = {
	{ .ident = "timed", .source = "timed.c" },
	{ .ident = "drv_serial", .source = "../some/build/dir/drivers.c" },
};

static const struct procd_op good_ops[] = {
	{
		.name = "STOP_PROCESS",
		.id = PROCD_OP_STOP_PROCESS,
		.endpoints = PROCD_EP_ALL,
		.callers = { ROLE_DEVICED, ROLE_TIMED },
	},
	{
		.name = "ADOPT_PROCESS",
		.id = PROCD_OP_ADOPT_PROCESS,
		.endpoints = PROCD_EP_ALL,
		.flags = PROCD_OP_DENY,
		.callers = { PROCD_CALLER_ANY },
	},
};

/* ---------------------------------------------------------- ELF images */

#define IMG_MAX_SECTIONS 8

struct spec {
	const char *name;
	uint32_t type;
	const void *data;
	size_t size;
};

/* An ELF64 LSB file: header, section data, name table, section headers. */
struct img {
	unsigned char *buf;
	size_t len;
	size_t nsec;     /* including the null section and .shstrtab */
	size_t shoff;
	size_t strtab_off;
	size_t strtab_len;
};

#define SHT_PROGBITS 1u
#define SHT_STRTAB   3u

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static unsigned char *shdr(const struct img *im, size_t i)
{
	return im->buf + im->shoff + i * 64;
}

static void write_shdr(unsigned char *sh, uint32_t name, uint32_t type, uint64_t off, uint64_t size)
{
	put32(sh + 0, name);
	put32(sh + 4, type);
	put64(sh + 24, off);
	put64(sh + 32, size);
	put64(sh + 48, 1);
}

/* Section data starts at 64-byte boundaries plus misalign, so a reader
 * that relied on the file's alignment would be caught. */
static void img_build(struct img *im, const struct spec *specs, size_t n, size_t misalign)
{
	char names[512];
	size_t name_off[IMG_MAX_SECTIONS + 2], data_off[IMG_MAX_SECTIONS + 2];
	size_t nlen = 1, off = 64;

	ck_assert(n <= IMG_MAX_SECTIONS);
	names[0] = '\0';
	for (size_t i = 0; i <= n; i++) {
		const char *nm = i < n ? specs[i].name : ".shstrtab";

		name_off[i + 1] = nlen;
		memcpy(names + nlen, nm, strlen(nm) + 1);
		nlen += strlen(nm) + 1;
	}
	for (size_t i = 0; i < n; i++) {
		off = (off + 63) / 64 * 64 + misalign;
		data_off[i + 1] = off;
		if (specs[i].type != ELF_SHT_NOBITS)
			off += specs[i].size;
	}
	im->strtab_off = off;
	im->strtab_len = nlen;
	off += nlen;
	im->shoff = (off + 7) / 8 * 8;
	im->nsec = n + 2;
	im->len = im->shoff + im->nsec * 64;
	im->buf = calloc(1, im->len);
	ck_assert(im->buf != NULL);

	memcpy(im->buf, "\177ELF", 4);
	im->buf[4] = 2; /* ELFCLASS64 */
	im->buf[5] = 1; /* ELFDATA2LSB */
	im->buf[6] = 1; /* EV_CURRENT */
	put16(im->buf + 16, 3);  /* ET_DYN */
	put16(im->buf + 18, 62); /* EM_X86_64 */
	put32(im->buf + 20, 1);
	put64(im->buf + 40, im->shoff);
	put16(im->buf + 52, 64);
	put16(im->buf + 58, 64);
	put16(im->buf + 60, (uint16_t)im->nsec);
	put16(im->buf + 62, (uint16_t)(n + 1));
	for (size_t i = 0; i < n; i++) {
		if (specs[i].type != ELF_SHT_NOBITS && specs[i].size)
			memcpy(im->buf + data_off[i + 1], specs[i].data, specs[i].size);
		write_shdr(shdr(im, i + 1), (uint32_t)name_off[i + 1], specs[i].type,
			   data_off[i + 1], specs[i].size);
	}
	memcpy(im->buf + im->strtab_off, names, nlen);
	write_shdr(shdr(im, n + 1), (uint32_t)name_off[n + 1], SHT_STRTAB, im->strtab_off, nlen);
}

static void img_free(struct img *im)
{
	free(im->buf);
	im->buf = NULL;
}

/* Sections 1..4: layout, policies, origins, ops. */
enum { SEC_LAYOUT = 1, SEC_POLICIES, SEC_ORIGINS, SEC_OPS };

static void img_good(struct img *im, size_t misalign)
{
	struct procd_op ops[2] = { good_ops[0], good_ops[1] };
	const struct spec specs[] = {
		{ PROCD_SECTION_LAYOUT, SHT_PROGBITS, &good_layout, sizeof good_layout },
		{ PROCD_SECTION_POLICIES, SHT_PROGBITS, good_policies, sizeof good_policies },
		{ PROCD_SECTION_ORIGINS, SHT_PROGBITS, good_origins, sizeof good_origins },
		{ PROCD_SECTION_OPS, SHT_PROGBITS, ops, sizeof ops },
	};

	/* what a linked file holds: an unrelocated handler address */
	memset(&ops[0].handler, 0x5a, sizeof ops[0].handler);
	img_build(im, specs, 4, misalign);
}

/* The registry of im, expected to be refused with a message containing want. */
static void expect_refused(const void *data, size_t len, const char *want)
{
	struct registry_file rf;
	struct elf_error err;

	err.msg[0] = '\0';
	ck_assert_msg(registry_parse(&rf, data, len, &err) != 0, "accepted; expected '%s'", want);
	ck_assert_msg(strstr(err.msg, want) != NULL, "message '%s' does not say '%s'", err.msg, want);
	ck_assert(rf.policies == NULL && rf.ops == NULL && rf.origins == NULL);
}

static void expect_img_refused(struct img *im, const char *want)
{
	expect_refused(im->buf, im->len, want);
	img_free(im);
}

/* Renders with fn into memory and returns the NUL-terminated text (free it). */
static char *render(void (*fn)(FILE *, const struct registry_file *), const struct registry_file *rf)
{
	FILE *f = tmpfile();
	char *s;
	long n;

	ck_assert(f != NULL);
	fn(f, rf);
	ck_assert(fflush(f) == 0);
	n = ftell(f);
	ck_assert(n >= 0);
	s = malloc((size_t)n + 1);
	ck_assert(s != NULL);
	rewind(f);
	ck_assert(fread(s, 1, (size_t)n, f) == (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

static const struct procd_policy *policy_named(const struct registry_file *rf, const char *name)
{
	for (size_t i = 0; i < rf->npolicies; i++)
		if (procd_field_eq(rf->policies[i].name, sizeof rf->policies[i].name, name, strlen(name)))
			return &rf->policies[i];
	return NULL;
}

static const struct procd_op *op_with_id(const struct registry_file *rf, uint32_t id)
{
	for (size_t i = 0; i < rf->nops; i++)
		if (rf->ops[i].id == id)
			return &rf->ops[i];
	return NULL;
}

static int has_slot(const struct procd_policy *p, uint32_t slot)
{
	for (size_t i = 0; i < PROCD_POLICY_SLOTS && p->slots[i]; i++)
		if (p->slots[i] == slot)
			return 1;
	return 0;
}

/* ------------------------------------------------------ the real binary */

static const char *procd_binary(void)
{
	const char *path = getenv("PROCD_BINARY");

	return path && *path && access(path, R_OK) == 0 ? path : NULL;
}

START_TEST(real_binary_reads)
{
	struct registry_file rf;
	struct elf_error err;
	const struct procd_policy *p;
	const struct procd_op *op;

	ck_assert_msg(registry_load(&rf, procd_binary(), &err) == 0, "%s", err.msg);
	ck_assert(rf.layout.max_processes > 0);
	p = policy_named(&rf, "timed");
	ck_assert_msg(p != NULL, "no timed policy");
	ck_assert_uint_eq(p->role, ROLE_TIMED);
	ck_assert_uint_eq(p->window, 2129);
	ck_assert(has_slot(p, 2128));
	p = policy_named(&rf, "drv-serial");
	ck_assert_msg(p != NULL, "no drv-serial policy");
	ck_assert_uint_eq(p->role_class, PROCD_CLASS_DRIVER);
	ck_assert_uint_eq(p->endpoint, PROCD_EP_DRIVER);
	op = op_with_id(&rf, PROCD_OP_ADOPT_PROCESS);
	ck_assert_msg(op != NULL, "no ADOPT_PROCESS op");
	ck_assert(op->flags & PROCD_OP_DENY);
	ck_assert(procd_field_eq(op->name, sizeof op->name, "ADOPT_PROCESS", 13));
	ck_assert(rf.sets.handlers_known == 0);
	for (size_t i = 0; i < rf.nops; i++)
		ck_assert(rf.ops[i].handler == NULL);
	registry_free(&rf);
}
END_TEST

START_TEST(real_binary_sorted)
{
	struct registry_file rf;
	struct elf_error err;

	ck_assert_msg(registry_load(&rf, procd_binary(), &err) == 0, "%s", err.msg);
	for (size_t i = 1; i < rf.npolicies; i++)
		ck_assert(rf.policies[i - 1].role <= rf.policies[i].role);
	for (size_t i = 1; i < rf.nops; i++)
		ck_assert(rf.ops[i - 1].id <= rf.ops[i].id);
	registry_free(&rf);
}
END_TEST

START_TEST(real_binary_lints_clean)
{
	struct registry_file rf;
	struct elf_error err;

	ck_assert_msg(registry_load(&rf, procd_binary(), &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(procd_registry_check(&rf.sets, NULL, NULL), 0);
	registry_free(&rf);
}
END_TEST

START_TEST(real_binary_renders)
{
	struct registry_file rf;
	struct elf_error err;
	char *json, *text;

	ck_assert_msg(registry_load(&rf, procd_binary(), &err) == 0, "%s", err.msg);
	json = render(output_list_json, &rf);
	ck_assert(strstr(json, "\"name\":\"timed\",\"role\":17,") != NULL);
	ck_assert(strstr(json, "{\"slot\":2128,\"name\":\"kernel-time\"}") != NULL);
	ck_assert(strstr(json, "\"name\":\"ADOPT_PROCESS\",\"id\":1027,") != NULL);
	ck_assert(strstr(json, "\"requesters\":[\"rootd\",\"procd\"]") != NULL);
	ck_assert(strstr(json, procd_binary()) == NULL);
	text = render(output_list_text, &rf);
	ck_assert(strstr(text, "drv-serial") != NULL);
	ck_assert(strstr(text, "ADOPT_PROCESS") != NULL);
	free(json);
	free(text);
	registry_free(&rf);
}
END_TEST

static Suite *make_real_binary_suite(void)
{
	Suite *s = suite_create("real binary");
	TCase *tc = tcase_create("procd");

	tcase_add_test(tc, real_binary_reads);
	tcase_add_test(tc, real_binary_sorted);
	tcase_add_test(tc, real_binary_lints_clean);
	tcase_add_test(tc, real_binary_renders);
	suite_add_tcase(s, tc);
	return s;
}

/* ------------------------------------------------------- good registries */

START_TEST(good_image_reads)
{
	struct registry_file rf;
	struct elf_error err;
	struct img im;

	img_good(&im, (size_t)_i);
	ck_assert_msg(registry_parse(&rf, im.buf, im.len, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(rf.npolicies, 2);
	ck_assert_uint_eq(rf.norigins, 2);
	ck_assert_uint_eq(rf.nops, 2);
	ck_assert_uint_eq(rf.layout.max_processes, 64);
	/* sorted: timed (0x11) before drv-serial (0x31); STOP (0x404) after ADOPT (0x403) */
	ck_assert_uint_eq(rf.policies[0].role, ROLE_TIMED);
	ck_assert_uint_eq(rf.policies[1].role, ROLE_DRV_SERIAL);
	ck_assert_uint_eq(rf.ops[0].id, PROCD_OP_ADOPT_PROCESS);
	ck_assert(rf.ops[0].handler == NULL && rf.ops[1].handler == NULL); /* addresses zeroed */
	ck_assert_uint_eq(((uintptr_t)rf.policies) % PROCD_SET_ALIGN, 0);
	ck_assert_uint_eq(((uintptr_t)rf.ops) % PROCD_SET_ALIGN, 0);
	ck_assert_uint_eq(procd_registry_check(&rf.sets, NULL, NULL), 0);
	registry_free(&rf);
	img_free(&im);
}
END_TEST

START_TEST(empty_registry_reads)
{
	const struct spec specs[] = {
		{ PROCD_SECTION_LAYOUT, SHT_PROGBITS, &good_layout, sizeof good_layout },
		{ PROCD_SECTION_POLICIES, SHT_PROGBITS, NULL, 0 },
	};
	struct registry_file rf;
	struct elf_error err;
	struct img im;
	char *json;

	img_build(&im, specs, 2, 0);
	ck_assert_msg(registry_parse(&rf, im.buf, im.len, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(rf.npolicies + rf.norigins + rf.nops, 0);
	ck_assert_uint_eq(procd_registry_check(&rf.sets, NULL, NULL), 0);
	json = render(output_list_json, &rf);
	ck_assert_str_eq(json, "{\n  \"max_processes\": 64,\n  \"policies\": [],\n  \"ops\": []\n}\n");
	free(json);
	registry_free(&rf);
	img_free(&im);
}
END_TEST

/* e_shnum = 0 and e_shstrndx = SHN_XINDEX move both into section 0. */
START_TEST(extended_numbering_reads)
{
	struct registry_file rf;
	struct elf_error err;
	struct img im;

	img_good(&im, 0);
	put64(shdr(&im, 0) + 32, im.nsec);
	put32(shdr(&im, 0) + 40, (uint32_t)(im.nsec - 1));
	put16(im.buf + 60, 0);
	put16(im.buf + 62, 0xffff);
	ck_assert_msg(registry_parse(&rf, im.buf, im.len, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(rf.npolicies, 2);
	registry_free(&rf);
	img_free(&im);
}
END_TEST

/* The same policies linked in another order give byte-identical JSON. */
START_TEST(json_independent_of_link_order)
{
	struct procd_policy policies[2] = { good_policies[1], good_policies[0] };
	struct procd_policy_origin origins[2] = { good_origins[1], good_origins[0] };
	struct procd_op ops[2] = { good_ops[1], good_ops[0] };
	const struct spec specs[] = {
		{ PROCD_SECTION_OPS, SHT_PROGBITS, ops, sizeof ops },
		{ PROCD_SECTION_ORIGINS, SHT_PROGBITS, origins, sizeof origins },
		{ PROCD_SECTION_POLICIES, SHT_PROGBITS, policies, sizeof policies },
		{ PROCD_SECTION_LAYOUT, SHT_PROGBITS, &good_layout, sizeof good_layout },
	};
	struct registry_file a, b;
	struct elf_error err;
	struct img ia, ib;
	char *ja, *jb;

	memset(&ops[1].handler, 0xa5, sizeof ops[1].handler); /* another build, another address */
	img_good(&ia, 0);
	img_build(&ib, specs, 4, 5);
	ck_assert_msg(registry_parse(&a, ia.buf, ia.len, &err) == 0, "%s", err.msg);
	ck_assert_msg(registry_parse(&b, ib.buf, ib.len, &err) == 0, "%s", err.msg);
	ja = render(output_list_json, &a);
	jb = render(output_list_json, &b);
	ck_assert_str_eq(ja, jb);
	free(ja);
	free(jb);
	registry_free(&a);
	registry_free(&b);
	img_free(&ia);
	img_free(&ib);
}
END_TEST

START_TEST(json_shape)
{
	struct registry_file rf;
	struct elf_error err;
	struct img im;
	char *json;

	img_good(&im, 0);
	ck_assert_msg(registry_parse(&rf, im.buf, im.len, &err) == 0, "%s", err.msg);
	json = render(output_list_json, &rf);
	ck_assert_msg(strstr(json,
		"{\"name\":\"timed\",\"role\":17,\"class\":\"service\",\"endpoint\":\"bootstrap\","
		"\"boot_stage\":\"runtime\",\"restart\":\"on-failure\",\"window\":2129,\"flags\":[],"
		"\"requesters\":[\"rootd\",\"procd\"],"
		"\"slots\":[{\"slot\":16,\"name\":\"self\"},{\"slot\":19,\"name\":\"logd\"},"
		"{\"slot\":2128,\"name\":\"kernel-time\"}],\"image\":\"timed\",\"source\":\"timed.c\"}"),
		"%s", json);
	/* the build directory of a source path is not the policy's */
	ck_assert(strstr(json, "\"source\":\"drivers.c\"") != NULL);
	ck_assert(strstr(json, "\"class\":\"driver\",\"endpoint\":\"driver\"") != NULL);
	/* requesters named from the file first (timed), then the ABI (deviced) */
	ck_assert_msg(strstr(json, "{\"name\":\"STOP_PROCESS\",\"id\":1028,\"endpoints\":[\"bootstrap\",\"driver\"],"
			     "\"callers\":[\"deviced\",\"timed\"],\"deny\":false,\"flags\":[]}"), "%s", json);
	ck_assert(strstr(json, "\"callers\":[\"any\"],\"deny\":true,\"flags\":[\"deny\"]") != NULL);
	free(json);
	registry_free(&rf);
	img_free(&im);
}
END_TEST

/* show: each quota as procd applies it, declared or procd's default. */
START_TEST(show_gives_each_quota)
{
	struct registry_file rf;
	struct policy_model m;
	struct elf_error err;
	struct img im;
	FILE *f;
	char *out = NULL;
	size_t len = 0;

	img_good(&im, 0);
	ck_assert_msg(registry_parse(&rf, im.buf, im.len, &err) == 0, "%s", err.msg);
	ck_assert_msg(model_from_registry(&m, &rf, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(m.roles[0].quota[QUOTA_CHILDREN], 4);
	ck_assert_uint_eq(m.roles[0].quota[QUOTA_WAITS], PROCD_QUOTA_WAITS_DEFAULT);
	f = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(f);
	output_show_text(f, &rf, &m, &rf.policies[0]);
	output_show_json(f, &rf, &m, &rf.policies[0]);
	output_show_text(f, &rf, &m, &rf.policies[1]);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_msg(strstr(out, "\nquota       children   4 (declared)\n"
				  "            waits      8 (default)\n"
				  "            transfers  2 (default)\n"
				  "            image-kib  1024 (declared)\n"), "%s", out);
	ck_assert_msg(strstr(out, ",\"quota\":{\"children\":{\"value\":4,\"declared\":true},"
				  "\"waits\":{\"value\":8,\"declared\":false},"
				  "\"transfers\":{\"value\":2,\"declared\":false},"
				  "\"image_kib\":{\"value\":1024,\"declared\":true}}}\n"), "%s", out);
	/* drv-serial declares none: every field procd's default. */
	ck_assert_msg(strstr(out, "\nquota       children   16 (default)\n"
				  "            waits      8 (default)\n"
				  "            transfers  2 (default)\n"
				  "            image-kib  65536 (default)\n"), "%s", out);
	free(out);
	model_free(&m);
	registry_free(&rf);
	img_free(&im);
}
END_TEST

/* Untrusted strings: escaped, and never read past their fixed field. */
START_TEST(strings_escaped)
{
	struct procd_policy p = good_policies[0];
	struct procd_policy_origin o = good_origins[0];
	struct registry_file rf;
	struct elf_error err;
	struct img im;
	char *json, *text;
	const struct spec specs[] = {
		{ PROCD_SECTION_LAYOUT, SHT_PROGBITS, &good_layout, sizeof good_layout },
		{ PROCD_SECTION_POLICIES, SHT_PROGBITS, &p, sizeof p },
		{ PROCD_SECTION_ORIGINS, SHT_PROGBITS, &o, sizeof o },
	};

	memcpy(p.name, "a\"b\\c\n\033[31m\xff" "xxxxxxxxxxxx", PROCD_NAME_MAX); /* no NUL */
	p.requesters[2] = 0x77;
	p.slots[3] = 40;
	p.role_class = 9;
	p.flags = 0x11;
	img_build(&im, specs, 3, 0);
	ck_assert_msg(registry_parse(&rf, im.buf, im.len, &err) == 0, "%s", err.msg);
	json = render(output_list_json, &rf);
	ck_assert_msg(strstr(json, "{\"name\":\"a\\\"b\\\\c\\u000a\\u001b[31m\\u00ffxxxxxxxxxxxx\",\"role\":17,"),
		      "%s", json);
	ck_assert(strstr(json, "\"class\":\"unknown(9)\"") != NULL);
	ck_assert(strstr(json, "\"flags\":[\"loader-launch\",\"0x10\"]") != NULL);
	ck_assert(strstr(json, "\"requesters\":[\"rootd\",\"procd\",\"0x77\"]") != NULL);
	ck_assert(strstr(json, "{\"slot\":40,\"name\":null}") != NULL);
	ck_assert(strstr(json, "\"source\":null") != NULL); /* the origin no longer matches */
	text = render(output_list_text, &rf);
	ck_assert_msg(strstr(text, "a\"b\\x5cc\\x0a\\x1b[31m\\xffxxxxxxxxxxxx ") != NULL, "%s", text);
	ck_assert(strchr(text, '\033') == NULL);
	free(json);
	free(text);
	registry_free(&rf);
	img_free(&im);
}
END_TEST

START_TEST(lint_reports_with_core_wording)
{
	struct procd_policy p = good_policies[0];
	struct registry_file rf;
	struct elf_error err;
	struct lint_output lo;
	struct img im;
	FILE *f = tmpfile();
	char out[2048];
	size_t n;
	const struct spec specs[] = {
		{ PROCD_SECTION_LAYOUT, SHT_PROGBITS, &good_layout, sizeof good_layout },
		{ PROCD_SECTION_POLICIES, SHT_PROGBITS, &p, sizeof p },
		{ PROCD_SECTION_ORIGINS, SHT_PROGBITS, good_origins, sizeof good_origins[0] },
	};

	p.window = 32; /* 2128 no longer inside */
	img_build(&im, specs, 3, 0);
	ck_assert_msg(registry_parse(&rf, im.buf, im.len, &err) == 0, "%s", err.msg);
	ck_assert(f != NULL);
	output_lint_begin(&lo, f, 0, &rf);
	ck_assert_uint_ne(procd_registry_check(&rf.sets, output_lint_finding, &lo), 0);
	output_lint_end(&lo, &rf);
	rewind(f);
	n = fread(out, 1, sizeof out - 1, f);
	out[n] = '\0';
	ck_assert_msg(strstr(out, "timed.c: 'timed', field 'slots': slot 2128 is outside the window of 32"),
		      "%s", out);
	fclose(f);
	registry_free(&rf);
	img_free(&im);
}
END_TEST

static Suite *make_good_suite(void)
{
	Suite *s = suite_create("good registries");
	TCase *tc = tcase_create("read");

	tcase_add_loop_test(tc, good_image_reads, 0, 8); /* every misalignment mod 8 */
	tcase_add_test(tc, empty_registry_reads);
	tcase_add_test(tc, extended_numbering_reads);
	suite_add_tcase(s, tc);
	tc = tcase_create("render");
	tcase_add_test(tc, json_independent_of_link_order);
	tcase_add_test(tc, json_shape);
	tcase_add_test(tc, show_gives_each_quota);
	tcase_add_test(tc, strings_escaped);
	tcase_add_test(tc, lint_reports_with_core_wording);
	suite_add_tcase(s, tc);
	return s;
}

/* ------------------------------------------------------------ bad ELF */

START_TEST(empty_file)
{
	expect_refused("", 0, "empty file");
}
END_TEST

START_TEST(truncated_header)
{
	struct img im;

	img_good(&im, 0);
	im.len = 40;
	expect_img_refused(&im, "truncated ELF header (40 bytes");
}
END_TEST

START_TEST(bad_magic)
{
	struct img im;

	img_good(&im, 0);
	im.buf[1] = 'X';
	expect_img_refused(&im, "not an ELF file");
	expect_refused("#!/bin/sh\n", 10, "not an ELF file");
}
END_TEST

START_TEST(class_32)
{
	struct img im;

	img_good(&im, 0);
	im.buf[4] = 1;
	expect_img_refused(&im, "not a 64-bit ELF file (class 1, ELF32)");
}
END_TEST

START_TEST(big_endian)
{
	struct img im;

	img_good(&im, 0);
	im.buf[5] = 2;
	expect_img_refused(&im, "not a little-endian ELF file");
}
END_TEST

START_TEST(bad_versions)
{
	struct img im;

	img_good(&im, 0);
	im.buf[6] = 0;
	expect_img_refused(&im, "identification version");
	img_good(&im, 0);
	put32(im.buf + 20, 2);
	expect_img_refused(&im, "unknown ELF version 2");
}
END_TEST

START_TEST(no_section_headers)
{
	struct img im;

	img_good(&im, 0);
	put64(im.buf + 40, 0);
	expect_img_refused(&im, "no section header table");
}
END_TEST

START_TEST(bad_shentsize)
{
	struct img im;

	img_good(&im, 0);
	put16(im.buf + 58, 40);
	expect_img_refused(&im, "section header entry size is 40");
}
END_TEST

START_TEST(shoff_beyond_file)
{
	struct img im;

	img_good(&im, 0);
	put64(im.buf + 40, im.len + 8);
	expect_img_refused(&im, "section header table lies outside the file (offset");
	img_good(&im, 0);
	put64(im.buf + 40, UINT64_MAX - 63);
	expect_img_refused(&im, "section header table lies outside the file");
	img_good(&im, 0);
	put16(im.buf + 60, (uint16_t)(im.nsec + 1)); /* one entry past the end */
	expect_img_refused(&im, "section header table lies outside the file");
}
END_TEST

START_TEST(shnum_overflows)
{
	struct img im;

	/* 2^58 + 1 entries of 64 bytes wrap around to 64 */
	img_good(&im, 0);
	put16(im.buf + 60, 0);
	put64(shdr(&im, 0) + 32, ((uint64_t)1 << 58) + 1);
	expect_img_refused(&im, "section header table size overflows");
	img_good(&im, 0);
	put16(im.buf + 60, 0);
	put64(shdr(&im, 0) + 32, UINT64_MAX);
	expect_img_refused(&im, "overflows");
	img_good(&im, 0);
	put16(im.buf + 60, 0);
	expect_img_refused(&im, "the section header table is empty");
}
END_TEST

START_TEST(bad_shstrndx)
{
	struct img im;

	img_good(&im, 0);
	put16(im.buf + 62, (uint16_t)im.nsec);
	expect_img_refused(&im, "section name string table index");
	img_good(&im, 0);
	put16(im.buf + 62, 0);
	expect_img_refused(&im, "no section name string table");
	img_good(&im, 0);
	put16(im.buf + 62, 0xffff);
	put32(shdr(&im, 0) + 40, 0x7fffffff);
	expect_img_refused(&im, "section name string table index 2147483647 is out of range");
	img_good(&im, 0);
	put16(im.buf + 62, SEC_POLICIES); /* PROGBITS, not a string table */
	expect_img_refused(&im, "not SHT_STRTAB");
	img_good(&im, 0);
	put64(shdr(&im, im.nsec - 1) + 32, im.len);
	expect_img_refused(&im, "section name string table lies outside the file");
}
END_TEST

START_TEST(name_outside_strtab)
{
	struct img im;

	img_good(&im, 0);
	put32(shdr(&im, SEC_OPS), (uint32_t)im.strtab_len);
	expect_img_refused(&im, "name offset");
	img_good(&im, 0);
	put32(shdr(&im, SEC_OPS), 0xffffffffu);
	expect_img_refused(&im, "lies outside the section name string table");
}
END_TEST

START_TEST(name_unterminated)
{
	struct img im;

	img_good(&im, 0);
	im.buf[im.strtab_off + im.strtab_len - 1] = 'x'; /* ".shstrtab" loses its NUL */
	expect_img_refused(&im, "is not NUL-terminated");
}
END_TEST

START_TEST(section_past_file)
{
	struct img im;

	img_good(&im, 0);
	put64(shdr(&im, SEC_POLICIES) + 32, im.len);
	expect_img_refused(&im, "('procd_policies'): data lies outside the file");
	img_good(&im, 0);
	put64(shdr(&im, SEC_OPS) + 24, UINT64_MAX - 16); /* offset + size wraps */
	expect_img_refused(&im, "('procd_ops'): data lies outside the file");
}
END_TEST

START_TEST(section_nobits)
{
	struct img im;

	img_good(&im, 0);
	put32(shdr(&im, SEC_POLICIES) + 4, ELF_SHT_NOBITS);
	expect_img_refused(&im, "section 'procd_policies' has no data in the file (SHT_NOBITS)");
	img_good(&im, 0);
	put32(shdr(&im, SEC_LAYOUT) + 4, ELF_SHT_NOBITS);
	expect_img_refused(&im, "SHT_NOBITS");
}
END_TEST

START_TEST(section_torn)
{
	struct img im;

	img_good(&im, 0);
	put64(shdr(&im, SEC_POLICIES) + 32, sizeof good_policies - 1);
	expect_img_refused(&im, "section 'procd_policies' is 511 bytes, not a whole number of 256-byte");
	img_good(&im, 0);
	put64(shdr(&im, SEC_ORIGINS) + 32, sizeof good_origins + 8);
	expect_img_refused(&im, "not a whole number of 64-byte");
	img_good(&im, 0);
	put64(shdr(&im, SEC_OPS) + 32, 64);
	expect_img_refused(&im, "section 'procd_ops' is 64 bytes");
}
END_TEST

START_TEST(duplicate_section)
{
	struct img im;

	img_good(&im, 0);
	put32(shdr(&im, SEC_OPS), elf_le32(shdr(&im, SEC_POLICIES))); /* same name */
	expect_img_refused(&im, "more than one section is named 'procd_policies'");
}
END_TEST

static Suite *make_bad_elf_suite(void)
{
	Suite *s = suite_create("malformed ELF");
	TCase *tc = tcase_create("header");

	tcase_add_test(tc, empty_file);
	tcase_add_test(tc, truncated_header);
	tcase_add_test(tc, bad_magic);
	tcase_add_test(tc, class_32);
	tcase_add_test(tc, big_endian);
	tcase_add_test(tc, bad_versions);
	tcase_add_test(tc, no_section_headers);
	tcase_add_test(tc, bad_shentsize);
	suite_add_tcase(s, tc);
	tc = tcase_create("sections");
	tcase_add_test(tc, shoff_beyond_file);
	tcase_add_test(tc, shnum_overflows);
	tcase_add_test(tc, bad_shstrndx);
	tcase_add_test(tc, name_outside_strtab);
	tcase_add_test(tc, name_unterminated);
	tcase_add_test(tc, section_past_file);
	tcase_add_test(tc, section_nobits);
	tcase_add_test(tc, section_torn);
	tcase_add_test(tc, duplicate_section);
	suite_add_tcase(s, tc);
	return s;
}

/* ------------------------------------------------------- bad registries */

START_TEST(layout_missing)
{
	const struct spec specs[] = {
		{ PROCD_SECTION_POLICIES, SHT_PROGBITS, good_policies, sizeof good_policies },
	};
	struct img im;

	img_build(&im, specs, 1, 0);
	expect_img_refused(&im, "not a procd binary: no procd_registry_layout section");
}
END_TEST

static void expect_layout_refused(const struct procd_layout *l, size_t size, const char *want)
{
	const struct spec specs[] = { { PROCD_SECTION_LAYOUT, SHT_PROGBITS, l, size } };
	struct img im;

	img_build(&im, specs, 1, 0);
	expect_img_refused(&im, want);
}

START_TEST(layout_wrong_magic)
{
	struct procd_layout l = good_layout;

	l.magic[7] = 'X';
	expect_layout_refused(&l, sizeof l, "does not start with the magic \"PROCDREG\"");
}
END_TEST

START_TEST(layout_wrong_version)
{
	struct procd_layout l = good_layout;

	unsigned char longer[2 * sizeof l];

	l.version = PROCD_LAYOUT_VERSION + 1;
	expect_layout_refused(&l, sizeof l, "layout version 3 not understood by this procd-policy (knows 2)");
	/* a later version may be longer: still named as a version, not a size */
	memset(longer, 0, sizeof longer);
	memcpy(longer, &l, sizeof l);
	expect_layout_refused((const struct procd_layout *)(const void *)longer, sizeof longer,
			      "layout version 3 not understood");
}
END_TEST

START_TEST(layout_wrong_size)
{
	struct procd_layout l = good_layout;

	expect_layout_refused(&l, 8, "too short for a layout record");
	expect_layout_refused(&l, 60, "procd_registry_layout is 60 bytes; a version 2 layout record is 64");
}
END_TEST

START_TEST(layout_wrong_descriptor_sizes)
{
	struct procd_layout l = good_layout;

	l.policy_size = 300;
	expect_layout_refused(&l, sizeof l, "layout record: policy_size is 300, this procd-policy knows 256");
	l = good_layout;
	l.op_size = 120;
	expect_layout_refused(&l, sizeof l, "op_size is 120");
	l = good_layout;
	l.origin_size = 0;
	expect_layout_refused(&l, sizeof l, "origin_size is 0");
	l = good_layout;
	l.slots_max = 32;
	expect_layout_refused(&l, sizeof l, "slots_max is 32");
	l = good_layout;
	l.callers_max = 9;
	expect_layout_refused(&l, sizeof l, "callers_max is 9");
}
END_TEST

START_TEST(too_many_entries)
{
	size_t n = REGISTRY_FILE_MAX_ENTRIES + 1;
	struct procd_policy_origin *many = calloc(n, sizeof *many);
	const struct spec specs[] = {
		{ PROCD_SECTION_LAYOUT, SHT_PROGBITS, &good_layout, sizeof good_layout },
		{ PROCD_SECTION_ORIGINS, SHT_PROGBITS, many, n * sizeof *many },
	};
	struct img im;

	ck_assert(many != NULL);
	img_build(&im, specs, 2, 0);
	free(many);
	expect_img_refused(&im, "procd-policy reads at most");
}
END_TEST

START_TEST(load_errors)
{
	struct registry_file rf;
	struct elf_error err;
	char path[] = "/tmp/check-policy-tool.XXXXXX";
	int fd = mkstemp(path);

	ck_assert(registry_load(&rf, "/nonexistent/procd", &err) != 0);
	ck_assert_msg(strstr(err.msg, "cannot open") != NULL, "%s", err.msg);
	ck_assert(registry_load(&rf, "/", &err) != 0);
	ck_assert_msg(strstr(err.msg, "cannot read") != NULL, "%s", err.msg);
	ck_assert(fd >= 0);
	ck_assert(write(fd, "just text\n", 10) == 10);
	close(fd);
	ck_assert(registry_load(&rf, path, &err) != 0);
	ck_assert_msg(strstr(err.msg, "not an ELF file") != NULL, "%s", err.msg);
	unlink(path);
	ck_assert(rf.policies == NULL);
}
END_TEST

static Suite *make_bad_registry_suite(void)
{
	Suite *s = suite_create("malformed registry");
	TCase *tc = tcase_create("layout");

	tcase_add_test(tc, layout_missing);
	tcase_add_test(tc, layout_wrong_magic);
	tcase_add_test(tc, layout_wrong_version);
	tcase_add_test(tc, layout_wrong_size);
	tcase_add_test(tc, layout_wrong_descriptor_sizes);
	tcase_add_test(tc, too_many_entries);
	tcase_add_test(tc, load_errors);
	suite_add_tcase(s, tc);
	return s;
}

/* ----------------------------------------------------------- robustness */

/* xorshift32: the same "random" offsets on every run and every machine. */
static uint32_t next_random(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* Reads, and if that succeeds also checks and renders: every path must return. */
static void exercise(const unsigned char *data, size_t len, FILE *sink)
{
	struct registry_file rf;
	struct elf_error err;
	struct lint_output lo;
	struct policy_model m;
	int have_model;

	if (registry_parse(&rf, data, len, &err) != 0) {
		ck_assert(strlen(err.msg) > 0);
		return;
	}
	output_lint_begin(&lo, sink, 1, &rf);
	procd_registry_check(&rf.sets, output_lint_finding, &lo);
	output_lint_end(&lo, &rf);
	output_list_json(sink, &rf);
	output_list_text(sink, &rf);
	/* A registry with a repeated id has no model; show still renders. */
	have_model = model_from_registry(&m, &rf, &err) == 0;
	if (!have_model)
		memset(&m, 0, sizeof m);
	for (size_t i = 0; i < rf.npolicies; i++) {
		output_show_text(sink, &rf, &m, &rf.policies[i]);
		output_show_json(sink, &rf, &m, &rf.policies[i]);
	}
	if (have_model)
		model_free(&m);
	registry_free(&rf);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	ck_assert(f != NULL);
	ck_assert(fseek(f, 0, SEEK_END) == 0);
	n = ftell(f);
	ck_assert(n > 0);
	rewind(f);
	buf = malloc((size_t)n);
	ck_assert(buf != NULL);
	ck_assert(fread(buf, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Every length up to 4 KiB (the header and first sections), then samples. */
static void truncations(const unsigned char *data, size_t len, unsigned samples, FILE *sink)
{
	uint32_t state = 0x9e3779b9u;

	for (size_t cut = 0; cut < len && cut <= 4096; cut++)
		exercise(data, cut, sink);
	for (unsigned i = 0; i < samples; i++)
		exercise(data, next_random(&state) % len, sink);
}

/* Flips go where they matter most: the ELF header, the section header table
 * and the registry sections; a share lands anywhere. */
static void flips(unsigned char *data, size_t len, unsigned count, FILE *sink)
{
	struct elf_file ef;
	struct elf_error err;
	struct elf_section sec;
	uint64_t hot_off[4], hot_len[4];
	size_t nhot = 0;
	uint32_t state = 0x2545f491u;
	const char *const names[] = { PROCD_SECTION_LAYOUT, PROCD_SECTION_POLICIES, PROCD_SECTION_OPS };

	ck_assert_msg(elf_parse(&ef, data, len, &err) == 0, "%s", err.msg);
	hot_off[nhot] = ef.shoff;
	hot_len[nhot++] = ef.shnum * 64;
	for (size_t i = 0; i < 3; i++)
		if (elf_find_section(&ef, names[i], &sec, &err) == 1 && sec.size) {
			hot_off[nhot] = sec.offset;
			hot_len[nhot++] = sec.size;
		}
	elf_close(&ef);
	for (unsigned i = 0; i < count; i++) {
		uint32_t r = next_random(&state), kind = r % 8;
		size_t at;
		unsigned char saved, bits = (unsigned char)(1u << (next_random(&state) % 8));

		if (kind == 0)
			at = next_random(&state) % 64;
		else if (kind < 6)
			at = (size_t)(hot_off[kind % nhot] + next_random(&state) % hot_len[kind % nhot]);
		else
			at = next_random(&state) % len;
		saved = data[at];
		data[at] = (unsigned char)(kind == 7 ? 0xff : saved ^ bits);
		exercise(data, len, sink);
		data[at] = saved;
	}
}

START_TEST(robust_real_binary)
{
	FILE *sink = fopen("/dev/null", "w");
	size_t len;
	unsigned char *data = slurp(procd_binary(), &len);

	ck_assert(sink != NULL);
	truncations(data, len, 3000, sink);
	flips(data, len, 20000, sink);
	free(data);
	fclose(sink);
}
END_TEST

/* The small image: every byte, three ways. */
START_TEST(robust_small_image)
{
	FILE *sink = fopen("/dev/null", "w");
	struct img im;

	ck_assert(sink != NULL);
	img_good(&im, 3);
	truncations(im.buf, im.len, 0, sink);
	for (size_t at = 0; at < im.len; at++) {
		unsigned char saved = im.buf[at];
		const unsigned char tries[] = { (unsigned char)(saved ^ 0x01), (unsigned char)(saved ^ 0x80), 0xff };

		for (size_t k = 0; k < sizeof tries; k++) {
			im.buf[at] = tries[k];
			exercise(im.buf, im.len, sink);
		}
		im.buf[at] = saved;
	}
	img_free(&im);
	fclose(sink);
}
END_TEST

static Suite *make_robustness_suite(int have_binary)
{
	Suite *s = suite_create("robustness");
	TCase *tc = tcase_create("mutations");

	tcase_set_timeout(tc, 60); /* generous for valgrind and sanitizer builds */
	tcase_add_test(tc, robust_small_image);
	if (have_binary)
		tcase_add_test(tc, robust_real_binary);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int have_binary = procd_binary() != NULL;
	SRunner *sr = srunner_create(make_good_suite());
	int failed;

	srunner_add_suite(sr, make_bad_elf_suite());
	srunner_add_suite(sr, make_bad_registry_suite());
	srunner_add_suite(sr, make_robustness_suite(have_binary));
	if (have_binary)
		srunner_add_suite(sr, make_real_binary_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (failed)
		return EXIT_FAILURE;
	if (!have_binary) {
		fputs("check-policy-tool: PROCD_BINARY unset or unreadable: the tests on a real"
		      " procd were skipped\n", stderr);
		return 77;
	}
	return EXIT_SUCCESS;
}
