/* SPDX-License-Identifier: ISC */
/*
 * A policy diff for people (text), for tools (JSON) and for reviews
 * (Markdown): the changes in the order diff_models found them, then what
 * was not compared, then the counts CI gates on.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tools/diff_values.h"
#include "tools/policy_diff.h"
#include "tools/policy_output.h"
#include "tools/role_modules.h"

static int same_subject(const struct diff_change *a, const struct diff_change *b)
{
	return a->is_op == b->is_op && a->id == b->id;
}

static const char *skipped_name(const struct policy_diff *d, size_t i, struct diff_value *v)
{
	const char *name = model_role_name(d->old, d->skipped[i]);

	return name ? name : diff_number_ref(d->skipped[i], v);
}

static const char *skipped_op_name(const struct policy_diff *d, size_t i, struct diff_value *v)
{
	for (size_t k = 0; k < d->old->nops; k++)
		if (d->old->ops[k].id == d->skipped_ops[i])
			return d->old->ops[k].name;
	return diff_number_ref(d->skipped_ops[i], v);
}

/* Whether skipped op i is the first of its module (modules listed once). */
static int first_of_module(const struct policy_diff *d, size_t i)
{
	const char *module = role_module_of_op(d->skipped_ops[i]);

	for (size_t k = 0; k < i; k++)
		if (strcmp(role_module_of_op(d->skipped_ops[k]), module) == 0)
			return 0;
	return 1;
}

/* "loader (BEGIN_LOADER_IMAGE_TRANSFER, ...), probe (PROBE_COMPLETE)" */
static void write_left_out(FILE *out, const struct policy_diff *d,
			   void (*escaped)(FILE *, const char *))
{
	struct diff_value v;
	int modules = 0;

	for (size_t i = 0; i < d->nskipped_ops; i++) {
		const char *module = role_module_of_op(d->skipped_ops[i]);
		int ops = 0;

		if (!first_of_module(d, i))
			continue;
		fprintf(out, "%s%s (", modules++ ? ", " : "", module);
		for (size_t k = i; k < d->nskipped_ops; k++)
			if (strcmp(role_module_of_op(d->skipped_ops[k]), module) == 0) {
				fputs(ops++ ? ", " : "", out);
				escaped(out, skipped_op_name(d, k, &v));
			}
		fputc(')', out);
	}
}

static void text_escaped_all(FILE *out, const char *s)
{
	output_text_escaped(out, s, SIZE_MAX);
}

/* "role timed (0x010)": what a change is of. */
static void write_subject(FILE *out, const struct diff_change *c, void (*escaped)(FILE *, const char *))
{
	fprintf(out, "%s ", c->is_op ? "op" : "role");
	escaped(out, c->name);
	fprintf(out, " (0x%03" PRIx32 ")", c->id);
}

/* A role's source as given, and the old side's where it was another. */
static void write_source(FILE *out, const struct diff_change *c, const char *source,
			 void (*escaped)(FILE *, const char *))
{
	escaped(out, source);
	if (c->old_source[0] && strcmp(c->old_source, c->source) != 0) {
		fputs(" (was ", out);
		escaped(out, c->old_source);
		fputc(')', out);
	}
}

static void text_subject(FILE *out, const struct diff_change *c)
{
	write_subject(out, c, text_escaped_all);
	if (!c->is_op) {
		fputs(", ", out);
		write_source(out, c, c->source[0] ? c->source : "no origin record", text_escaped_all);
	}
	fputc('\n', out);
}

static void text_change(FILE *out, const struct diff_change *c)
{
	fprintf(out, "  %-9s  %s %s: ", diff_effect_name(c->effect), c->field, c->change);
	if (c->old_value[0] && c->new_value[0]) {
		output_text_escaped(out, c->old_value, SIZE_MAX);
		fputs(" -> ", out);
		output_text_escaped(out, c->new_value, SIZE_MAX);
	} else {
		output_text_escaped(out, c->old_value[0] ? c->old_value : c->new_value, SIZE_MAX);
	}
	fputc('\n', out);
	if (c->note[0]) {
		fputs("  !          ", out);
		output_text_escaped(out, c->note, SIZE_MAX);
		fputc('\n', out);
	}
}

static void text_summary(FILE *out, const struct policy_diff *d)
{
	fprintf(out, "%zu change%s: %zu widening, %zu narrowing, %zu neutral", d->n,
		d->n == 1 ? "" : "s", d->count[EFFECT_WIDENING], d->count[EFFECT_NARROWING],
		d->count[EFFECT_NEUTRAL]);
	/* Said only when there is one, so the summary of every other diff reads as before. */
	if (d->count[EFFECT_IMAGE])
		fprintf(out, ", %zu image", d->count[EFFECT_IMAGE]);
	fputc('\n', out);
}

void diff_write_text(FILE *out, const struct policy_diff *d, const char *old_label,
		     const char *new_label)
{
	struct diff_value v;

	fputs("--- ", out);
	output_text_escaped(out, old_label, SIZE_MAX);
	fputs("\n+++ ", out);
	output_text_escaped(out, new_label, SIZE_MAX);
	fputc('\n', out);
	for (size_t i = 0; i < d->n; i++) {
		if (i == 0 || !same_subject(&d->changes[i - 1], &d->changes[i]))
			text_subject(out, &d->changes[i]);
		text_change(out, &d->changes[i]);
	}
	if (d->nskipped) {
		fputs("not compared (not compiled into the new side): ", out);
		for (size_t i = 0; i < d->nskipped; i++) {
			fputs(i ? ", " : "", out);
			output_text_escaped(out, skipped_name(d, i, &v), SIZE_MAX);
		}
		fputc('\n', out);
	}
	if (d->nskipped_ops) {
		fputs("role modules not compiled into the new side, their ops not compared: ", out);
		write_left_out(out, d, text_escaped_all);
		fputc('\n', out);
	}
	if (d->n == 0)
		fputs("no change of authority\n", out);
	else
		text_summary(out, d);
}

static void json_value(FILE *out, const char *s)
{
	if (s[0])
		output_json_str(out, s);
	else
		fputs("null", out);
}

static void json_change(FILE *out, const struct diff_change *c)
{
	fprintf(out, "{\"subject\":\"%s\",\"name\":", c->is_op ? "op" : "role");
	output_json_str(out, c->name);
	fprintf(out, ",\"id\":%" PRIu32 ",\"source\":", c->id);
	json_value(out, c->is_op ? "" : c->source);
	fputs(",\"old_source\":", out);
	json_value(out, c->is_op ? "" : c->old_source);
	fprintf(out, ",\"field\":\"%s\",\"change\":\"%s\",\"old\":", c->field, c->change);
	json_value(out, c->old_value);
	fputs(",\"new\":", out);
	json_value(out, c->new_value);
	fprintf(out, ",\"effect\":\"%s\",\"note\":", diff_effect_name(c->effect));
	json_value(out, c->note);
	fputc('}', out);
}

void diff_write_json(FILE *out, const struct policy_diff *d, const char *old_label,
		     const char *new_label)
{
	struct diff_value v;

	fputs("{\n  \"old\": ", out);
	output_json_str(out, old_label);
	fputs(",\n  \"new\": ", out);
	output_json_str(out, new_label);
	fprintf(out, ",\n  \"compiled_in_only\": %s,\n  \"changes\": [%s",
		d->compiled_in ? "true" : "false", d->n ? "\n" : "");
	for (size_t i = 0; i < d->n; i++) {
		fputs(i ? ",\n    " : "    ", out);
		json_change(out, &d->changes[i]);
	}
	fprintf(out, "%s],\n  \"not_compared\": [", d->n ? "\n  " : "");
	for (size_t i = 0; i < d->nskipped; i++) {
		fputs(i ? "," : "", out);
		output_json_str(out, skipped_name(d, i, &v));
	}
	fputs("],\n  \"modules_left_out\": [", out);
	for (size_t i = 0, n = 0; i < d->nskipped_ops; i++)
		if (first_of_module(d, i)) {
			fputs(n++ ? "," : "", out);
			output_json_str(out, role_module_of_op(d->skipped_ops[i]));
		}
	fputs("],\n  \"ops_not_compared\": [", out);
	for (size_t i = 0; i < d->nskipped_ops; i++) {
		fputs(i ? "," : "", out);
		output_json_str(out, skipped_op_name(d, i, &v));
	}
	fprintf(out, "],\n  \"widening\": %zu,\n  \"narrowing\": %zu,\n  \"neutral\": %zu,"
		"\n  \"image\": %zu\n}\n", d->count[EFFECT_WIDENING], d->count[EFFECT_NARROWING],
		d->count[EFFECT_NEUTRAL], d->count[EFFECT_IMAGE]);
}

void diff_write_markdown(FILE *out, const struct policy_diff *d, const char *old_label,
			 const char *new_label)
{
	struct diff_value v;

	fputs("#### procd policy: ", out);
	output_md_escaped(out, old_label);
	fputs(" → ", out);
	output_md_escaped(out, new_label);
	fputs("\n\n", out);
	if (d->n == 0) {
		fputs("No change of authority.\n", out);
	} else {
		fputs("| effect | subject | source | change | old | new |\n"
		      "|---|---|---|---|---|---|\n", out);
		for (size_t i = 0; i < d->n; i++) {
			const struct diff_change *c = &d->changes[i];

			fprintf(out, c->effect == EFFECT_WIDENING || c->effect == EFFECT_IMAGE ?
				"| **%s** | " : "| %s | ",
				diff_effect_name(c->effect));
			write_subject(out, c, output_md_escaped);
			fputs(" | ", out);
			if (!c->is_op)
				write_source(out, c, c->source, output_md_escaped);
			fprintf(out, " | %s %s | ", c->field, c->change);
			output_md_escaped(out, c->old_value);
			fputs(" | ", out);
			output_md_escaped(out, c->new_value);
			if (c->note[0]) {
				fputs(" (", out);
				output_md_escaped(out, c->note);
				fputc(')', out);
			}
			fputs(" |\n", out);
		}
		fprintf(out, "\n%zu widening, %zu narrowing, %zu neutral", d->count[EFFECT_WIDENING],
			d->count[EFFECT_NARROWING], d->count[EFFECT_NEUTRAL]);
		if (d->count[EFFECT_IMAGE])
			fprintf(out, ", %zu image", d->count[EFFECT_IMAGE]);
		fputs(".\n", out);
	}
	if (d->nskipped) {
		fputs("\nNot compared (not compiled into the new side): ", out);
		for (size_t i = 0; i < d->nskipped; i++) {
			fputs(i ? ", " : "", out);
			output_md_escaped(out, skipped_name(d, i, &v));
		}
		fputs(".\n", out);
	}
	if (d->nskipped_ops) {
		fputs("\nRole modules not compiled into the new side, their ops not compared: ", out);
		write_left_out(out, d, output_md_escaped);
		fputs(".\n", out);
	}
}
