/* SPDX-License-Identifier: ISC */
/*
 * What every rendering shares: names of values, sorted id lists, role and
 * source labels, and the escapes for a terminal, Markdown and JSON.
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

const char *out_value_name(name_of_fn name_of, uint32_t v, struct hexbuf *hb)
{
	const char *name = name_of(v);

	if (name)
		return name;
	snprintf(hb->s, sizeof hb->s, "unknown(%" PRIu32 ")", v);
	return hb->s;
}

/* Calls emit for each named bit set in v, lowest first, then once for any
 * unknown rest. */
void out_each_bit(name_of_fn name_of, uint32_t v, void (*emit)(void *ctx, const char *name), void *ctx)
{
	struct hexbuf hb;

	for (uint32_t bit = 1; bit != 0; bit <<= 1) {
		const char *name = (v & bit) ? name_of(bit) : NULL;

		if (name) {
			emit(ctx, name);
			v &= ~bit;
		}
	}
	if (v) {
		snprintf(hb.s, sizeof hb.s, "0x%" PRIx32, v);
		emit(ctx, hb.s);
	}
}

/*
 * A 0-terminated id list as procd reads it (up to its terminator), sorted:
 * these are sets, and reordering a declaration changes no authority, so it
 * must not show up in a diff of two reviews. Returns the count.
 */
size_t out_sorted_list(const uint32_t *v, size_t max, uint32_t *out)
{
	size_t n = 0;

	while (n < max && v[n] != 0) {
		size_t j = n;

		while (j > 0 && out[j - 1] > v[n]) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = v[n++];
	}
	return n;
}

/*
 * A role's name: the binary's own policy for it, else the ABI's seed name
 * (rootd and procd have no policy), else its id in hex.
 */
struct label out_role_label(const struct registry_file *rf, uint32_t role, int any_ok,
			       struct hexbuf *hb)
{
	const struct procd_policy *p;
	const char *name;

	if (any_ok && role == PROCD_CALLER_ANY)
		return (struct label){ "any", SIZE_MAX };
	p = registry_policy_by_role(rf, role);
	if (p)
		return (struct label){ p->name, sizeof p->name };
	name = abi_role_name(role);
	if (name)
		return (struct label){ name, SIZE_MAX };
	snprintf(hb->s, sizeof hb->s, "0x%" PRIx32, role);
	return (struct label){ hb->s, SIZE_MAX };
}

/* The policy file's base name: the directory is the build's, not the policy's. */
struct label out_source_label(const struct registry_file *rf, const struct procd_policy *p)
{
	const struct procd_policy_origin *o = procd_policy_origin_of(&rf->sets, p);
	size_t n, start = 0;

	if (!o)
		return (struct label){ NULL, 0 };
	n = procd_strnlen(o->source, sizeof o->source);
	for (size_t i = 0; i < n; i++)
		if (o->source[i] == '/')
			start = i + 1;
	return (struct label){ o->source + start, n - start };
}

/* ------------------------------------------------------------------ text */

/* How one byte of an untrusted string is shown to a person. */
static const char *text_char(unsigned char c, char buf[5])
{
	if (c >= 0x20 && c < 0x7f && c != '\\') {
		buf[0] = (char)c;
		buf[1] = '\0';
	} else {
		snprintf(buf, 5, "\\x%02x", c);
	}
	return buf;
}

void out_cell_escaped(struct procd_text *t, struct label l)
{
	size_t n = procd_strnlen(l.s, l.max);
	char buf[5];

	if (n == 0)
		procd_text_str(t, "\"\"");
	for (size_t i = 0; i < n; i++)
		procd_text_str(t, text_char((unsigned char)l.s[i], buf));
}

void output_text_escaped(FILE *out, const char *s, size_t max)
{
	size_t n = procd_strnlen(s, max);
	char buf[5];

	for (size_t i = 0; i < n; i++)
		fputs(text_char((unsigned char)s[i], buf), out);
}

/*
 * Markdown table cells: the characters that would end a cell, start a code
 * span, emphasis, a link or HTML are backslash-escaped; bytes a terminal
 * could act on are shown as a literal \xNN.
 */
void out_md_label(FILE *out, struct label l)
{
	size_t n = procd_strnlen(l.s, l.max);

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)l.s[i];

		if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\x%02x", c);
		else if (strchr("\\`*_[]<>|~&", c))
			fprintf(out, "\\%c", c);
		else
			fputc(c, out);
	}
}

void output_md_escaped(FILE *out, const char *s)
{
	out_md_label(out, (struct label){ s, SIZE_MAX });
}

void out_put_label(FILE *out, struct label l)
{
	char buf[CELL_MAX];
	struct procd_text t;

	procd_text_init(&t, buf, sizeof buf);
	out_cell_escaped(&t, l);
	fputs(buf, out);
}


/* ------------------------------------------------------------------ JSON */

void out_json_string(FILE *out, struct label l)
{
	size_t n = procd_strnlen(l.s, l.max);

	fputc('"', out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)l.s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c); /* >= 0x80 as Latin-1: always valid UTF-8 */
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void out_json_str(FILE *out, const char *s)
{
	out_json_string(out, (struct label){ s, SIZE_MAX });
}

void output_json_str(FILE *out, const char *s)
{
	out_json_str(out, s);
}
