/* SPDX-License-Identifier: ISC */
/*
 * The registry invariants (DESIGN.md, "The two link-time registries").
 *
 * Tables are small (tens of entries) and checked once, so pairwise compares
 * are the clearest way to state uniqueness; the request path never comes
 * here, it uses the sorted index built in registry.c.
 */
#include "core/layout.h"
#include "core/registry_check.h"
#include "core/text.h"

struct checker {
	const struct procd_sets *sets;
	procd_finding_fn report;
	void *ctx;
	unsigned count;
};

static void finding_subject(struct procd_finding *f, const char *name, size_t max)
{
	struct procd_text t;

	procd_text_init(&t, f->subject, sizeof f->subject);
	procd_text_field(&t, name, max);
}

static void emit(struct checker *c, struct procd_finding *f)
{
	c->count++;
	if (c->report)
		c->report(c->ctx, f);
}

/* The file that declared p. A policy whose name or identifier is wrong has
 * no origin keyed by its name; every PROCD_POLICY emits its origin beside
 * its policy, so when the two tables are the same length the entry at the
 * same index is the one from the same declaration. */
static int origin_matches(const struct procd_policy_origin *o, const struct procd_policy *p);

static const struct procd_policy_origin *origin_for(const struct procd_sets *s, const struct procd_policy *p)
{
	const struct procd_policy_origin *same = 0;

	if (s->norigins == s->npolicies && p >= s->policies && p < s->policies + s->npolicies)
		same = &s->origins[p - s->policies];
	/* Two policies of one name share a key: the index tells them apart. */
	if (same && origin_matches(same, p))
		return same;
	return procd_policy_origin_of(s, p) ? procd_policy_origin_of(s, p) : same;
}

/* Starts a finding about policy p; the caller appends the message and emits. */
static void policy_finding(struct checker *c, const struct procd_policy *p, const char *field,
			   struct procd_finding *f, struct procd_text *msg)
{
	const struct procd_policy_origin *o = origin_for(c->sets, p);
	struct procd_text src;

	procd_text_init(&src, f->source, sizeof f->source);
	if (o)
		procd_text_field(&src, o->source, sizeof o->source);
	finding_subject(f, p->name, sizeof p->name);
	f->field = field;
	procd_text_init(msg, f->message, sizeof f->message);
}

static void policy_fail(struct checker *c, const struct procd_policy *p, const char *field,
			const char *why)
{
	struct procd_finding f;
	struct procd_text msg;

	policy_finding(c, p, field, &f, &msg);
	procd_text_str(&msg, why);
	emit(c, &f);
}

/* "BEFORE VALUE AFTER", AFTER optional. */
static void policy_fail_num(struct checker *c, const struct procd_policy *p, const char *field,
			    const char *before, uint32_t value, const char *after)
{
	struct procd_finding f;
	struct procd_text msg;

	policy_finding(c, p, field, &f, &msg);
	procd_text_str(&msg, before);
	procd_text_u32(&msg, value);
	if (after)
		procd_text_str(&msg, after);
	emit(c, &f);
}

/* "BEFORE VALUE AFTER LIMIT": a value against the bound it broke. */
static void policy_fail_bound(struct checker *c, const struct procd_policy *p, const char *field,
			      const char *before, uint32_t value, const char *after, uint32_t limit)
{
	struct procd_finding f;
	struct procd_text msg;

	policy_finding(c, p, field, &f, &msg);
	procd_text_str(&msg, before);
	procd_text_u32(&msg, value);
	procd_text_str(&msg, after);
	procd_text_u32(&msg, limit);
	emit(c, &f);
}

/* p declares what q (listed earlier) already did. Which of two linked
 * files comes first is the linker's choice, so the finding is filed under p
 * and names q and its file too: the newcomer is always among the two. */
static void policy_fail_clash(struct checker *c, const struct procd_policy *p, const struct procd_policy *q,
			      const char *field, const char *what, int show_id)
{
	const struct procd_policy_origin *qo = origin_for(c->sets, q);
	struct procd_finding f;
	struct procd_text msg;

	policy_finding(c, p, field, &f, &msg);
	procd_text_str(&msg, what);
	if (show_id) {
		procd_text_hex(&msg, p->role);
		procd_text_str(&msg, " is declared twice");
	}
	procd_text_str(&msg, ": also by '");
	procd_text_field(&msg, q->name, sizeof q->name);
	procd_text_str(&msg, "'");
	if (qo) {
		procd_text_str(&msg, " in ");
		procd_text_field(&msg, qo->source, sizeof qo->source);
	}
	emit(c, &f);
}

static void general_fail(struct checker *c, const char *subject, const char *field, const char *why)
{
	struct procd_finding f;
	struct procd_text t;

	f.source[0] = '\0';
	procd_text_init(&t, f.subject, sizeof f.subject);
	procd_text_str(&t, subject);
	f.field = field;
	procd_text_init(&t, f.message, sizeof f.message);
	procd_text_str(&t, why);
	emit(c, &f);
}

static int name_char_ok(char ch, int first)
{
	if (ch >= 'a' && ch <= 'z')
		return 1;
	if (first)
		return 0;
	return (ch >= '0' && ch <= '9') || ch == '-';
}

/* A role or image name: a lowercase word, '-' and digits after the first letter. */
static int name_ok(const char *s, size_t max)
{
	size_t n = procd_strnlen(s, max);

	if (n == 0 || n == max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!name_char_ok(s[i], i == 0))
			return 0;
	return 1;
}

static int is_driver_name(const char *name, size_t max)
{
	return procd_strnlen(name, max) > 4 && procd_bytes_eq(name, "drv-", 4);
}

static int all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != 0)
			return 0;
	return 1;
}

/*
 * A zero-terminated id list: no entry after the terminator (it would be
 * silently ignored) and no entry twice. Returns its length, or -1.
 */
static int list_shape(const uint32_t *v, size_t max, const char **why)
{
	size_t n = 0;

	while (n < max && v[n] != 0)
		n++;
	for (size_t i = n; i < max; i++)
		if (v[i] != 0) {
			*why = "an entry follows a 0, which ends the list";
			return -1;
		}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (v[i] == v[j]) {
				*why = "an entry is listed twice";
				return -1;
			}
	return (int)n;
}

static int lists(const uint32_t *v, size_t n, uint32_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

static void check_policy_fields(struct checker *c, const struct procd_policy *p)
{
	const char *why = 0;
	int n;

	if (!name_ok(p->name, sizeof p->name)) {
		policy_fail(c, p, "name", "must be 1-23 characters of a-z, 0-9 and '-', starting with a letter");
		return; /* the other messages would name a role we cannot print */
	}
	if (p->role == ROLE_NONE || p->role > ROLE_MAX)
		policy_fail_bound(c, p, "role", "role id ", p->role, " is outside 1..", ROLE_MAX);
	if (p->role_class < PROCD_CLASS_FOUNDATION || p->role_class > PROCD_CLASS_EXTENSION)
		policy_fail_num(c, p, "role_class", "unknown class ", p->role_class, 0);
	if (p->endpoint != PROCD_EP_BOOTSTRAP && p->endpoint != PROCD_EP_DRIVER)
		policy_fail(c, p, "endpoint", "must be exactly one of PROCD_EP_BOOTSTRAP or PROCD_EP_DRIVER");
	if (p->boot_stage > PROCD_STAGE_RUNTIME)
		policy_fail_num(c, p, "boot_stage", "unknown boot stage ", p->boot_stage, 0);
	if (p->restart > PROCD_RESTART_ALWAYS)
		policy_fail_num(c, p, "restart", "unknown restart policy ", p->restart, 0);
	if (p->window < SLOT_FIRST_CAPABILITY || p->window > PROCD_WINDOW_MAX)
		policy_fail_bound(c, p, "window", "window ", p->window, " is outside 16..", PROCD_WINDOW_MAX);
	if (p->flags & ~PROCD_POLICY_FLAGS_KNOWN)
		policy_fail_num(c, p, "flags", "unknown flag bits in ", p->flags, 0);
	if (!name_ok(p->image, sizeof p->image))
		policy_fail(c, p, "image", "must name the role's boot module (a-z, 0-9, '-')");
	if (!all_zero(p->reserved, sizeof p->reserved))
		policy_fail(c, p, "reserved", "reserved bytes must be zero");
	if (p->quota.reserved != 0)
		policy_fail(c, p, "quota", "quota.reserved must be zero");

	n = list_shape(p->slots, PROCD_POLICY_SLOTS, &why);
	if (n < 0)
		policy_fail(c, p, "slots", why);
	for (int i = 0; i < n; i++) {
		uint32_t s = p->slots[i];

		if (s < SLOT_FIRST_CAPABILITY)
			policy_fail_num(c, p, "slots", "slot ", s, " is below 16 (slots 0-15 are never capabilities)");
		else if (s >= p->window)
			policy_fail_bound(c, p, "slots", "slot ", s, " is outside the window of ", p->window);
	}

	if (n >= 0 && !lists(p->slots, (size_t)n, SLOT_SELF_ENDPOINT))
		policy_fail(c, p, "slots", "must list SLOT_SELF_ENDPOINT: procd gives every child its own endpoint");

	n = list_shape(p->requesters, PROCD_POLICY_REQUESTERS, &why);
	if (n < 0)
		policy_fail(c, p, "requesters", why);
	else if (n == 0)
		policy_fail(c, p, "requesters", "no role may request it, so it can never start");
}

/* The role's class, name, endpoint, id range and boot stage must tell one story. */
static void check_policy_class(struct checker *c, const struct procd_policy *p)
{
	int driver_name = is_driver_name(p->name, sizeof p->name);
	int driver_class = p->role_class == PROCD_CLASS_DRIVER;
	int driver_ep = p->endpoint == PROCD_EP_DRIVER;
	int extension_id = p->role >= SERVICE_ROLE_EXTENSION_BASE;
	int extension_class = p->role_class == PROCD_CLASS_EXTENSION;

	if (driver_name != driver_class)
		policy_fail(c, p, "role_class", driver_name ? "a drv-* role must be PROCD_CLASS_DRIVER"
							    : "only drv-* roles may be PROCD_CLASS_DRIVER");
	if (driver_class != driver_ep)
		policy_fail(c, p, "endpoint", driver_class ? "a driver is requested on PROCD_EP_DRIVER"
							   : "only drivers are requested on PROCD_EP_DRIVER");
	if (extension_id != extension_class)
		policy_fail_num(c, p, "role", extension_class
			? "an extension role needs an id >= SERVICE_ROLE_EXTENSION_BASE, not "
			: "only extension roles may use ids >= SERVICE_ROLE_EXTENSION_BASE; got ",
			p->role, 0);
	if ((driver_class || extension_class) && p->boot_stage != PROCD_STAGE_NONE)
		policy_fail(c, p, "boot_stage", "drivers and extension roles start only on request (PROCD_STAGE_NONE)");
	if (p->role_class == PROCD_CLASS_FOUNDATION && p->boot_stage != PROCD_STAGE_FOUNDATION)
		policy_fail(c, p, "boot_stage", "a foundation role starts in PROCD_STAGE_FOUNDATION");
	if (p->role_class == PROCD_CLASS_SERVICE && p->boot_stage == PROCD_STAGE_FOUNDATION)
		policy_fail(c, p, "boot_stage", "only foundation roles start in PROCD_STAGE_FOUNDATION");
}

/* The origin identifier is the role name with '-' written as '_'. */
static int origin_matches(const struct procd_policy_origin *o, const struct procd_policy *p)
{
	size_t n = procd_strnlen(p->name, sizeof p->name);

	if (procd_strnlen(o->ident, sizeof o->ident) != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char want = p->name[i] == '-' ? '_' : p->name[i];

		if (o->ident[i] != want)
			return 0;
	}
	return 1;
}

const struct procd_policy_origin *procd_policy_origin_of(const struct procd_sets *sets,
							  const struct procd_policy *p)
{
	for (size_t i = 0; i < sets->norigins; i++)
		if (origin_matches(&sets->origins[i], p))
			return &sets->origins[i];
	return 0;
}

static void check_policies(struct checker *c)
{
	const struct procd_sets *s = c->sets;

	if (s->npolicies > PROCD_MAX_POLICIES)
		general_fail(c, "registry", "procd_policies", "more policies than PROCD_MAX_POLICIES");
	if (s->norigins != s->npolicies)
		general_fail(c, "registry", "procd_policy_origins",
			     "every policy must be declared with PROCD_POLICY(ident), once");
	for (size_t i = 0; i < s->npolicies; i++) {
		const struct procd_policy *p = &s->policies[i];

		check_policy_fields(c, p);
		if (!name_ok(p->name, sizeof p->name))
			continue;
		check_policy_class(c, p);
		if (!procd_policy_origin_of(s, p))
			policy_fail(c, p, "name", "does not match its PROCD_POLICY(ident): "
						  "write the name with '_' for '-' as the identifier");
		for (size_t j = 0; j < i; j++) {
			const struct procd_policy *q = &s->policies[j];

			if (q->role == p->role)
				policy_fail_clash(c, p, q, "role", "role id ", 1);
			if (procd_field_eq(q->name, sizeof q->name, p->name,
					   procd_strnlen(p->name, sizeof p->name)))
				policy_fail_clash(c, p, q, "name", "role name is declared twice", 0);
			/* One image, two authorities: most often a copied policy whose
			 * .image was never changed, so the new role would run the
			 * other's binary. */
			if (name_ok(p->image, sizeof p->image) &&
			    procd_field_eq(q->image, sizeof q->image, p->image,
					   procd_strnlen(p->image, sizeof p->image)))
				policy_fail_clash(c, p, q, "image", "image is named twice (each role runs its own boot module)", 0);
		}
	}
}

static void op_fail(struct checker *c, const struct procd_op *op, const char *field, const char *why)
{
	struct procd_finding f;
	struct procd_text t;

	f.source[0] = '\0';
	finding_subject(&f, op->name, sizeof op->name);
	if (f.subject[0] == '\0') {
		procd_text_init(&t, f.subject, sizeof f.subject);
		procd_text_str(&t, "op ");
		procd_text_hex(&t, op->id);
	}
	f.field = field;
	procd_text_init(&t, f.message, sizeof f.message);
	procd_text_str(&t, why);
	emit(c, &f);
}

static void check_ops(struct checker *c)
{
	const struct procd_sets *s = c->sets;

	if (s->nops > PROCD_MAX_OPS)
		general_fail(c, "registry", "procd_ops", "more ops than PROCD_MAX_OPS");
	for (size_t i = 0; i < s->nops; i++) {
		const struct procd_op *op = &s->ops[i];
		const char *why = 0;
		int n;

		if (procd_strnlen(op->name, sizeof op->name) == 0 ||
		    procd_strnlen(op->name, sizeof op->name) == sizeof op->name)
			op_fail(c, op, "name", "must be a NUL-terminated, non-empty name");
		if (op->endpoints == 0 || (op->endpoints & ~PROCD_EP_KNOWN))
			op_fail(c, op, "endpoints", "must be a non-empty mask of PROCD_EP_BOOTSTRAP/DRIVER/NOTIFY");
		if (op->flags & ~PROCD_OP_FLAGS_KNOWN)
			op_fail(c, op, "flags", "unknown flag bits");
		if (op->request_size > PROCD_MSG_MAX - sizeof(struct procd_msg_header))
			op_fail(c, op, "request_size", "the request body does not fit in PROCD_MSG_MAX");
		n = list_shape(op->callers, PROCD_OP_CALLERS, &why);
		if (n < 0)
			op_fail(c, op, "callers", why);
		else if (n == 0)
			op_fail(c, op, "callers", "no caller role is accepted");
		for (int k = 0; k < n; k++)
			if (op->callers[k] == PROCD_CALLER_ANY && n != 1)
				op_fail(c, op, "callers", "PROCD_CALLER_ANY stands alone");
		if (c->sets->handlers_known) {
			if ((op->flags & PROCD_OP_DENY) && op->handler)
				op_fail(c, op, "handler", "a reserved (PROCD_OP_DENY) op has no handler");
			if (!(op->flags & PROCD_OP_DENY) && !op->handler)
				op_fail(c, op, "handler", "an op that is not PROCD_OP_DENY needs a handler");
		}
		for (size_t j = 0; j < i; j++)
			if (s->ops[j].id == op->id)
				op_fail(c, op, "id", "op id is registered twice");
	}
}

unsigned procd_registry_check(const struct procd_sets *sets, procd_finding_fn report, void *ctx)
{
	struct checker c = { .sets = sets, .report = report, .ctx = ctx, .count = 0 };

	if (sets->torn) {
		general_fail(&c, "registry", sets->torn,
			     "section length is not a whole number of descriptors (padding between entries)");
		return c.count; /* entries cannot be trusted */
	}
	check_policies(&c);
	check_ops(&c);
	return c.count;
}

void procd_finding_format(const struct procd_finding *f, struct procd_text *out)
{
	if (f->source[0] != '\0') {
		procd_text_str(out, f->source);
		procd_text_str(out, ": ");
	}
	procd_text_str(out, "'");
	procd_text_str(out, f->subject);
	procd_text_str(out, "', field '");
	procd_text_str(out, f->field);
	procd_text_str(out, "': ");
	procd_text_str(out, f->message);
}
