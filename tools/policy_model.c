/* SPDX-License-Identifier: ISC */
/*
 * From a registry file to the reviewed view, and the lookups every
 * renderer shares. The registry file is already sorted by id, so the
 * model's arrays come out sorted; a repeated id is refused here rather than
 * reported against whichever copy happened to sort first.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "tools/abi_names.h"
#include "tools/policy_model.h"

static const char *const class_names[] = { NULL, "foundation", "service", "driver", "extension" };
static const char *const endpoint_names[] = { NULL, "bootstrap", "driver" };
static const char *const stage_names[] = { "none", "foundation", "runtime" };
static const char *const restart_names[] = { "never", "on-failure", "always" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_in(const char *const *names, size_t n, uint32_t v)
{
	return v < n ? names[v] : NULL;
}

const char *model_class_name(uint32_t v)
{
	return name_in(class_names, COUNT(class_names), v);
}

const char *model_endpoint_name(uint32_t v)
{
	return name_in(endpoint_names, COUNT(endpoint_names), v);
}

const char *model_stage_name(uint32_t v)
{
	return name_in(stage_names, COUNT(stage_names), v);
}

const char *model_restart_name(uint32_t v)
{
	return name_in(restart_names, COUNT(restart_names), v);
}

const char *model_policy_flag_name(uint32_t bit)
{
	return bit == PROCD_POLICY_LOADER_LAUNCH ? "loader-launch" : NULL;
}

const char *model_op_flag_name(uint32_t bit)
{
	if (bit == PROCD_OP_DENY)
		return "deny";
#ifdef PROCD_OP_TRAILING
	if (bit == PROCD_OP_TRAILING)
		return "trailing";
#endif
#ifdef PROCD_OP_TAKES_CAP
	if (bit == PROCD_OP_TAKES_CAP)
		return "takes-cap";
#endif
	return NULL;
}

const char *model_op_endpoint_name(uint32_t bit)
{
	switch (bit) {
	case PROCD_EP_BOOTSTRAP:
		return "bootstrap";
	case PROCD_EP_DRIVER:
		return "driver";
#ifdef PROCD_EP_NOTIFY
	case PROCD_EP_NOTIFY:
		return "notify";
#endif
	default:
		return NULL;
	}
}

static const char *const quota_names[MODEL_QUOTAS] = {
	"children", "waits", "transfers", "image-kib",
};

/* procd's defaults (core/policy.h), which core/authority.c applies to a 0. */
static const uint32_t quota_defaults[MODEL_QUOTAS] = {
	PROCD_QUOTA_CHILDREN_DEFAULT, PROCD_QUOTA_WAITS_DEFAULT, PROCD_QUOTA_TRANSFERS_DEFAULT,
	PROCD_QUOTA_IMAGE_KIB_DEFAULT,
};

const char *model_quota_name(uint32_t q)
{
	return q < MODEL_QUOTAS ? quota_names[q] : NULL;
}

uint32_t model_quota_default(uint32_t q)
{
	return q < MODEL_QUOTAS ? quota_defaults[q] : 0;
}

void model_quota_of(const struct procd_policy *p, uint32_t quota[MODEL_QUOTAS], uint32_t *declared)
{
	const uint32_t given[MODEL_QUOTAS] = {
		p->quota.children, p->quota.waits, p->quota.transfers, p->quota.image_kib,
	};

	*declared = 0;
	for (unsigned q = 0; q < MODEL_QUOTAS; q++) {
		quota[q] = given[q] ? given[q] : quota_defaults[q];
		if (given[q])
			*declared |= 1u << q;
	}
}

int model_value_of(const char *(*namer)(uint32_t), uint32_t limit, const char *name, uint32_t *v)
{
	for (uint32_t i = 0; i < limit; i++) {
		const char *n = namer(i);

		if (n && strcmp(n, name) == 0) {
			*v = i;
			return 0;
		}
	}
	return -1;
}

size_t model_sort_ids(uint32_t *ids, size_t n)
{
	size_t out = 0;

	/* At most 16 entries: insertion sort, dropping repeats as they meet. */
	for (size_t i = 0; i < n; i++) {
		uint32_t v = ids[i];
		size_t j = out;

		if (model_has_id(ids, out, v))
			continue;
		while (j > 0 && ids[j - 1] > v) {
			ids[j] = ids[j - 1];
			j--;
		}
		ids[j] = v;
		out++;
	}
	return out;
}

int model_has_id(const uint32_t *ids, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* A fixed field, cut at its NUL or its size, as a C string. */
static void copy_field(char *dst, const char *src, size_t max)
{
	size_t n = procd_strnlen(src, max);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* An id list as procd reads it: up to the first 0. */
static size_t copy_ids(uint32_t *dst, const uint32_t *src, size_t max)
{
	size_t n = 0;

	while (n < max && src[n] != 0) {
		dst[n] = src[n];
		n++;
	}
	return model_sort_ids(dst, n);
}

/* The origin's base name: the directory is the build's, not the policy's. */
static void copy_source(char *dst, const struct registry_file *rf, const struct procd_policy *p)
{
	const struct procd_policy_origin *o = procd_policy_origin_of(&rf->sets, p);
	size_t n, start = 0;

	dst[0] = '\0';
	if (!o)
		return;
	n = procd_strnlen(o->source, sizeof o->source);
	for (size_t i = 0; i < n; i++)
		if (o->source[i] == '/')
			start = i + 1;
	memcpy(dst, o->source + start, n - start);
	dst[n - start] = '\0';
}

static void role_from_policy(struct model_role *r, const struct registry_file *rf,
			     const struct procd_policy *p)
{
	memset(r, 0, sizeof *r);
	copy_field(r->name, p->name, sizeof p->name);
	r->id = p->role;
	r->role_class = p->role_class;
	r->endpoint = p->endpoint;
	r->boot_stage = p->boot_stage;
	r->restart = p->restart;
	r->window = p->window;
	r->flags = p->flags;
	r->nrequesters = copy_ids(r->requesters, p->requesters, PROCD_POLICY_REQUESTERS);
	r->nslots = copy_ids(r->slots, p->slots, PROCD_POLICY_SLOTS);
	copy_field(r->image, p->image, sizeof p->image);
	copy_source(r->source, rf, p);
	model_quota_of(p, r->quota, &r->quota_declared);
}

static void op_from_desc(struct model_op *o, const struct procd_op *op)
{
	memset(o, 0, sizeof *o);
	copy_field(o->name, op->name, sizeof op->name);
	o->id = op->id;
	o->endpoints = op->endpoints;
	o->flags = op->flags;
	o->ncallers = copy_ids(o->callers, op->callers, PROCD_OP_CALLERS);
}

/* Adds a name for id unless the model already has one (roles come first). */
static int add_name(struct policy_model *m, size_t cap, uint32_t id, const char *name)
{
	size_t i = 0;

	if (!name || id == PROCD_CALLER_ANY || model_role_by_id(m, id))
		return 0;
	while (i < m->nnames && m->names[i].id < id)
		i++;
	if (i < m->nnames && m->names[i].id == id)
		return 0;
	if (m->nnames == cap)
		return -1;
	memmove(&m->names[i + 1], &m->names[i], (m->nnames - i) * sizeof m->names[0]);
	m->names[i].id = id;
	copy_field(m->names[i].name, name, sizeof m->names[i].name - 1);
	m->nnames++;
	return 0;
}

/* Names for every id the registry refers to: the binary's own policies,
 * else the ABI's, so a record written from this model names them too. */
static int name_references(struct policy_model *m)
{
	size_t cap = m->nroles * PROCD_POLICY_REQUESTERS + m->nops * PROCD_OP_CALLERS;

	if (cap == 0)
		return 0;
	m->names = calloc(cap, sizeof *m->names);
	if (!m->names)
		return -1;
	for (size_t i = 0; i < m->nroles; i++)
		for (size_t k = 0; k < m->roles[i].nrequesters; k++)
			add_name(m, cap, m->roles[i].requesters[k],
				 abi_role_name(m->roles[i].requesters[k]));
	for (size_t i = 0; i < m->nops; i++)
		for (size_t k = 0; k < m->ops[i].ncallers; k++)
			add_name(m, cap, m->ops[i].callers[k], abi_role_name(m->ops[i].callers[k]));
	return 0;
}

int model_from_registry(struct policy_model *m, const struct registry_file *rf,
			struct elf_error *err)
{
	memset(m, 0, sizeof *m);
	for (size_t i = 1; i < rf->npolicies; i++)
		if (rf->policies[i].role == rf->policies[i - 1].role) {
			elf_error_set(err, "role id 0x%03" PRIx32 " is declared by two policies"
				      " (lint refuses this registry)", rf->policies[i].role);
			return -1;
		}
	for (size_t i = 1; i < rf->nops; i++)
		if (rf->ops[i].id == rf->ops[i - 1].id) {
			elf_error_set(err, "op id 0x%03" PRIx32 " is registered twice"
				      " (lint refuses this registry)", rf->ops[i].id);
			return -1;
		}
	if (rf->npolicies) {
		m->roles = calloc(rf->npolicies, sizeof *m->roles);
		if (!m->roles)
			goto oom;
	}
	if (rf->nops) {
		m->ops = calloc(rf->nops, sizeof *m->ops);
		if (!m->ops)
			goto oom;
	}
	for (size_t i = 0; i < rf->npolicies; i++)
		role_from_policy(&m->roles[i], rf, &rf->policies[i]);
	m->nroles = rf->npolicies;
	for (size_t i = 0; i < rf->nops; i++)
		op_from_desc(&m->ops[i], &rf->ops[i]);
	m->nops = rf->nops;
	memcpy(m->roles_left_out, rf->roles_left_out, sizeof m->roles_left_out);
	if (name_references(m) != 0)
		goto oom;
	return 0;
oom:
	model_free(m);
	elf_error_set(err, "out of memory");
	return -1;
}

void model_free(struct policy_model *m)
{
	free(m->roles);
	free(m->ops);
	free(m->names);
	memset(m, 0, sizeof *m);
}

/* A bsearch key comparison: roles are sorted by id, ids unique. */
static int role_key_cmp(const void *key, const void *elem)
{
	uint32_t k = *(const uint32_t *)key, id = ((const struct model_role *)elem)->id;

	return (k > id) - (k < id);
}

const struct model_role *model_role_by_id(const struct policy_model *m, uint32_t id)
{
	return m->nroles ? bsearch(&id, m->roles, m->nroles, sizeof *m->roles, role_key_cmp) : NULL;
}

const char *model_role_name(const struct policy_model *m, uint32_t id)
{
	const struct model_role *r;

	if (id == PROCD_CALLER_ANY)
		return "any";
	r = model_role_by_id(m, id);
	if (r)
		return r->name;
	for (size_t i = 0; i < m->nnames; i++)
		if (m->names[i].id == id)
			return m->names[i].name;
	return abi_role_name(id);
}
