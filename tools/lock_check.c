/* SPDX-License-Identifier: ISC */
/*
 * The record as a whole, once every line is read: every required fact
 * present, ids unique, annotations true. Only then is a model built, so a
 * half-read record is never compared against anything.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lock_parser.h"
#include "tools/policy_lock.h"


static int role_cmp(const void *a, const void *b)
{
	const struct pending_role *x = a, *y = b;

	if (x->r.id != y->r.id)
		return x->r.id < y->r.id ? -1 : 1;
	return x->first_line < y->first_line ? -1 : x->first_line > y->first_line;
}

static int op_cmp(const void *a, const void *b)
{
	const struct pending_op *x = a, *y = b;

	if (x->o.id != y->o.id)
		return x->o.id < y->o.id ? -1 : 1;
	return x->first_line < y->first_line ? -1 : x->first_line > y->first_line;
}

static int check_complete(struct parser *ps)
{
	for (size_t i = 0; i < ps->nroles; i++) {
		struct pending_role *pr = &ps->roles[i];
		unsigned missing = RF_REQUIRED & ~pr->seen;

		for (int f = 0; f < RF_COUNT; f++)
			if (missing & (1u << f)) {
				ps->line = pr->first_line;
				return lock_fail(ps, "role '%s' has no '%s' line", pr->r.name,
						 role_fact_names[f]);
			}
		for (unsigned q = 0; q < MODEL_QUOTAS; q++)
			if (!(pr->quota_seen & (1u << q))) {
				ps->line = pr->first_line;
				return lock_fail(ps, "role '%s' has no 'quota %s' line", pr->r.name,
						 model_quota_name(q));
			}
	}
	for (size_t i = 0; i < ps->nops; i++)
		if (!ps->ops[i].have_id) {
			ps->line = ps->ops[i].first_line;
			return lock_fail(ps, "op '%s' has no 'id' line", ps->ops[i].o.name);
		}
	return 0;
}

/* After sorting by id: two roles (or ops) may not share one. */
static int check_unique(struct parser *ps)
{
	for (size_t i = 1; i < ps->nroles; i++)
		if (ps->roles[i].r.id == ps->roles[i - 1].r.id) {
			ps->line = ps->roles[i].fact_line[RF_ID];
			return lock_fail(ps, "role '%s' has id 0x%03" PRIx32 ", like role '%s' (line %zu)",
					 ps->roles[i].r.name, ps->roles[i].r.id, ps->roles[i - 1].r.name,
					 ps->roles[i - 1].fact_line[RF_ID]);
		}
	for (size_t i = 1; i < ps->nops; i++)
		if (ps->ops[i].o.id == ps->ops[i - 1].o.id) {
			ps->line = ps->ops[i].id_line;
			return lock_fail(ps, "op '%s' has id 0x%03" PRIx32 ", like op '%s' (line %zu)",
					 ps->ops[i].o.name, ps->ops[i].o.id, ps->ops[i - 1].o.name,
					 ps->ops[i - 1].id_line);
		}
	return 0;
}

static const struct pending_role *declared(const struct parser *ps, uint32_t id)
{
	size_t lo = 0, hi = ps->nroles;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ps->roles[mid].r.id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ps->nroles && ps->roles[lo].r.id == id ? &ps->roles[lo] : NULL;
}

/* A name given to a role id must be the one the record declares for it,
 * and the same on every line: a review must not read a wrong name. */
static int check_names(struct parser *ps)
{
	for (size_t i = 0; i < ps->nnames; i++) {
		const struct pending_name *pn = &ps->names[i];
		const struct pending_role *pr = declared(ps, pn->id);

		ps->line = pn->line;
		if (pr && strcmp(pr->r.name, pn->name) != 0)
			return lock_fail(ps, "role 0x%03" PRIx32 " is '%s' in this record (line %zu), not '%s'",
					 pn->id, pr->r.name, pr->fact_line[RF_ID], pn->name);
		for (size_t k = 0; k < i; k++)
			if (ps->names[k].id == pn->id && strcmp(ps->names[k].name, pn->name) != 0)
				return lock_fail(ps, "role 0x%03" PRIx32 " is named '%s' here but '%s' on line %zu",
						 pn->id, pn->name, ps->names[k].name, ps->names[k].line);
	}
	return 0;
}

static int build_model(struct parser *ps, struct policy_model *m)
{
	if (ps->nroles && !(m->roles = calloc(ps->nroles, sizeof *m->roles)))
		return lock_fail(ps, "out of memory");
	if (ps->nops && !(m->ops = calloc(ps->nops, sizeof *m->ops)))
		return lock_fail(ps, "out of memory");
	if (ps->nnames && !(m->names = calloc(ps->nnames, sizeof *m->names)))
		return lock_fail(ps, "out of memory");
	for (size_t i = 0; i < ps->nroles; i++) {
		struct model_role *r = &m->roles[m->nroles++];

		*r = ps->roles[i].r;
		r->nrequesters = model_sort_ids(r->requesters, r->nrequesters);
		r->nslots = model_sort_ids(r->slots, r->nslots);
	}
	for (size_t i = 0; i < ps->nops; i++) {
		struct model_op *o = &m->ops[m->nops++];

		*o = ps->ops[i].o;
		o->ncallers = model_sort_ids(o->callers, o->ncallers);
	}
	/* Names of ids the record refers to but does not declare, in id order. */
	for (size_t i = 0; i < ps->nnames; i++) {
		const struct pending_name *pn = &ps->names[i];
		size_t k = 0;

		if (declared(ps, pn->id))
			continue;
		while (k < m->nnames && m->names[k].id < pn->id)
			k++;
		if (k < m->nnames && m->names[k].id == pn->id)
			continue;
		memmove(&m->names[k + 1], &m->names[k], (m->nnames - k) * sizeof m->names[0]);
		m->names[k].id = pn->id;
		strcpy(m->names[k].name, pn->name);
		m->nnames++;
	}
	return 0;
}

static int parse_all(struct parser *ps, struct policy_model *m, const char *text, size_t size)
{
	size_t pos = 0;

	while (pos < size) {
		const char *nl = memchr(text + pos, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - (text + pos)) : size - pos;

		ps->line++;
		if (lock_parse_line(ps, text + pos, len) != 0)
			return -1;
		pos += len + (nl ? 1 : 0);
	}
	if (!ps->have_magic) {
		ps->line = ps->line ? ps->line : 1;
		return lock_fail(ps, "not a procd policy record: no '%s %d' line", LOCK_MAGIC,
				 LOCK_VERSION);
	}
	if (check_complete(ps) != 0)
		return -1;
	if (ps->nroles)
		qsort(ps->roles, ps->nroles, sizeof *ps->roles, role_cmp);
	if (ps->nops)
		qsort(ps->ops, ps->nops, sizeof *ps->ops, op_cmp);
	if (check_unique(ps) != 0 || check_names(ps) != 0)
		return -1;
	return build_model(ps, m);
}

int lock_parse(struct policy_model *m, const char *text, size_t size, struct elf_error *err)
{
	struct parser ps;
	int rc;

	memset(m, 0, sizeof *m);
	memset(&ps, 0, sizeof ps);
	ps.err = err;
	rc = parse_all(&ps, m, text, size);
	free(ps.roles);
	free(ps.ops);
	free(ps.names);
	if (rc != 0)
		model_free(m);
	return rc;
}

