/* SPDX-License-Identifier: ISC */
/*
 * Lint findings as they stream from procd_registry_check, in text or
 * JSON, and the list of role names an error message gives.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "tools/abi_names.h"
#include "tools/output_common.h"
#include "tools/policy_model.h"
#include "tools/policy_output.h"
#include "tools/policy_reach.h"

/* ------------------------------------------------------------------ lint */

void output_lint_begin(struct lint_output *lo, FILE *out, int json, const struct registry_file *rf)
{
	lo->out = out;
	lo->json = json;
	lo->count = 0;
	if (json)
		fprintf(out, "{\n  \"policies\": %zu,\n  \"ops\": %zu,\n  \"findings\": [", rf->npolicies,
			rf->nops);
}

static void lint_json(FILE *out, const struct procd_finding *f)
{
	fputs("{\"source\":", out);
	out_json_string(out, (struct label){ f->source, sizeof f->source });
	fputs(",\"subject\":", out);
	out_json_string(out, (struct label){ f->subject, sizeof f->subject });
	fputs(",\"field\":", out);
	out_json_str(out, f->field ? f->field : "");
	fputs(",\"message\":", out);
	out_json_string(out, (struct label){ f->message, sizeof f->message });
	fputc('}', out);
}

void output_lint_finding(void *lint_output, const struct procd_finding *f)
{
	struct lint_output *lo = lint_output;
	char buf[512];
	struct procd_text t;

	if (lo->json) {
		fputs(lo->count ? ",\n    " : "\n    ", lo->out);
		lint_json(lo->out, f);
	} else {
		procd_text_init(&t, buf, sizeof buf);
		procd_finding_format(f, &t);
		output_text_escaped(lo->out, buf, sizeof buf);
		fputc('\n', lo->out);
	}
	lo->count++;
}

void output_lint_end(struct lint_output *lo, const struct registry_file *rf)
{
	if (lo->json)
		fprintf(lo->out, "%s]\n}\n", lo->count ? "\n  " : "");
	else if (lo->count == 0)
		fprintf(lo->out, "%zu policies, %zu ops: registry invariants hold\n", rf->npolicies,
			rf->nops);
}

void output_role_names(FILE *out, const struct registry_file *rf)
{
	for (size_t i = 0; i < rf->npolicies; i++) {
		if (i)
			fputs(", ", out);
		out_put_label(out, (struct label){ rf->policies[i].name, sizeof rf->policies[i].name });
	}
	if (rf->npolicies == 0)
		fputs("(none)", out);
}
