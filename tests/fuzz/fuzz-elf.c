/* SPDX-License-Identifier: ISC */
/*
 * The ELF validator's fuzz entry, shared by the libFuzzer target (built with
 * --enable-fuzzing, libFuzzer supplies main) and the plain replay driver
 * (tests/fuzz/replay.c, built and run by every make check), so both run
 * exactly this code.
 *
 * Not only "does not crash": whatever the input, the answers must be
 * consistent, and an accepted plan must keep every promise of
 * core/elf_check.h, checked independently (tests/fuzz/elf-image.c). Any
 * breach aborts, which libFuzzer reports as a finding and the replay
 * driver as a failed test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi/procd_status.h"
#include "core/elf_check.h"
#include "tests/fuzz/elf-image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(int ok, const char *what, const char *detail)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz-elf: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	abort();
}

static int all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

/* What procd_elf_plan_matches must answer, written the obvious way. */
static int reference_matches(const struct procd_elf_plan *plan, const struct procd_segment *segs, uint32_t n)
{
	if (plan->nsegments == 0 || n != plan->nsegments)
		return 0;
	for (uint32_t i = 0; i < n; i++)
		if (segs[i].offset != plan->seg[i].offset || segs[i].vaddr != plan->seg[i].vaddr ||
		    segs[i].filesz != plan->seg[i].filesz || segs[i].memsz != plan->seg[i].memsz ||
		    segs[i].flags != plan->seg[i].flags)
			return 0;
	return 1;
}

/* One verdict with one reserve: a refusal leaves a zero plan and a reason;
 * an acceptance leaves a plan that keeps its promises. */
static uint32_t check_once(const uint8_t *data, size_t size, uint64_t reserve, struct procd_elf_plan *plan)
{
	const char *why = NULL;
	uint32_t status = procd_elf_check(data, size, reserve, plan, &why);

	must(why && why[0], "no reason given", NULL);
	if (status != PROCD_OK) {
		must(status == PROCD_E_INVALID, "a refusal that is not PROCD_E_INVALID", why);
		must(all_zero(plan, sizeof *plan), "a refused image left a plan", why);
		return status;
	}
	must(strcmp(why, "ok") == 0, "accepted with a reason", why);
	why = test_elf_plan_broken(data, size, reserve, plan);
	must(why == NULL, "an accepted plan breaks a promise", why);
	return status;
}

/* COMMIT metadata: the plan's own segments match; any one change does not. */
static void check_matching(const struct procd_elf_plan *plan, const uint8_t *data, size_t size)
{
	struct procd_segment segs[PROCD_ELF_MAX_SEGMENTS + 1];
	uint32_t n = plan->nsegments;
	uint8_t pick = size ? data[size - 1] : 0;
	struct procd_segment *s;

	memcpy(segs, plan->seg, sizeof plan->seg);
	must(procd_elf_plan_matches(plan, segs, n) == 1, "a plan does not match its own segments", NULL);
	must(!procd_elf_plan_matches(plan, segs, n - 1), "a plan matches a shorter list", NULL);
	must(!procd_elf_plan_matches(plan, segs, n + 1), "a plan matches a longer list", NULL);
	s = &segs[pick % n];
	switch ((pick / PROCD_ELF_MAX_SEGMENTS) % 5) {
	case 0: s->offset ^= 1u + pick; break;
	case 1: s->vaddr += PROCD_ELF_PAGE; break;
	case 2: s->filesz ^= 1; break;
	case 3: s->memsz++; break;
	default: s->flags ^= PROCD_PF_W; break;
	}
	must(!procd_elf_plan_matches(plan, segs, n), "a plan matches a changed segment", NULL);
}

/* The input's own bytes read as a segment list, against a plan. */
static void check_raw_segments(const struct procd_elf_plan *plan, const uint8_t *data, size_t size)
{
	struct procd_segment segs[PROCD_ELF_MAX_SEGMENTS + 1];
	size_t n = size / sizeof segs[0];

	if (n > PROCD_ELF_MAX_SEGMENTS + 1)
		n = PROCD_ELF_MAX_SEGMENTS + 1;
	memcpy(segs, data, n * sizeof segs[0]);
	must(procd_elf_plan_matches(plan, segs, (uint32_t)n) == reference_matches(plan, segs, (uint32_t)n),
	     "plan_matches disagrees with the reference", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procd_elf_plan with_reserve, without;
	uint32_t a = check_once(data, size, TEST_ELF_RESERVE, &with_reserve);
	uint32_t b = check_once(data, size, 0, &without);

	/* Asking for a stack reserve can only refuse more, never plan differently. */
	must(a != PROCD_OK || b == PROCD_OK, "accepted with a reserve, refused without", NULL);
	if (a == PROCD_OK)
		must(memcmp(&with_reserve, &without, sizeof without) == 0, "the reserve changed the plan", NULL);
	if (b == PROCD_OK)
		check_matching(&without, data, size);
	check_raw_segments(&without, data, size);
	return 0;
}
