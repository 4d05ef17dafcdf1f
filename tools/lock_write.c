/* SPDX-License-Identifier: ISC */
/*
 * Writing the policy record: canonical (roles by id, ops by id, facts in
 * one fixed order, lists sorted), so writing what was read gives the same
 * bytes (tools/policy_lock.h).
 */
#include <inttypes.h>
#include <stdio.h>

#include "tools/abi_names.h"
#include "tools/policy_lock.h"

/* A string as one token: see the header for the escapes. */
static void put_token(FILE *out, const char *s)
{
	if (*s == '\0') {
		fputs("\"\"", out);
		return;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c > 0x20 && c < 0x7f && c != '\\' && c != '"')
			fputc(c, out);
		else
			fprintf(out, "\\x%02x", c);
	}
}

static void start(FILE *out, const char *kind, const char *name, const char *fact)
{
	fprintf(out, "%s ", kind);
	put_token(out, name);
	fprintf(out, " %s ", fact);
}

/* An enumeration by name, or by number when this tool has no name for it. */
static void put_enum(FILE *out, const char *name, uint32_t v)
{
	if (name)
		fputs(name, out);
	else
		fprintf(out, "%" PRIu32, v);
}

/* One line per bit set: named bits by name, others in hex. */
static void put_bits(FILE *out, const char *kind, const char *name, const char *fact, uint32_t v,
		     const char *(*namer)(uint32_t))
{
	for (unsigned b = 0; b < 32; b++) {
		uint32_t bit = (uint32_t)1 << b;
		const char *n;

		if (!(v & bit))
			continue;
		start(out, kind, name, fact);
		n = namer(bit);
		if (n)
			fprintf(out, "%s\n", n);
		else
			fprintf(out, "0x%" PRIx32 "\n", bit);
	}
}

/* A role id, annotated with the name it has for people (ids are the fact). */
static void put_role_ref(FILE *out, const struct policy_model *m, uint32_t id)
{
	const char *name = model_role_name(m, id);

	if (id == PROCD_CALLER_ANY) {
		fputs("any\n", out);
		return;
	}
	fprintf(out, "0x%03" PRIx32, id);
	if (name) {
		fputc(' ', out);
		put_token(out, name);
	}
	fputc('\n', out);
}

/* "role NAME FACT VALUE" for an enumeration. */
static void enum_line(FILE *out, const struct model_role *r, const char *fact, const char *name,
		      uint32_t v)
{
	start(out, "role", r->name, fact);
	put_enum(out, name, v);
	fputc('\n', out);
}

static void write_role(FILE *out, const struct policy_model *m, const struct model_role *r)
{
	start(out, "role", r->name, "id");
	fprintf(out, "0x%03" PRIx32 "\n", r->id);
	if (r->source[0]) {
		start(out, "role", r->name, "source");
		put_token(out, r->source);
		fputc('\n', out);
	}
	enum_line(out, r, "class", model_class_name(r->role_class), r->role_class);
	enum_line(out, r, "endpoint", model_endpoint_name(r->endpoint), r->endpoint);
	enum_line(out, r, "boot-stage", model_stage_name(r->boot_stage), r->boot_stage);
	enum_line(out, r, "restart", model_restart_name(r->restart), r->restart);
	start(out, "role", r->name, "window");
	fprintf(out, "%" PRIu32 "\n", r->window);
	put_bits(out, "role", r->name, "flag", r->flags, model_policy_flag_name);
	for (size_t i = 0; i < r->nrequesters; i++) {
		start(out, "role", r->name, "requester");
		put_role_ref(out, m, r->requesters[i]);
	}
	for (size_t i = 0; i < r->nslots; i++) {
		const char *name = abi_slot_name(r->slots[i]);

		start(out, "role", r->name, "slot");
		fprintf(out, "%" PRIu32 "%s%s\n", r->slots[i], name ? " " : "", name ? name : "");
	}
	start(out, "role", r->name, "image");
	put_token(out, r->image);
	fputc('\n', out);
	for (unsigned q = 0; q < MODEL_QUOTAS; q++) {
		start(out, "role", r->name, "quota");
		fprintf(out, "%s %" PRIu32 " %s\n", model_quota_name(q), r->quota[q],
			r->quota_declared & (1u << q) ? "declared" : "default");
	}
}

static void write_op(FILE *out, const struct policy_model *m, const struct model_op *o)
{
	start(out, "op", o->name, "id");
	fprintf(out, "0x%03" PRIx32 "\n", o->id);
	put_bits(out, "op", o->name, "endpoint", o->endpoints, model_op_endpoint_name);
	for (size_t i = 0; i < o->ncallers; i++) {
		start(out, "op", o->name, "caller");
		put_role_ref(out, m, o->callers[i]);
	}
	put_bits(out, "op", o->name, "flag", o->flags, model_op_flag_name);
}

void lock_write(FILE *out, const struct policy_model *m)
{
	fputs("# procd policy record: the authority a reviewed procd build grants, one\n"
	      "# fact per line (roles by id, ops by id), so that every change of\n"
	      "# authority reads as a line of a review diff. `make check` compares the\n"
	      "# built procd with this record and fails while they differ.\n"
	      "# Regenerate it after a reviewed policy change with\n"
	      "#     make update-policy-lock\n"
	      "# (or: procd-policy lock ./procd > policies/POLICY.lock); see procd-policy(1).\n",
	      out);
	fprintf(out, "%s %d\n", LOCK_MAGIC, LOCK_VERSION);
	for (size_t i = 0; i < m->nroles; i++)
		write_role(out, m, &m->roles[i]);
	for (size_t i = 0; i < m->nops; i++)
		write_op(out, m, &m->ops[i]);
}
