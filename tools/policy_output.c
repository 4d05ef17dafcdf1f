/* SPDX-License-Identifier: ISC */
/*
 * Rendering. Text rows are built in bounded cells (core/text.h cuts, never
 * overruns) so column widths can be measured before printing; JSON goes
 * straight to the stream.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "tools/abi_names.h"
#include "tools/policy_model.h"
#include "tools/policy_output.h"
#include "tools/policy_reach.h"

/* Big enough that no cell is ever cut: the widest is 8 requester names,
 * each a full 24-byte field escaped as \xNN (8 * 96), plus their commas. */
#define CELL_MAX 1024

/* A bounded field from the file, or one of our own strings (max = SIZE_MAX). */
struct label {
	const char *s;
	size_t max;
};

struct hexbuf {
	char s[24];
};

/* Names of a value, or of one bit of a set: policy_model.c has them all. */
typedef const char *(*name_of_fn)(uint32_t);


/* The longest id list in a descriptor. */
#define LIST_MAX 16
_Static_assert(PROCD_POLICY_SLOTS <= LIST_MAX && PROCD_POLICY_REQUESTERS <= LIST_MAX &&
	       PROCD_OP_CALLERS <= LIST_MAX, "an id list is longer than LIST_MAX");

static const char *value_name(name_of_fn name_of, uint32_t v, struct hexbuf *hb)
{
	const char *name = name_of(v);

	if (name)
		return name;
	snprintf(hb->s, sizeof hb->s, "unknown(%" PRIu32 ")", v);
	return hb->s;
}

/* Calls emit for each named bit set in v, lowest first, then once for any
 * unknown rest. */
static void each_bit(name_of_fn name_of, uint32_t v, void (*emit)(void *ctx, const char *name), void *ctx)
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
static size_t sorted_list(const uint32_t *v, size_t max, uint32_t *out)
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
static struct label role_label(const struct registry_file *rf, uint32_t role, int any_ok,
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
static struct label source_label(const struct registry_file *rf, const struct procd_policy *p)
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

static void cell_escaped(struct procd_text *t, struct label l)
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
static void md_label(FILE *out, struct label l)
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
	md_label(out, (struct label){ s, SIZE_MAX });
}

static void put_label(FILE *out, struct label l)
{
	char buf[CELL_MAX];
	struct procd_text t;

	procd_text_init(&t, buf, sizeof buf);
	cell_escaped(&t, l);
	fputs(buf, out);
}

struct joined {
	struct procd_text *t;
	const char *sep;
	int any;
};

static void join_emit(void *ctx, const char *name)
{
	struct joined *j = ctx;

	if (j->any)
		procd_text_str(j->t, j->sep);
	procd_text_str(j->t, name);
	j->any = 1;
}

static void cell_bits(struct procd_text *t, name_of_fn names, uint32_t v)
{
	struct joined j = { t, ",", 0 };

	each_bit(names, v, join_emit, &j);
	if (!j.any)
		procd_text_str(t, "-");
}

static void cell_roles(struct procd_text *t, const struct registry_file *rf, const uint32_t *list,
		       size_t max, int any_ok)
{
	uint32_t ids[LIST_MAX];
	size_t n = sorted_list(list, max, ids);
	struct hexbuf hb;

	if (n == 0)
		procd_text_str(t, "-");
	for (size_t i = 0; i < n; i++) {
		if (i)
			procd_text_str(t, ",");
		cell_escaped(t, role_label(rf, ids[i], any_ok, &hb));
	}
}

static void cell_slots(struct procd_text *t, const struct procd_policy *p)
{
	uint32_t slots[LIST_MAX];
	size_t n = sorted_list(p->slots, PROCD_POLICY_SLOTS, slots);

	if (n == 0)
		procd_text_str(t, "-");
	for (size_t i = 0; i < n; i++) {
		if (i)
			procd_text_str(t, ",");
		procd_text_u32(t, slots[i]);
	}
}

static int max_int(int a, size_t b)
{
	return b > (size_t)a ? (int)b : a;
}

static void policy_row(FILE *out, const struct registry_file *rf, const struct procd_policy *p,
		       int wname, int wreq)
{
	char name[CELL_MAX], flags[CELL_MAX], req[CELL_MAX], slots[CELL_MAX];
	struct procd_text t;
	struct hexbuf h1, h2, h3, h4;

	procd_text_init(&t, name, sizeof name);
	cell_escaped(&t, (struct label){ p->name, sizeof p->name });
	procd_text_init(&t, flags, sizeof flags);
	cell_bits(&t, model_policy_flag_name, p->flags);
	procd_text_init(&t, req, sizeof req);
	cell_roles(&t, rf, p->requesters, PROCD_POLICY_REQUESTERS, 0);
	procd_text_init(&t, slots, sizeof slots);
	cell_slots(&t, p);
	fprintf(out, "%-*s  0x%03" PRIx32 "  %-10s  %-9s  %-10s  %-10s  %6" PRIu32 "  %-13s  %-*s  %s\n",
		wname, name, p->role, value_name(model_class_name, p->role_class, &h1),
		value_name(model_endpoint_name, p->endpoint, &h2),
		value_name(model_stage_name, p->boot_stage, &h3),
		value_name(model_restart_name, p->restart, &h4), p->window, flags, wreq, req, slots);
}

static void list_policies_text(FILE *out, const struct registry_file *rf)
{
	char buf[CELL_MAX];
	struct procd_text t;
	int wname = 4, wreq = 10;

	for (size_t i = 0; i < rf->npolicies; i++) {
		const struct procd_policy *p = &rf->policies[i];

		procd_text_init(&t, buf, sizeof buf);
		cell_escaped(&t, (struct label){ p->name, sizeof p->name });
		wname = max_int(wname, t.len);
		procd_text_init(&t, buf, sizeof buf);
		cell_roles(&t, rf, p->requesters, PROCD_POLICY_REQUESTERS, 0);
		wreq = max_int(wreq, t.len);
	}
	fprintf(out, "policies (%zu)\n", rf->npolicies);
	fprintf(out, "%-*s  %-5s  %-10s  %-9s  %-10s  %-10s  %6s  %-13s  %-*s  %s\n", wname, "ROLE",
		"ID", "CLASS", "ENDPOINT", "STAGE", "RESTART", "WINDOW", "FLAGS", wreq, "REQUESTERS",
		"SLOTS");
	for (size_t i = 0; i < rf->npolicies; i++)
		policy_row(out, rf, &rf->policies[i], wname, wreq);
}

static void list_ops_text(FILE *out, const struct registry_file *rf)
{
	char name[CELL_MAX], eps[CELL_MAX], flags[CELL_MAX], callers[CELL_MAX];
	struct procd_text t;
	int wname = 2;

	for (size_t i = 0; i < rf->nops; i++) {
		procd_text_init(&t, name, sizeof name);
		cell_escaped(&t, (struct label){ rf->ops[i].name, sizeof rf->ops[i].name });
		wname = max_int(wname, t.len);
	}
	fprintf(out, "ops (%zu)\n", rf->nops);
	fprintf(out, "%-*s  %-5s  %-16s  %-5s  %s\n", wname, "OP", "ID", "ENDPOINTS", "FLAGS",
		"CALLERS");
	for (size_t i = 0; i < rf->nops; i++) {
		const struct procd_op *op = &rf->ops[i];

		procd_text_init(&t, name, sizeof name);
		cell_escaped(&t, (struct label){ op->name, sizeof op->name });
		procd_text_init(&t, eps, sizeof eps);
		cell_bits(&t, model_op_endpoint_name, op->endpoints);
		procd_text_init(&t, flags, sizeof flags);
		cell_bits(&t, model_op_flag_name, op->flags);
		procd_text_init(&t, callers, sizeof callers);
		cell_roles(&t, rf, op->callers, PROCD_OP_CALLERS, 1);
		fprintf(out, "%-*s  0x%03" PRIx32 "  %-16s  %-5s  %s\n", wname, name, op->id, eps,
			flags, callers);
	}
}

void output_list_text(FILE *out, const struct registry_file *rf)
{
	fprintf(out, "max_processes %" PRIu32 "\n", rf->layout.max_processes);
	/* Said only where it applies, so a full build's list reads as before. */
	if (rf->roles_left_out[0]) {
		fputs("role modules left out ", out);
		output_text_escaped(out, rf->roles_left_out, SIZE_MAX);
		fputc('\n', out);
	}
	fputc('\n', out);
	list_policies_text(out, rf);
	fputc('\n', out);
	list_ops_text(out, rf);
}

#define SHOW_KEY "%-12s"
#define SHOW_KEY_WIDTH 12

static void show_requesters(FILE *out, const struct registry_file *rf, const struct procd_policy *p)
{
	uint32_t ids[LIST_MAX];
	size_t n = sorted_list(p->requesters, PROCD_POLICY_REQUESTERS, ids);
	struct hexbuf hb;

	fprintf(out, SHOW_KEY, "requesters");
	if (n == 0)
		fputs("- (no role may request it)\n", out);
	for (size_t i = 0; i < n; i++) {
		uint32_t role = ids[i];

		if (i)
			fprintf(out, SHOW_KEY, "");
		fprintf(out, "0x%03" PRIx32 "  ", role);
		put_label(out, role_label(rf, role, 0, &hb));
		if (!registry_policy_by_role(rf, role))
			fputs(abi_role_name(role) ? "  (no policy in this binary)" : "  (unknown role)",
			      out);
		fputc('\n', out);
	}
}

static void show_slots(FILE *out, const struct procd_policy *p)
{
	uint32_t slots[LIST_MAX];
	size_t n = sorted_list(p->slots, PROCD_POLICY_SLOTS, slots);

	fprintf(out, SHOW_KEY, "slots");
	if (n == 0)
		fputs("- (nothing may be installed)\n", out);
	for (size_t i = 0; i < n; i++) {
		const char *name = abi_slot_name(slots[i]);

		if (i)
			fprintf(out, SHOW_KEY, "");
		fprintf(out, "%-5" PRIu32 " %s\n", slots[i], name ? name : "(no canonical name)");
	}
}

/* The ops that name this role as a caller; ops open to any caller are not repeated. */
static void show_ops(FILE *out, const struct registry_file *rf, const struct procd_policy *p)
{
	int shown = 0;

	fprintf(out, SHOW_KEY, "may call");
	for (size_t i = 0; i < rf->nops; i++) {
		const struct procd_op *op = &rf->ops[i];
		uint32_t callers[LIST_MAX];
		size_t n = sorted_list(op->callers, PROCD_OP_CALLERS, callers);

		for (size_t k = 0; k < n; k++)
			if (callers[k] == p->role) {
				if (shown++)
					fprintf(out, SHOW_KEY, "");
				fprintf(out, "0x%03" PRIx32 "  ", op->id);
				put_label(out, (struct label){ op->name, sizeof op->name });
				fputc('\n', out);
				break;
			}
	}
	if (!shown)
		fputs("- (only ops open to any caller)\n", out);
}

void output_show_text(FILE *out, const struct registry_file *rf, const struct policy_model *m,
		      const struct procd_policy *p)
{
	char flags[CELL_MAX];
	struct procd_text t;
	struct label src = source_label(rf, p);
	struct hexbuf hb;

	fprintf(out, SHOW_KEY, "role");
	put_label(out, (struct label){ p->name, sizeof p->name });
	fprintf(out, "\n" SHOW_KEY "0x%03" PRIx32 " (%" PRIu32 ")\n", "id", p->role, p->role);
	fprintf(out, SHOW_KEY "%s\n", "class", value_name(model_class_name, p->role_class, &hb));
	fprintf(out, SHOW_KEY "%s\n", "endpoint", value_name(model_endpoint_name, p->endpoint, &hb));
	fprintf(out, SHOW_KEY "%s\n", "boot stage", value_name(model_stage_name, p->boot_stage, &hb));
	fprintf(out, SHOW_KEY "%s\n", "restart", value_name(model_restart_name, p->restart, &hb));
	if (p->window == 0)
		fprintf(out, SHOW_KEY "0 (no slot visible)\n", "window");
	else
		fprintf(out, SHOW_KEY "%" PRIu32 " (slots 0-%" PRIu32 " visible)\n", "window",
			p->window, p->window - 1);
	procd_text_init(&t, flags, sizeof flags);
	cell_bits(&t, model_policy_flag_name, p->flags);
	fprintf(out, SHOW_KEY "%s\n", "flags", flags);
	show_requesters(out, rf, p);
	show_slots(out, p);
	show_ops(out, rf, p);
	fprintf(out, SHOW_KEY, "may start");
	reach_write_starts_text(out, m, p->role, SHOW_KEY_WIDTH);
	fprintf(out, SHOW_KEY, "image");
	put_label(out, (struct label){ p->image, sizeof p->image });
	fprintf(out, "\n" SHOW_KEY, "source");
	if (src.s)
		put_label(out, src);
	else
		fputs("(no origin record)", out);
	fputc('\n', out);
}

/* ------------------------------------------------------------------ JSON */

static void json_string(FILE *out, struct label l)
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

static void json_str(FILE *out, const char *s)
{
	json_string(out, (struct label){ s, SIZE_MAX });
}

void output_json_str(FILE *out, const char *s)
{
	json_str(out, s);
}

struct json_list {
	FILE *out;
	int any;
};

static void json_emit(void *ctx, const char *name)
{
	struct json_list *j = ctx;

	if (j->any++)
		fputc(',', j->out);
	json_str(j->out, name);
}

static void json_bits(FILE *out, name_of_fn names, uint32_t v)
{
	struct json_list j = { out, 0 };

	fputc('[', out);
	each_bit(names, v, json_emit, &j);
	fputc(']', out);
}

static void json_roles(FILE *out, const struct registry_file *rf, const uint32_t *list, size_t max,
		       int any_ok)
{
	uint32_t ids[LIST_MAX];
	size_t n = sorted_list(list, max, ids);
	struct hexbuf hb;

	fputc('[', out);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		json_string(out, role_label(rf, ids[i], any_ok, &hb));
	}
	fputc(']', out);
}

static void json_slots(FILE *out, const struct procd_policy *p)
{
	uint32_t slots[LIST_MAX];
	size_t n = sorted_list(p->slots, PROCD_POLICY_SLOTS, slots);

	fputc('[', out);
	for (size_t i = 0; i < n; i++) {
		const char *name = abi_slot_name(slots[i]);

		fprintf(out, "%s{\"slot\":%" PRIu32 ",\"name\":", i ? "," : "", slots[i]);
		if (name)
			json_str(out, name);
		else
			fputs("null", out);
		fputc('}', out);
	}
	fputc(']', out);
}

/* Without its closing brace, so `show` can add to it. */
static void json_policy_fields(FILE *out, const struct registry_file *rf,
			       const struct procd_policy *p)
{
	struct label src = source_label(rf, p);
	struct hexbuf hb;

	fputs("{\"name\":", out);
	json_string(out, (struct label){ p->name, sizeof p->name });
	fprintf(out, ",\"role\":%" PRIu32 ",\"class\":", p->role);
	json_str(out, value_name(model_class_name, p->role_class, &hb));
	fputs(",\"endpoint\":", out);
	json_str(out, value_name(model_endpoint_name, p->endpoint, &hb));
	fputs(",\"boot_stage\":", out);
	json_str(out, value_name(model_stage_name, p->boot_stage, &hb));
	fputs(",\"restart\":", out);
	json_str(out, value_name(model_restart_name, p->restart, &hb));
	fprintf(out, ",\"window\":%" PRIu32 ",\"flags\":", p->window);
	json_bits(out, model_policy_flag_name, p->flags);
	fputs(",\"requesters\":", out);
	json_roles(out, rf, p->requesters, PROCD_POLICY_REQUESTERS, 0);
	fputs(",\"slots\":", out);
	json_slots(out, p);
	fputs(",\"image\":", out);
	json_string(out, (struct label){ p->image, sizeof p->image });
	fputs(",\"source\":", out);
	if (src.s)
		json_string(out, src);
	else
		fputs("null", out);
}

static void json_policy(FILE *out, const struct registry_file *rf, const struct procd_policy *p)
{
	json_policy_fields(out, rf, p);
	fputc('}', out);
}

static void json_op(FILE *out, const struct registry_file *rf, const struct procd_op *op)
{
	fputs("{\"name\":", out);
	json_string(out, (struct label){ op->name, sizeof op->name });
	fprintf(out, ",\"id\":%" PRIu32 ",\"endpoints\":", op->id);
	json_bits(out, model_op_endpoint_name, op->endpoints);
	fputs(",\"callers\":", out);
	json_roles(out, rf, op->callers, PROCD_OP_CALLERS, 1);
	fprintf(out, ",\"deny\":%s,\"flags\":", (op->flags & PROCD_OP_DENY) ? "true" : "false");
	json_bits(out, model_op_flag_name, op->flags);
	fputc('}', out);
}

/* One element per line, so that a diff of two outputs names the role that changed. */
static void json_array_open(FILE *out, const char *key, size_t n)
{
	fprintf(out, "  \"%s\": [%s", key, n ? "\n" : "");
}

static void json_array_close(FILE *out, size_t n, int last)
{
	fprintf(out, "%s]%s\n", n ? "\n  " : "", last ? "" : ",");
}

static void json_elem_sep(FILE *out, size_t i)
{
	fputs(i ? ",\n    " : "    ", out);
}

void output_list_json(FILE *out, const struct registry_file *rf)
{
	fprintf(out, "{\n  \"max_processes\": %" PRIu32 ",\n", rf->layout.max_processes);
	json_array_open(out, "policies", rf->npolicies);
	for (size_t i = 0; i < rf->npolicies; i++) {
		json_elem_sep(out, i);
		json_policy(out, rf, &rf->policies[i]);
	}
	json_array_close(out, rf->npolicies, 0);
	json_array_open(out, "ops", rf->nops);
	for (size_t i = 0; i < rf->nops; i++) {
		json_elem_sep(out, i);
		json_op(out, rf, &rf->ops[i]);
	}
	json_array_close(out, rf->nops, 1);
	fputs("}\n", out);
}

void output_show_json(FILE *out, const struct registry_file *rf, const struct policy_model *m,
		      const struct procd_policy *p)
{
	json_policy_fields(out, rf, p);
	reach_write_starts_json(out, m, p->role);
	fputs("}\n", out);
}

/* -------------------------------------------------------------- Markdown */

struct md_list {
	FILE *out;
	int any;
};

static void md_emit(void *ctx, const char *name)
{
	struct md_list *j = ctx;

	if (j->any++)
		fputs(", ", j->out);
	md_label(j->out, (struct label){ name, SIZE_MAX });
}

static void md_bits(FILE *out, name_of_fn names, uint32_t v)
{
	struct md_list j = { out, 0 };

	each_bit(names, v, md_emit, &j);
	if (!j.any)
		fputc('-', out);
}

static void md_roles(FILE *out, const struct registry_file *rf, const uint32_t *list, size_t max,
		     int any_ok)
{
	uint32_t ids[LIST_MAX];
	size_t n = sorted_list(list, max, ids);
	struct hexbuf hb;

	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : "", out);
		md_label(out, role_label(rf, ids[i], any_ok, &hb));
	}
	if (n == 0)
		fputc('-', out);
}

static void md_slots(FILE *out, const struct procd_policy *p)
{
	uint32_t slots[LIST_MAX];
	size_t n = sorted_list(p->slots, PROCD_POLICY_SLOTS, slots);

	for (size_t i = 0; i < n; i++) {
		const char *name = abi_slot_name(slots[i]);

		fprintf(out, "%s%" PRIu32 "%s%s", i ? ", " : "", slots[i], name ? " " : "",
			name ? name : "");
	}
	if (n == 0)
		fputc('-', out);
}

static void md_policy_row(FILE *out, const struct registry_file *rf, const struct procd_policy *p)
{
	struct label src = source_label(rf, p);
	struct hexbuf h1, h2, h3, h4;

	fputs("| ", out);
	md_label(out, (struct label){ p->name, sizeof p->name });
	fprintf(out, " | 0x%03" PRIx32 " | %s | %s | %s | %s | %" PRIu32 " | ", p->role,
		value_name(model_class_name, p->role_class, &h1),
		value_name(model_endpoint_name, p->endpoint, &h2),
		value_name(model_stage_name, p->boot_stage, &h3),
		value_name(model_restart_name, p->restart, &h4), p->window);
	md_roles(out, rf, p->requesters, PROCD_POLICY_REQUESTERS, 0);
	fputs(" | ", out);
	md_slots(out, p);
	fputs(" | ", out);
	md_bits(out, model_policy_flag_name, p->flags);
	fputs(" | ", out);
	if (src.s)
		md_label(out, src);
	else
		fputs("(no origin record)", out);
	fputs(" |\n", out);
}

void output_list_markdown(FILE *out, const struct registry_file *rf)
{
	fprintf(out, "#### Role policies (%zu)\n\n", rf->npolicies);
	fputs("| role | id | class | endpoint | boot stage | restart | window | requesters"
	      " | slots | flags | source |\n"
	      "|---|---|---|---|---|---|---:|---|---|---|---|\n", out);
	for (size_t i = 0; i < rf->npolicies; i++)
		md_policy_row(out, rf, &rf->policies[i]);
	fprintf(out, "\n#### Ops (%zu)\n\n", rf->nops);
	fputs("| op | id | endpoints | callers | flags |\n|---|---|---|---|---|\n", out);
	for (size_t i = 0; i < rf->nops; i++) {
		const struct procd_op *op = &rf->ops[i];

		fputs("| ", out);
		md_label(out, (struct label){ op->name, sizeof op->name });
		fprintf(out, " | 0x%03" PRIx32 " | ", op->id);
		md_bits(out, model_op_endpoint_name, op->endpoints);
		fputs(" | ", out);
		md_roles(out, rf, op->callers, PROCD_OP_CALLERS, 1);
		fputs(" | ", out);
		md_bits(out, model_op_flag_name, op->flags);
		fputs(" |\n", out);
	}
}

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
	json_string(out, (struct label){ f->source, sizeof f->source });
	fputs(",\"subject\":", out);
	json_string(out, (struct label){ f->subject, sizeof f->subject });
	fputs(",\"field\":", out);
	json_str(out, f->field ? f->field : "");
	fputs(",\"message\":", out);
	json_string(out, (struct label){ f->message, sizeof f->message });
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
		put_label(out, (struct label){ rf->policies[i].name, sizeof rf->policies[i].name });
	}
	if (rf->npolicies == 0)
		fputs("(none)", out);
}
