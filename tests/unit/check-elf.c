/* SPDX-License-Identifier: ISC */
/*
 * The ELF image validator (core/elf_check.c), one suite per area:
 *
 *   header, phdr-types, loads, entry-stack, accepted
 *       every rule, table-driven (tests/fuzz/elf-cases.c): a small valid
 *       image built in memory, broken one way per case, refused with
 *       PROCD_E_INVALID and exactly that rule's reason; and the layouts
 *       real linkers produce, accepted
 *   plan      the plan of an accepted image, the API's edges, and
 *             procd_elf_plan_matches (loaderd's COMMIT metadata)
 *   helpers   every real helper binary accepted with a 64 KiB reserve, its
 *             plan's entry and vaddr_end those of `nm` (_start, stack_top)
 *   robustness  a helper truncated at every length and corrupted bit by bit
 *             and at random: never a crash (the forked runner turns one into
 *             a failure), never a plan that breaks its promises
 *   corpus    the checked-in seed corpus: ok-* accepted, bad-* refused for
 *             the reason the case table gives
 *
 * The helpers are found through abs_top_builddir and the corpus through
 * abs_top_srcdir (make check exports both); without them those suites say
 * so and are left out.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi/procd_status.h"
#include "core/elf64.h"
#include "core/elf_check.h"
#include "tests/fuzz/elf-cases.h"
#include "tests/fuzz/elf-image.h"

static const char *const helpers[] = {
	"phase0-exit", "phase0-fault-kill", "phase0-isolation-a", "phase0-isolation-b",
	"phase0-probe", "phase1-lookup-client", "phase1-time-client", "phase2-irq-client",
};
#define NHELPERS (sizeof helpers / sizeof helpers[0])

static int all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

/* The whole file, or NULL; *len its size. */
static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long end;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (end = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)end + 1)) && fread(buf, 1, (size_t)end, f) == (size_t)end) {
		*len = (size_t)end;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Checks image[0..len): a refusal must zero the plan, an acceptance must
 * keep every promise. Returns the status; *why the reason. */
static uint32_t check_consistent(const uint8_t *image, size_t len, uint64_t reserve,
				 struct procd_elf_plan *plan, const char **why)
{
	uint32_t status;
	const char *broken;

	memset(plan, 0xa5, sizeof *plan);
	status = procd_elf_check(image, len, reserve, plan, why);
	ck_assert_ptr_nonnull(*why);
	if (status != PROCD_OK) {
		ck_assert_uint_eq(status, PROCD_E_INVALID);
		ck_assert_msg(all_zero(plan, sizeof *plan), "refused (%s) but the plan is not zeroed", *why);
		return status;
	}
	ck_assert_str_eq(*why, "ok");
	broken = test_elf_plan_broken(image, len, reserve, plan);
	ck_assert_msg(broken == NULL, "accepted, but %s", broken ? broken : "");
	return status;
}

/* ---- the rules, table-driven: one loop test per area ---- */

START_TEST(rule)
{
	const struct test_elf_case *c = &test_elf_cases[_i];
	struct test_elf t;
	struct procd_elf_plan plan;
	const char *why = NULL;
	uint32_t status;

	test_elf_case_image(c, &t);
	status = check_consistent(t.u.b, t.len, TEST_ELF_RESERVE, &plan, &why);
	ck_assert_msg(strcmp(why, c->why) == 0, "case %s: \"%s\", expected \"%s\"", c->name, why, c->why);
	ck_assert_uint_eq(status, strcmp(c->why, "ok") == 0 ? PROCD_OK : PROCD_E_INVALID);
}
END_TEST

/* ---- plan ---- */

START_TEST(plan_of_the_default_image)
{
	struct test_elf t;
	struct procd_elf_plan plan;
	const char *why;

	test_elf_build_default(&t);
	ck_assert_uint_eq(procd_elf_check(t.u.b, t.len, TEST_ELF_RESERVE, &plan, &why), PROCD_OK);
	ck_assert_str_eq(why, "ok");
	ck_assert_uint_eq(plan.nsegments, 3);
	ck_assert_uint_eq(plan.entry, t.u.h.eh.e_entry);
	for (uint32_t i = 0; i < 3; i++) {
		const struct procd_elf64_phdr *p = &t.u.h.ph[i];

		ck_assert_uint_eq(plan.seg[i].offset, p->p_offset);
		ck_assert_uint_eq(plan.seg[i].vaddr, p->p_vaddr);
		ck_assert_uint_eq(plan.seg[i].filesz, p->p_filesz);
		ck_assert_uint_eq(plan.seg[i].memsz, p->p_memsz);
		ck_assert_uint_eq(plan.seg[i].flags, p->p_flags);
	}
	ck_assert_uint_eq(plan.seg[0].flags, PROCD_PF_R | PROCD_PF_X);
	ck_assert_uint_eq(plan.vaddr_end, t.u.h.ph[2].p_vaddr + t.u.h.ph[2].p_memsz);
	ck_assert_uint_eq(plan.vaddr_end - TEST_ELF_RESERVE, t.u.h.ph[2].p_vaddr + t.u.h.ph[2].p_filesz);
}
END_TEST

START_TEST(the_reserve_is_the_callers)
{
	struct test_elf t;
	struct procd_elf_plan plan;
	const char *why;

	/* The default image has exactly TEST_ELF_RESERVE bytes of zero fill. */
	test_elf_build_default(&t);
	ck_assert_uint_eq(procd_elf_check(t.u.b, t.len, 0, &plan, &why), PROCD_OK);
	ck_assert_uint_eq(procd_elf_check(t.u.b, t.len, TEST_ELF_RESERVE, &plan, &why), PROCD_OK);
	ck_assert_uint_eq(procd_elf_check(t.u.b, t.len, TEST_ELF_RESERVE + 1, &plan, &why), PROCD_E_INVALID);
	ck_assert_str_eq(why, "final PT_LOAD segment has less zero fill than the stack reserve");
	ck_assert_uint_eq(procd_elf_check(t.u.b, t.len, UINT64_MAX, &plan, &why), PROCD_E_INVALID);
}
END_TEST

START_TEST(api_edges)
{
	struct test_elf t;
	struct procd_elf_plan plan;
	const char *why = NULL;

	test_elf_build_default(&t);
	ck_assert_uint_eq(procd_elf_check(t.u.b, t.len, TEST_ELF_RESERVE, &plan, NULL), PROCD_OK);
	ck_assert_uint_eq(procd_elf_check(t.u.b, t.len, TEST_ELF_RESERVE, NULL, &why), PROCD_E_INVALID);
	ck_assert_str_eq(why, "no plan to fill");
	memset(&plan, 0xa5, sizeof plan);
	ck_assert_uint_eq(procd_elf_check(NULL, 100, TEST_ELF_RESERVE, &plan, &why), PROCD_E_INVALID);
	ck_assert_str_eq(why, "no image");
	ck_assert(all_zero(&plan, sizeof plan));
}
END_TEST

START_TEST(an_unaligned_image_is_read_the_same)
{
	static uint8_t buf[TEST_ELF_BYTES + 8];
	struct test_elf t;
	struct procd_elf_plan aligned, odd;
	const char *why;

	test_elf_build_default(&t);
	memcpy(buf + 3, t.u.b, t.len);
	ck_assert_uint_eq(procd_elf_check(t.u.b, t.len, TEST_ELF_RESERVE, &aligned, &why), PROCD_OK);
	ck_assert_uint_eq(procd_elf_check(buf + 3, t.len, TEST_ELF_RESERVE, &odd, &why), PROCD_OK);
	ck_assert(memcmp(&aligned, &odd, sizeof odd) == 0);
}
END_TEST

static void default_plan(struct procd_elf_plan *plan, struct procd_segment *segs)
{
	struct test_elf t;
	const char *why;

	test_elf_build_default(&t);
	ck_assert_uint_eq(procd_elf_check(t.u.b, t.len, TEST_ELF_RESERVE, plan, &why), PROCD_OK);
	memcpy(segs, plan->seg, sizeof plan->seg);
}

START_TEST(matches_exactly_the_plan)
{
	struct procd_elf_plan plan;
	struct procd_segment segs[PROCD_ELF_MAX_SEGMENTS];

	default_plan(&plan, segs);
	ck_assert_int_eq(procd_elf_plan_matches(&plan, segs, 3), 1);
	ck_assert_int_eq(procd_elf_plan_matches(&plan, segs, 2), 0);
	ck_assert_int_eq(procd_elf_plan_matches(&plan, segs, 4), 0);
	ck_assert_int_eq(procd_elf_plan_matches(&plan, segs, 0), 0);
	ck_assert_int_eq(procd_elf_plan_matches(&plan, segs, UINT32_MAX), 0);
	ck_assert_int_eq(procd_elf_plan_matches(&plan, NULL, 3), 0);
	ck_assert_int_eq(procd_elf_plan_matches(NULL, segs, 3), 0);
}
END_TEST

START_TEST(matches_nothing_changed)
{
	struct procd_elf_plan plan;
	struct procd_segment segs[PROCD_ELF_MAX_SEGMENTS], s;

	default_plan(&plan, segs);
	for (int field = 0; field < 5; field++) {
		for (uint32_t i = 0; i < plan.nsegments; i++) {
			struct procd_segment changed[PROCD_ELF_MAX_SEGMENTS];

			memcpy(changed, segs, sizeof changed);
			switch (field) {
			case 0: changed[i].offset++; break;
			case 1: changed[i].vaddr += PROCD_ELF_PAGE; break;
			case 2: changed[i].filesz--; break;
			case 3: changed[i].memsz++; break;
			default: changed[i].flags ^= PROCD_PF_X; break;
			}
			ck_assert_msg(!procd_elf_plan_matches(&plan, changed, 3), "field %d of segment %u", field, i);
		}
	}
	/* The same segments in another order are another image. */
	s = segs[0];
	segs[0] = segs[1];
	segs[1] = s;
	ck_assert_int_eq(procd_elf_plan_matches(&plan, segs, 3), 0);
}
END_TEST

START_TEST(a_refused_plan_matches_nothing)
{
	struct test_elf t;
	struct procd_elf_plan plan;
	struct procd_segment none[1] = { { 0 } };
	const char *why;

	test_elf_build_default(&t);
	t.u.h.ph[0].p_flags |= PROCD_PF_W;
	ck_assert_uint_eq(procd_elf_check(t.u.b, t.len, TEST_ELF_RESERVE, &plan, &why), PROCD_E_INVALID);
	ck_assert_int_eq(procd_elf_plan_matches(&plan, none, 0), 0);
	ck_assert_int_eq(procd_elf_plan_matches(&plan, none, 1), 0);
}
END_TEST

/* ---- the real helpers ---- */

static char helper_dir[4096];

/* The address nm gives symbol, or 0. */
static uint64_t nm_symbol(const char *path, const char *symbol)
{
	const char *nm = getenv("NM");
	char cmd[8192], line[512], name[256], type;
	unsigned long long addr, found = 0;
	FILE *p;

	snprintf(cmd, sizeof cmd, "'%s' '%s'", nm && *nm ? nm : "nm", path);
	p = popen(cmd, "r");
	ck_assert_msg(p != NULL, "cannot run %s", cmd);
	while (fgets(line, sizeof line, p))
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) == 3 && strcmp(name, symbol) == 0)
			found = addr;
	ck_assert_msg(pclose(p) == 0, "%s failed", cmd);
	return found;
}

START_TEST(helper_accepted)
{
	char path[8192];
	struct procd_elf_plan plan;
	struct procd_elf64_ehdr eh;
	const struct procd_segment *last;
	const char *why;
	size_t len;
	uint8_t *image;

	snprintf(path, sizeof path, "%s/%s", helper_dir, helpers[_i]);
	image = read_file(path, &len);
	ck_assert_msg(image != NULL, "cannot read %s", path);
	ck_assert_msg(check_consistent(image, len, 65536, &plan, &why) == PROCD_OK, "%s refused: %s", helpers[_i],
		      why);
	memcpy(&eh, image, sizeof eh);
	ck_assert_uint_eq(plan.entry, eh.e_entry);
	ck_assert_uint_eq(plan.entry, nm_symbol(path, "_start"));
	ck_assert_uint_eq(plan.vaddr_end, nm_symbol(path, "stack_top"));
	/* ld/helper-common.ld: text (R X), rodata (R), data ending in the reserve. */
	ck_assert_uint_eq(plan.nsegments, 3);
	ck_assert_uint_eq(plan.seg[0].flags, PROCD_PF_R | PROCD_PF_X);
	ck_assert_uint_eq(plan.seg[1].flags, PROCD_PF_R);
	last = &plan.seg[2];
	ck_assert_uint_eq(last->flags, PROCD_PF_R | PROCD_PF_W);
	ck_assert_uint_ge(last->memsz - last->filesz, 65536);
	free(image);
}
END_TEST

/* ---- robustness, over a helper (or the test image without helpers) ---- */

static uint8_t *victim;
static size_t victim_len;

static void load_victim(void)
{
	static struct test_elf t;
	char path[8192];

	if (helper_dir[0]) {
		snprintf(path, sizeof path, "%s/%s", helper_dir, helpers[0]);
		victim = read_file(path, &victim_len);
		ck_assert_msg(victim != NULL, "cannot read %s", path);
		return;
	}
	test_elf_build_default(&t);
	victim = t.u.b;
	victim_len = t.len;
}

/* Where the image's headers and segment bytes end: every shorter prefix
 * must be refused, every longer one accepted (nothing past it is read). */
static size_t bytes_needed(const uint8_t *image)
{
	struct procd_elf64_ehdr eh;
	size_t need;

	memcpy(&eh, image, sizeof eh);
	need = (size_t)(eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(struct procd_elf64_phdr));
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		struct procd_elf64_phdr ph;

		memcpy(&ph, image + eh.e_phoff + i * sizeof ph, sizeof ph);
		if (ph.p_type != PROCD_PT_NULL && ph.p_offset + ph.p_filesz > need)
			need = (size_t)(ph.p_offset + ph.p_filesz);
	}
	return need;
}

START_TEST(every_truncation)
{
	struct procd_elf_plan plan;
	const char *why;
	size_t need;

	load_victim();
	ck_assert_uint_eq(check_consistent(victim, victim_len, TEST_ELF_RESERVE, &plan, &why), PROCD_OK);
	need = bytes_needed(victim);
	for (size_t len = 0; len <= victim_len; len++) {
		/* A copy of exactly len bytes: a read past it is out of bounds,
		 * which a --enable-sanitizers build reports. */
		uint8_t *cut = malloc(len ? len : 1);
		uint32_t status;

		ck_assert_ptr_nonnull(cut);
		memcpy(cut, victim, len);
		status = check_consistent(cut, len, TEST_ELF_RESERVE, &plan, &why);
		ck_assert_msg(status == (len >= need ? PROCD_OK : PROCD_E_INVALID), "cut at %zu of %zu (needed %zu): %s",
			      len, victim_len, need, why);
		free(cut);
	}
}
END_TEST

START_TEST(every_header_bit)
{
	struct procd_elf64_ehdr eh;
	struct procd_elf_plan plan;
	const char *why;
	size_t end, accepted = 0;

	load_victim();
	memcpy(&eh, victim, sizeof eh);
	end = (size_t)(eh.e_phoff + (uint64_t)eh.e_phnum * PROCD_ELF64_PHDR_SIZE);
	for (size_t byte = 0; byte < end; byte++) {
		for (int bit = 0; bit < 8; bit++) {
			victim[byte] ^= (uint8_t)(1u << bit);
			if (check_consistent(victim, victim_len, TEST_ELF_RESERVE, &plan, &why) == PROCD_OK)
				accepted++;
			victim[byte] ^= (uint8_t)(1u << bit);
		}
	}
	/* Some flips are harmless (padding, p_paddr, section fields), most not. */
	ck_assert_uint_gt(accepted, 0);
	ck_assert_uint_lt(accepted, end * 8);
}
END_TEST

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

START_TEST(random_corruption)
{
	struct procd_elf_plan plan;
	const char *why;
	uint64_t seed = 0x9e3779b97f4a7c15u;
	uint8_t *copy;

	load_victim();
	copy = malloc(victim_len);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, victim, victim_len);
	for (int round = 0; round < 20000; round++) {
		int changes = 1 + (int)(xorshift(&seed) % 6);

		for (int c = 0; c < changes; c++) {
			/* Half of the changes hit the headers, where the rules are. */
			size_t span = (xorshift(&seed) & 1) ? 64 + 16 * 56 : victim_len;
			size_t at = (size_t)(xorshift(&seed) % (span < victim_len ? span : victim_len));

			victim[at] = (uint8_t)xorshift(&seed);
		}
		check_consistent(victim, victim_len, TEST_ELF_RESERVE, &plan, &why);
		memcpy(victim, copy, victim_len);
	}
	free(copy);
}
END_TEST

/* ---- the seed corpus ---- */

static char corpus_dir[4096];

START_TEST(corpus_files_say_what_they_are)
{
	DIR *d = opendir(corpus_dir);
	struct dirent *e;
	unsigned ok = 0, bad = 0, marked = 0, want = 0;

	ck_assert_msg(d != NULL, "cannot open %s", corpus_dir);
	while ((e = readdir(d))) {
		const struct test_elf_case *c;
		struct procd_elf_plan plan;
		char path[8192];
		const char *why, *name = e->d_name;
		uint8_t *image;
		size_t len;
		uint32_t status;

		if (strncmp(name, "ok-", 3) != 0 && strncmp(name, "bad-", 4) != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", corpus_dir, name);
		image = read_file(path, &len);
		ck_assert_msg(image != NULL, "cannot read %s", path);
		status = check_consistent(image, len, TEST_ELF_RESERVE, &plan, &why);
		if (name[0] == 'o') {
			ck_assert_msg(status == PROCD_OK, "%s refused: %s", name, why);
			ok++;
		} else {
			ck_assert_msg(status == PROCD_E_INVALID, "%s accepted", name);
			bad++;
		}
		c = test_elf_case_find(strchr(name, '-') + 1);
		if (c) {
			ck_assert_msg(strcmp(why, c->why) == 0, "%s: \"%s\", the case says \"%s\"", name, why, c->why);
			marked += c->corpus ? 1 : 0;
		}
		free(image);
	}
	closedir(d);
	ck_assert_uint_gt(ok, 0);
	ck_assert_uint_gt(bad, 0);
	for (size_t i = 0; i < test_elf_ncases; i++)
		want += test_elf_cases[i].corpus ? 1 : 0;
	ck_assert_msg(marked == want, "the corpus has %u of the %u cases marked for it (make fuzz-corpus-elf)",
		      marked, want);
}
END_TEST

/* ---- the runner ---- */

static const char *const area_names[TEST_ELF_AREAS] = {
	"header", "phdr-types", "loads", "entry-stack", "accepted",
};

static Suite *rule_suite(enum test_elf_area area)
{
	Suite *s = suite_create(area_names[area]);
	TCase *tc = tcase_create("rules");
	size_t first = test_elf_ncases, end = 0;

	for (size_t i = 0; i < test_elf_ncases; i++) {
		if (test_elf_cases[i].area != area)
			continue;
		if (first == test_elf_ncases)
			first = i;
		end = i + 1;
	}
	/* The table is grouped by area: a stray case would be skipped. */
	for (size_t i = first; i < end; i++)
		if (test_elf_cases[i].area != area) {
			fprintf(stderr, "check-elf: case %s is out of its area's group\n", test_elf_cases[i].name);
			exit(EXIT_FAILURE);
		}
	tcase_add_loop_test(tc, rule, (int)first, (int)end);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *plan_suite(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("plan");

	tcase_add_test(tc, plan_of_the_default_image);
	tcase_add_test(tc, the_reserve_is_the_callers);
	tcase_add_test(tc, api_edges);
	tcase_add_test(tc, an_unaligned_image_is_read_the_same);
	tcase_add_test(tc, matches_exactly_the_plan);
	tcase_add_test(tc, matches_nothing_changed);
	tcase_add_test(tc, a_refused_plan_matches_nothing);
	suite_add_tcase(s, tc);
	return s;
}

/* Whether env names a directory holding sub/probe; fills dir with env/sub. */
static int find_dir(const char *env, const char *sub, const char *probe, char *dir, size_t cap)
{
	const char *top = getenv(env);
	char path[8192];
	FILE *f;

	if (!top || !*top || snprintf(dir, cap, "%s/%s", top, sub) >= (int)cap)
		return 0;
	snprintf(path, sizeof path, "%s/%s", dir, probe);
	if (!(f = fopen(path, "rb"))) {
		dir[0] = '\0';
		return 0;
	}
	fclose(f);
	return 1;
}

int main(void)
{
	SRunner *sr = srunner_create(plan_suite());
	Suite *s;
	TCase *tc;
	int failed;

	for (int a = 0; a < TEST_ELF_AREAS; a++)
		srunner_add_suite(sr, rule_suite((enum test_elf_area)a));

	s = suite_create("helpers");
	if (find_dir("abs_top_builddir", "helpers", helpers[0], helper_dir, sizeof helper_dir)) {
		tc = tcase_create("accepted");
		/* Each runs nm twice: a loaded machine needs more than Check's 4 s. */
		tcase_set_timeout(tc, 30);
		tcase_add_loop_test(tc, helper_accepted, 0, (int)NHELPERS);
		suite_add_tcase(s, tc);
	} else {
		printf("check-elf: helpers not built (abs_top_builddir/helpers/%s): skipping the helpers tcase; "
		       "robustness runs over the test image instead\n", helpers[0]);
	}
	srunner_add_suite(sr, s);

	s = suite_create("robustness");
	tc = tcase_create("corruption");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_truncation);
	tcase_add_test(tc, every_header_bit);
	tcase_add_test(tc, random_corruption);
	suite_add_tcase(s, tc);
	srunner_add_suite(sr, s);

	s = suite_create("corpus");
	if (find_dir("abs_top_srcdir", "tests/fuzz/corpus/elf", "ok-minimal", corpus_dir, sizeof corpus_dir)) {
		tc = tcase_create("seeds");
		tcase_add_test(tc, corpus_files_say_what_they_are);
		suite_add_tcase(s, tc);
	} else {
		printf("check-elf: no seed corpus (abs_top_srcdir/tests/fuzz/corpus/elf): skipping the corpus tcase\n");
	}
	srunner_add_suite(sr, s);

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
