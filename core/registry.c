/* SPDX-License-Identifier: ISC */
/*
 * Indexing the registries: sorted index arrays built once at startup, so a
 * request looks its role and op up by binary search, never by a scan.
 */
#include "core/registry.h"
#include "core/text.h"

#define SET_COUNT(type, set, torn_name, out_n, out_torn)                       \
	do {                                                                   \
		const char *b_ = (const char *)__start_##set;                  \
		const char *e_ = (const char *)__stop_##set;                   \
		size_t bytes_ = (b_ && e_ && e_ > b_) ? (size_t)(e_ - b_) : 0; \
		(out_n) = bytes_ / sizeof(type);                               \
		if (bytes_ % sizeof(type) != 0)                                \
			(out_torn) = (torn_name);                              \
	} while (0)

void procd_sets_linked(struct procd_sets *sets)
{
	procd_bytes_zero(sets, sizeof *sets);
	sets->policies = __start_procd_policies;
	sets->origins = __start_procd_policy_origins;
	sets->ops = __start_procd_ops;
	SET_COUNT(struct procd_policy, procd_policies, "procd_policies", sets->npolicies, sets->torn);
	SET_COUNT(struct procd_policy_origin, procd_policy_origins, "procd_policy_origins",
		  sets->norigins, sets->torn);
	SET_COUNT(struct procd_op, procd_ops, "procd_ops", sets->nops, sets->torn);
	sets->handlers_known = 1;
}

/* Bytewise order of two fixed name fields. */
static int name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;

	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
	return alen == blen ? 0 : (alen < blen ? -1 : 1);
}

static int policy_role_less(const struct procd_sets *s, uint16_t a, uint16_t b)
{
	return s->policies[a].role < s->policies[b].role;
}

static int policy_name_less(const struct procd_sets *s, uint16_t a, uint16_t b)
{
	const struct procd_policy *x = &s->policies[a], *y = &s->policies[b];

	return name_cmp(x->name, procd_strnlen(x->name, sizeof x->name), y->name,
			procd_strnlen(y->name, sizeof y->name)) < 0;
}

static int op_id_less(const struct procd_sets *s, uint16_t a, uint16_t b)
{
	return s->ops[a].id < s->ops[b].id;
}

/* Insertion sort: runs once over at most a few hundred entries. */
static void sort_index(uint16_t *idx, size_t n, const struct procd_sets *s,
		       int (*less)(const struct procd_sets *, uint16_t, uint16_t))
{
	for (size_t i = 0; i < n; i++)
		idx[i] = (uint16_t)i;
	for (size_t i = 1; i < n; i++) {
		uint16_t v = idx[i];
		size_t j = i;

		while (j > 0 && less(s, v, idx[j - 1])) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = v;
	}
}

unsigned procd_registry_init(struct procd_registry *reg, const struct procd_sets *sets,
			     procd_finding_fn report, void *ctx)
{
	unsigned findings = procd_registry_check(sets, report, ctx);

	procd_bytes_zero(reg, sizeof *reg);
	if (findings != 0)
		return findings;
	reg->sets = *sets;
	sort_index(reg->by_role, sets->npolicies, sets, policy_role_less);
	sort_index(reg->by_name, sets->npolicies, sets, policy_name_less);
	sort_index(reg->ops_by_id, sets->nops, sets, op_id_less);
	return 0;
}

/*
 * Binary search over a sorted index: cmp(ctx, entry) is <0, 0 or >0 as the
 * entry sorts before, at or after the key. Returns the entry, or -1.
 */
static long index_search(const uint16_t *idx, size_t n, const void *ctx,
			 int (*cmp)(const void *ctx, uint16_t entry))
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp(ctx, idx[mid]);

		if (c == 0)
			return idx[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* A role id or an op id, looked up in the sets. */
struct id_key {
	const struct procd_sets *sets;
	uint32_t id;
};

static int role_cmp(const void *ctx, uint16_t entry)
{
	const struct id_key *k = ctx;
	uint32_t role = k->sets->policies[entry].role;

	return role < k->id ? -1 : role > k->id;
}

struct name_key {
	const struct procd_sets *sets;
	const char *name;
	size_t len;
};

static int name_key_cmp(const void *ctx, uint16_t entry)
{
	const struct name_key *k = ctx;
	const struct procd_policy *p = &k->sets->policies[entry];

	return name_cmp(p->name, procd_strnlen(p->name, sizeof p->name), k->name, k->len);
}

static int op_cmp(const void *ctx, uint16_t entry)
{
	const struct id_key *k = ctx;
	uint32_t id = k->sets->ops[entry].id;

	return id < k->id ? -1 : id > k->id;
}

const struct procd_policy *procd_policy_by_role(const struct procd_registry *reg, uint32_t role)
{
	struct id_key k = { &reg->sets, role };
	long i = index_search(reg->by_role, reg->sets.npolicies, &k, role_cmp);

	return i < 0 ? 0 : &reg->sets.policies[i];
}

const struct procd_policy *procd_policy_by_name(const struct procd_registry *reg,
						const char *name, size_t len)
{
	struct name_key k = { &reg->sets, name, len };
	long i = index_search(reg->by_name, reg->sets.npolicies, &k, name_key_cmp);

	return i < 0 ? 0 : &reg->sets.policies[i];
}

const struct procd_op *procd_op_by_id(const struct procd_registry *reg, uint32_t id)
{
	struct id_key k = { &reg->sets, id };
	long i = index_search(reg->ops_by_id, reg->sets.nops, &k, op_cmp);

	return i < 0 ? 0 : &reg->sets.ops[i];
}

void procd_text_role(struct procd_text *t, const struct procd_registry *reg, uint32_t role)
{
	const struct procd_policy *p = procd_policy_by_role(reg, role);

	if (p)
		procd_text_field(t, p->name, sizeof p->name);
	else if (role == ROLE_ROOTD)
		procd_text_str(t, "rootd");
	else if (role == ROLE_PROCD)
		procd_text_str(t, "procd");
	else {
		procd_text_str(t, "role ");
		procd_text_hex(t, role);
	}
}
