/* SPDX-License-Identifier: ISC */
/*
 * Reading the policy record line by line: each line split into tokens and
 * its fact added to the role or op it names, refused with its line when it
 * is not one the writer (tools/lock_write.c) would have written.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tools/abi_names.h"
#include "tools/lock_parser.h"
#include "tools/policy_lock.h"

const char *const role_fact_names[RF_COUNT] = {
	"id", "source", "class", "endpoint", "boot-stage", "restart", "window", "image",
};

static struct pending_role *find_role(struct parser *ps, const char *name)
{
	if (ps->last_role < ps->nroles && strcmp(ps->roles[ps->last_role].r.name, name) == 0)
		return &ps->roles[ps->last_role];
	for (size_t i = 0; i < ps->nroles; i++)
		if (strcmp(ps->roles[i].r.name, name) == 0) {
			ps->last_role = i;
			return &ps->roles[i];
		}
	if (ps->nroles == MODEL_MAX_ENTRIES) {
		lock_fail(ps, "more than %u roles", MODEL_MAX_ENTRIES);
		return NULL;
	}
	if (lock_grow(ps, (void **)&ps->roles, &ps->caproles, ps->nroles, sizeof *ps->roles) != 0)
		return NULL;
	memset(&ps->roles[ps->nroles], 0, sizeof ps->roles[0]);
	strcpy(ps->roles[ps->nroles].r.name, name);
	ps->roles[ps->nroles].first_line = ps->line;
	ps->last_role = ps->nroles;
	return &ps->roles[ps->nroles++];
}

static struct pending_op *find_op(struct parser *ps, const char *name)
{
	if (ps->last_op < ps->nops && strcmp(ps->ops[ps->last_op].o.name, name) == 0)
		return &ps->ops[ps->last_op];
	for (size_t i = 0; i < ps->nops; i++)
		if (strcmp(ps->ops[i].o.name, name) == 0) {
			ps->last_op = i;
			return &ps->ops[i];
		}
	if (ps->nops == MODEL_MAX_ENTRIES) {
		lock_fail(ps, "more than %u ops", MODEL_MAX_ENTRIES);
		return NULL;
	}
	if (lock_grow(ps, (void **)&ps->ops, &ps->capops, ps->nops, sizeof *ps->ops) != 0)
		return NULL;
	memset(&ps->ops[ps->nops], 0, sizeof ps->ops[0]);
	strcpy(ps->ops[ps->nops].o.name, name);
	ps->ops[ps->nops].first_line = ps->line;
	ps->last_op = ps->nops;
	return &ps->ops[ps->nops++];
}

/* The optional name after a role id; checked against the record at the end. */
static int role_annotation(struct parser *ps, const struct tokens *tk, uint32_t id)
{
	struct pending_name *pn;

	if (tk->n < 5)
		return 0;
	if (lock_grow(ps, (void **)&ps->names, &ps->capnames, ps->nnames, sizeof *ps->names) != 0)
		return -1;
	pn = &ps->names[ps->nnames];
	if (lock_unescape(ps, tk->t[4], pn->name, PROCD_NAME_MAX, "role name") != 0)
		return -1;
	pn->id = id;
	pn->line = ps->line;
	ps->nnames++;
	return 0;
}

static int add_id(struct parser *ps, uint32_t *list, size_t *n, size_t max, uint32_t id,
		  const char *what, const char *tok)
{
	if (model_has_id(list, *n, id))
		return lock_fail(ps, "%s %s is listed twice", what, tok);
	if (*n == max)
		return lock_fail(ps, "more than %zu %ss (the descriptor holds at most %zu)", max, what, max);
	list[(*n)++] = id;
	return 0;
}

static int want_tokens(struct parser *ps, const struct tokens *tk, size_t lo, size_t hi)
{
	if (tk->n < lo)
		return lock_fail(ps, "'%s %s %s' needs a value", tk->t[0], tk->t[1], tk->t[2]);
	if (tk->n > hi)
		return lock_fail(ps, "unexpected '%s' after '%s %s %s %s'", tk->t[hi], tk->t[0], tk->t[1],
				 tk->t[2], tk->t[3]);
	return 0;
}

/* A single-valued fact may be given once. */
static int once(struct parser *ps, struct pending_role *pr, enum role_fact f)
{
	if (pr->seen & (1u << f))
		return lock_fail(ps, "second '%s' of role '%s' (the first is on line %zu)",
				 role_fact_names[f], pr->r.name, pr->fact_line[f]);
	pr->seen |= 1u << f;
	pr->fact_line[f] = ps->line;
	return 0;
}

static int role_slot(struct parser *ps, struct pending_role *pr, const struct tokens *tk)
{
	uint32_t slot;
	const char *canon;

	if (lock_list_id(ps, tk->t[3], "slot", &slot) != 0)
		return -1;
	canon = abi_slot_name(slot);
	if (tk->n == 5 && !canon)
		return lock_fail(ps, "slot %" PRIu32 " has no canonical name, so '%s' cannot be its name",
				 slot, tk->t[4]);
	if (tk->n == 5 && strcmp(canon, tk->t[4]) != 0)
		return lock_fail(ps, "slot %" PRIu32 " is %s, not '%s'", slot, canon, tk->t[4]);
	return add_id(ps, pr->r.slots, &pr->r.nslots, PROCD_POLICY_SLOTS, slot, "slot", tk->t[3]);
}

static int role_requester(struct parser *ps, struct pending_role *pr, const struct tokens *tk)
{
	uint32_t id;

	if (lock_list_id(ps, tk->t[3], "requester", &id) != 0 || role_annotation(ps, tk, id) != 0)
		return -1;
	return add_id(ps, pr->r.requesters, &pr->r.nrequesters, PROCD_POLICY_REQUESTERS, id,
		      "requester", tk->t[3]);
}

static int role_single(struct parser *ps, struct pending_role *pr, const struct tokens *tk,
		       enum role_fact f)
{
	struct model_role *r = &pr->r;

	if (want_tokens(ps, tk, 4, 4) != 0 || once(ps, pr, f) != 0)
		return -1;
	switch (f) {
	case RF_ID:
		return lock_number(ps, tk->t[3], "role id", &r->id);
	case RF_SOURCE:
		return lock_unescape(ps, tk->t[3], r->source, PROCD_SOURCE_MAX, "source");
	case RF_CLASS:
		return lock_enumeration(ps, tk->t[3], "class", model_class_name, &r->role_class);
	case RF_ENDPOINT:
		return lock_enumeration(ps, tk->t[3], "endpoint", model_endpoint_name, &r->endpoint);
	case RF_STAGE:
		return lock_enumeration(ps, tk->t[3], "boot stage", model_stage_name, &r->boot_stage);
	case RF_RESTART:
		return lock_enumeration(ps, tk->t[3], "restart policy", model_restart_name, &r->restart);
	case RF_WINDOW:
		return lock_number(ps, tk->t[3], "window", &r->window);
	case RF_IMAGE:
		return lock_unescape(ps, tk->t[3], r->image, PROCD_IMAGE_MAX, "image");
	case RF_COUNT:
		break;
	}
	return -1;
}

/* "role NAME quota FIELD VALUE declared|default": every field once, since
 * a quota the record leaves out would read as no limit. */
static int role_quota(struct parser *ps, struct pending_role *pr, const struct tokens *tk)
{
	uint32_t q, v;

	if (tk->n != 6)
		return lock_fail(ps, "a quota line is 'role NAME quota FIELD VALUE declared|default'");
	if (model_value_of(model_quota_name, MODEL_QUOTAS, tk->t[3], &q) != 0)
		return lock_fail(ps, "unknown quota '%s' (known: children, waits, transfers, image-kib)",
				 tk->t[3]);
	if (pr->quota_seen & (1u << q))
		return lock_fail(ps, "second 'quota %s' of role '%s' (the first is on line %zu)", tk->t[3],
				 pr->r.name, pr->quota_line[q]);
	if (lock_number(ps, tk->t[4], "quota", &v) != 0)
		return -1;
	if (v == 0)
		return lock_fail(ps, "quota %s 0: procd reads a 0 as its default, so a record states"
				 " the value it applies", tk->t[3]);
	if (strcmp(tk->t[5], "declared") == 0)
		pr->r.quota_declared |= 1u << q;
	else if (strcmp(tk->t[5], "default") != 0)
		return lock_fail(ps, "quota %s %s: '%s' is neither 'declared' nor 'default'", tk->t[3],
				 tk->t[4], tk->t[5]);
	pr->r.quota[q] = v;
	pr->quota_seen |= 1u << q;
	pr->quota_line[q] = ps->line;
	return 0;
}

static int role_line(struct parser *ps, const struct tokens *tk)
{
	char name[PROCD_NAME_MAX + 1];
	struct pending_role *pr;
	const char *fact;

	if (tk->n < 4)
		return lock_fail(ps, "a role line is 'role NAME FACT VALUE'");
	if (lock_unescape(ps, tk->t[1], name, PROCD_NAME_MAX, "role name") != 0)
		return -1;
	pr = find_role(ps, name);
	if (!pr)
		return -1;
	fact = tk->t[2];
	for (int f = 0; f < RF_COUNT; f++)
		if (strcmp(fact, role_fact_names[f]) == 0)
			return role_single(ps, pr, tk, (enum role_fact)f);
	if (strcmp(fact, "flag") == 0)
		return want_tokens(ps, tk, 4, 4) != 0 ? -1 :
		       lock_bit(ps, tk->t[3], "role flag", model_policy_flag_name, &pr->r.flags);
	if (strcmp(fact, "requester") == 0)
		return want_tokens(ps, tk, 4, 5) != 0 ? -1 : role_requester(ps, pr, tk);
	if (strcmp(fact, "slot") == 0)
		return want_tokens(ps, tk, 4, 5) != 0 ? -1 : role_slot(ps, pr, tk);
	if (strcmp(fact, "quota") == 0)
		return role_quota(ps, pr, tk);
	return lock_fail(ps, "unknown role fact '%s' (known: id, source, class, endpoint, boot-stage,"
			 " restart, window, flag, requester, slot, image, quota)", fact);
}

static int op_caller(struct parser *ps, struct pending_op *po, const struct tokens *tk)
{
	uint32_t id;

	if (strcmp(tk->t[3], "any") == 0) {
		if (tk->n > 4)
			return lock_fail(ps, "unexpected '%s' after 'caller any'", tk->t[4]);
		id = PROCD_CALLER_ANY;
	} else if (lock_list_id(ps, tk->t[3], "caller", &id) != 0 || role_annotation(ps, tk, id) != 0) {
		return -1;
	}
	return add_id(ps, po->o.callers, &po->o.ncallers, PROCD_OP_CALLERS, id, "caller", tk->t[3]);
}

static int op_line(struct parser *ps, const struct tokens *tk)
{
	char name[PROCD_OP_NAME_MAX + 1];
	struct pending_op *po;
	const char *fact;

	if (tk->n < 4)
		return lock_fail(ps, "an op line is 'op NAME FACT VALUE'");
	if (lock_unescape(ps, tk->t[1], name, PROCD_OP_NAME_MAX, "op name") != 0)
		return -1;
	po = find_op(ps, name);
	if (!po)
		return -1;
	fact = tk->t[2];
	if (strcmp(fact, "id") == 0) {
		if (want_tokens(ps, tk, 4, 4) != 0)
			return -1;
		if (po->have_id)
			return lock_fail(ps, "second 'id' of op '%s' (the first is on line %zu)", name,
					 po->id_line);
		po->have_id = 1;
		po->id_line = ps->line;
		return lock_number(ps, tk->t[3], "op id", &po->o.id);
	}
	if (strcmp(fact, "endpoint") == 0)
		return want_tokens(ps, tk, 4, 4) != 0 ? -1 :
		       lock_bit(ps, tk->t[3], "endpoint", model_op_endpoint_name, &po->o.endpoints);
	if (strcmp(fact, "flag") == 0)
		return want_tokens(ps, tk, 4, 4) != 0 ? -1 :
		       lock_bit(ps, tk->t[3], "op flag", model_op_flag_name, &po->o.flags);
	if (strcmp(fact, "caller") == 0)
		return want_tokens(ps, tk, 4, 5) != 0 ? -1 : op_caller(ps, po, tk);
	return lock_fail(ps, "unknown op fact '%s' (known: id, endpoint, caller, flag)", fact);
}

static int magic_line(struct parser *ps, const struct tokens *tk)
{
	if (ps->have_magic)
		return lock_fail(ps, "a second '%s' line", LOCK_MAGIC);
	if (tk->n == 2 && strcmp(tk->t[1], "1") == 0)
		return lock_fail(ps, "a '%s 1' record predates quotas; review the build's quotas"
				 " (procd-policy show) and write a '%s %d' record with"
				 " 'make update-policy-lock'", LOCK_MAGIC, LOCK_MAGIC, LOCK_VERSION);
	if (tk->n != 2 || strcmp(tk->t[1], LOCK_VERSION_TEXT) != 0)
		return lock_fail(ps, "this procd-policy reads '%s %d' records", LOCK_MAGIC, LOCK_VERSION);
	ps->have_magic = 1;
	return 0;
}


int lock_parse_line(struct parser *ps, const char *text, size_t len)
{
	char buf[LOCK_LINE_MAX + 1];
	struct tokens tk;

	if (len > 0 && text[len - 1] == '\r')
		len--; /* a record edited on another system */
	if (len > LOCK_LINE_MAX)
		return lock_fail(ps, "longer than %d bytes", LOCK_LINE_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if ((c < 0x20 && c != '\t') || c >= 0x7f)
			return lock_fail(ps, "byte 0x%02x is not allowed in a record (a name holding it"
					 " writes it as \\x%02x)", c, c);
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	if (buf[strspn(buf, " \t")] == '#')
		return 0;
	if (lock_tokenize(ps, buf, &tk) != 0)
		return -1;
	if (tk.n == 0)
		return 0;
	if (strcmp(tk.t[0], LOCK_MAGIC) == 0)
		return magic_line(ps, &tk);
	if (!ps->have_magic)
		return lock_fail(ps, "not a procd policy record: it must start with '%s %d'"
				 " (comments aside)", LOCK_MAGIC, LOCK_VERSION);
	if (strcmp(tk.t[0], "role") == 0)
		return role_line(ps, &tk);
	if (strcmp(tk.t[0], "op") == 0)
		return op_line(ps, &tk);
	return lock_fail(ps, "unknown line '%s' (a fact starts with 'role' or 'op')", tk.t[0]);
}
