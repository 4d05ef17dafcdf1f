/* SPDX-License-Identifier: ISC */
/*
 * What procd-policy prints: text for people, JSON for tools, Markdown for
 * reviews.
 *
 * Every string comes from an untrusted file, so each is read only up to its
 * fixed field size and escaped on the way out: JSON strings per RFC 8259
 * (bytes >= 0x80 as \u00XX, so the output is valid UTF-8 whatever the file
 * holds), text with \xNN for anything a terminal could act on.
 *
 * The JSON of `list` depends on the registry contents alone (sorted, no file
 * path, source files by base name), so the same policies built by another
 * compiler or on another platform give byte-identical output.
 */
#ifndef PROCD_TOOLS_POLICY_OUTPUT_H
#define PROCD_TOOLS_POLICY_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "tools/policy_model.h"
#include "tools/registry_file.h"

void output_list_text(FILE *out, const struct registry_file *rf);
void output_list_json(FILE *out, const struct registry_file *rf);

/* One role's whole grant, with the ops it may call and the roles it may
 * start (m is the model of rf: model_from_registry). */
void output_show_text(FILE *out, const struct registry_file *rf, const struct policy_model *m,
		      const struct procd_policy *p);
void output_show_json(FILE *out, const struct registry_file *rf, const struct policy_model *m,
		      const struct procd_policy *p);

/*
 * Lint results, streamed (a hostile registry can yield very many findings):
 * begin, then output_lint_finding as procd_registry_check's report callback
 * with the lint_output as its context, then end. The text form of a finding
 * is procd_finding_format's.
 */
struct lint_output {
	FILE *out;
	int json;
	size_t count;
};

void output_lint_begin(struct lint_output *lo, FILE *out, int json, const struct registry_file *rf);
void output_lint_finding(void *lint_output, const struct procd_finding *f);
void output_lint_end(struct lint_output *lo, const struct registry_file *rf);

/* "named, logd, ...": every role name, in role order, for error messages. */
void output_role_names(FILE *out, const struct registry_file *rf);

/* A string of at most max bytes (stopping at a NUL), made safe for a terminal. */
void output_text_escaped(FILE *out, const char *s, size_t max);
/* A string as a JSON string (quoted, escaped). */
void output_json_str(FILE *out, const char *s);
/* A string made safe for a Markdown table cell. */
void output_md_escaped(FILE *out, const char *s);

/* `list --markdown`: the roles and ops as two tables ready for a review. */
void output_list_markdown(FILE *out, const struct registry_file *rf);

#endif
