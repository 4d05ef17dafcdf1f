/* SPDX-License-Identifier: ISC */
/*
 * From an ELF file to struct procd_sets: the layout record first (so a
 * binary whose descriptors this tool does not know is refused, not
 * misread), then the three sets, each copied, converted to host order and
 * sorted.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tools/registry_file.h"

/* A descriptor field in file (little-endian) order, rewritten in host order. */
static uint32_t host32(const uint32_t *field)
{
	return elf_le32((const unsigned char *)field);
}

static uint16_t host16(const uint16_t *field)
{
	const unsigned char *b = (const unsigned char *)field;

	return (uint16_t)(b[0] | (unsigned)b[1] << 8);
}

static void decode_layout(const unsigned char *b, struct procd_layout *l)
{
#define LAYOUT_U32(f) (l->f = elf_le32(b + offsetof(struct procd_layout, f)))
	memcpy(l->magic, b, sizeof l->magic);
	LAYOUT_U32(version);
	LAYOUT_U32(policy_size);
	LAYOUT_U32(origin_size);
	LAYOUT_U32(op_size);
	LAYOUT_U32(name_max);
	LAYOUT_U32(slots_max);
	LAYOUT_U32(requesters_max);
	LAYOUT_U32(callers_max);
	LAYOUT_U32(max_processes);
	for (size_t i = 0; i < sizeof l->reserved / sizeof l->reserved[0]; i++)
		LAYOUT_U32(reserved[i]);
#undef LAYOUT_U32
}

/* Every size the layout record states must be the one compiled in here. */
static int check_layout_sizes(const struct procd_layout *l, struct elf_error *err)
{
	const struct {
		const char *field;
		uint32_t found;
		uint32_t known;
	} sizes[] = {
		{ "policy_size", l->policy_size, sizeof(struct procd_policy) },
		{ "origin_size", l->origin_size, sizeof(struct procd_policy_origin) },
		{ "op_size", l->op_size, sizeof(struct procd_op) },
		{ "name_max", l->name_max, PROCD_NAME_MAX },
		{ "slots_max", l->slots_max, PROCD_POLICY_SLOTS },
		{ "requesters_max", l->requesters_max, PROCD_POLICY_REQUESTERS },
		{ "callers_max", l->callers_max, PROCD_OP_CALLERS },
	};

	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		if (sizes[i].found != sizes[i].known) {
			elf_error_set(err, "layout record: %s is %" PRIu32
				      ", this procd-policy knows %" PRIu32
				      " (build procd-policy from the same sources as the binary)",
				      sizes[i].field, sizes[i].found, sizes[i].known);
			return -1;
		}
	return 0;
}

static int read_layout(const struct elf_file *ef, struct procd_layout *l, struct elf_error *err)
{
	struct elf_section sec;
	const unsigned char *b;
	uint32_t version;
	int found = elf_find_section(ef, PROCD_SECTION_LAYOUT, &sec, err);

	if (found < 0)
		return -1;
	if (found == 0) {
		elf_error_set(err, "not a procd binary: no " PROCD_SECTION_LAYOUT " section");
		return -1;
	}
	if (elf_section_bytes(ef, &sec, &b, err) != 0)
		return -1;
	/* Magic and version come first, so that a later, longer record is
	 * reported as a version this tool does not know. */
	if (sec.size < 12) {
		elf_error_set(err, PROCD_SECTION_LAYOUT " is %" PRIu64
			      " bytes, too short for a layout record", sec.size);
		return -1;
	}
	if (memcmp(b, PROCD_LAYOUT_MAGIC, 8) != 0) {
		elf_error_set(err, "not a procd binary: " PROCD_SECTION_LAYOUT
			      " does not start with the magic \"" PROCD_LAYOUT_MAGIC "\"");
		return -1;
	}
	version = elf_le32(b + 8);
	if (version != PROCD_LAYOUT_VERSION) {
		elf_error_set(err, "layout version %" PRIu32 " not understood by this procd-policy"
			      " (knows %u)", version, PROCD_LAYOUT_VERSION);
		return -1;
	}
	if (sec.size != sizeof(struct procd_layout)) {
		elf_error_set(err, PROCD_SECTION_LAYOUT " is %" PRIu64 " bytes; a version %u"
			      " layout record is %zu", sec.size, PROCD_LAYOUT_VERSION,
			      sizeof(struct procd_layout));
		return -1;
	}
	decode_layout(b, l);
	return check_layout_sizes(l, err);
}

/*
 * Copies one set into an aligned array (the descriptor types are 64-byte
 * aligned; the file's bytes sit wherever the buffer put them). An absent
 * section is an empty set: reading it is legal, lint judges it.
 */
static int read_set(const struct elf_file *ef, const char *name, size_t esize, void **out,
		    size_t *count, struct elf_error *err)
{
	struct elf_section sec;
	const unsigned char *b;
	size_t n;
	void *copy;
	int found;

	*out = NULL;
	*count = 0;
	found = elf_find_section(ef, name, &sec, err);
	if (found <= 0)
		return found;
	if (elf_section_bytes(ef, &sec, &b, err) != 0)
		return -1;
	if (sec.size % esize != 0) {
		elf_error_set(err, "section '%s' is %" PRIu64 " bytes, not a whole number of %zu-byte"
			      " descriptors (padding between entries)", name, sec.size, esize);
		return -1;
	}
	n = (size_t)(sec.size / esize); /* fits: the section lies inside the buffer */
	if (n == 0)
		return 0;
	if (n > REGISTRY_FILE_MAX_ENTRIES) {
		elf_error_set(err, "section '%s' holds %zu descriptors; procd-policy reads at most %u",
			      name, n, REGISTRY_FILE_MAX_ENTRIES);
		return -1;
	}
	copy = aligned_alloc(PROCD_SET_ALIGN, n * esize);
	if (!copy) {
		elf_error_set(err, "out of memory");
		return -1;
	}
	memcpy(copy, b, n * esize);
	*out = copy;
	*count = n;
	return 0;
}

static void policy_to_host(struct procd_policy *p)
{
	p->role = host32(&p->role);
	p->window = host32(&p->window);
	p->flags = host32(&p->flags);
	for (size_t i = 0; i < PROCD_POLICY_REQUESTERS; i++)
		p->requesters[i] = host32(&p->requesters[i]);
	for (size_t i = 0; i < PROCD_POLICY_SLOTS; i++)
		p->slots[i] = host32(&p->slots[i]);
	p->quota.children = host16(&p->quota.children);
	p->quota.waits = host16(&p->quota.waits);
	p->quota.transfers = host16(&p->quota.transfers);
	p->quota.image_kib = host32(&p->quota.image_kib);
}

/* The handler is an address in the file's own (unrelocated) image: meaningless here. */
static void op_to_host(struct procd_op *op)
{
	op->id = host32(&op->id);
	op->request_size = host16(&op->request_size);
	for (size_t i = 0; i < PROCD_OP_CALLERS; i++)
		op->callers[i] = host32(&op->callers[i]);
	op->handler = NULL;
}

/* Total orders (id, then every byte), so equal keys still sort the same way
 * whatever order the linker placed them in. */
static int policy_cmp(const void *a, const void *b)
{
	const struct procd_policy *x = a, *y = b;

	if (x->role != y->role)
		return x->role < y->role ? -1 : 1;
	return memcmp(x, y, sizeof *x);
}

static int origin_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct procd_policy_origin));
}

static int op_cmp(const void *a, const void *b)
{
	const struct procd_op *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return memcmp(x, y, sizeof *x);
}

static int read_sets(const struct elf_file *ef, struct registry_file *rf, struct elf_error *err)
{
	void *policies, *origins, *ops;

	if (read_set(ef, PROCD_SECTION_POLICIES, sizeof *rf->policies, &policies, &rf->npolicies, err))
		return -1;
	rf->policies = policies;
	if (read_set(ef, PROCD_SECTION_ORIGINS, sizeof *rf->origins, &origins, &rf->norigins, err))
		return -1;
	rf->origins = origins;
	if (read_set(ef, PROCD_SECTION_OPS, sizeof *rf->ops, &ops, &rf->nops, err))
		return -1;
	rf->ops = ops;
	return 0;
}

static void index_sets(struct registry_file *rf)
{
	for (size_t i = 0; i < rf->npolicies; i++)
		policy_to_host(&rf->policies[i]);
	for (size_t i = 0; i < rf->nops; i++)
		op_to_host(&rf->ops[i]);
	if (rf->npolicies)
		qsort(rf->policies, rf->npolicies, sizeof *rf->policies, policy_cmp);
	if (rf->norigins)
		qsort(rf->origins, rf->norigins, sizeof *rf->origins, origin_cmp);
	if (rf->nops)
		qsort(rf->ops, rf->nops, sizeof *rf->ops, op_cmp);
	memset(&rf->sets, 0, sizeof rf->sets);
	rf->sets.policies = rf->policies;
	rf->sets.npolicies = rf->npolicies;
	rf->sets.origins = rf->origins;
	rf->sets.norigins = rf->norigins;
	rf->sets.ops = rf->ops;
	rf->sets.nops = rf->nops;
	rf->sets.torn = NULL;         /* a torn section was refused above */
	rf->sets.handlers_known = 0;  /* relocated at load time, see op_to_host */
}

/* Optional: a binary without the record leaves no module out. */
static int read_roles_left_out(const struct elf_file *ef, char *out, struct elf_error *err)
{
	struct elf_section sec;
	const unsigned char *b;
	int found = elf_find_section(ef, PROCD_SECTION_ROLES_LEFT_OUT, &sec, err);
	size_t n;

	out[0] = '\0';
	if (found <= 0)
		return found;
	if (elf_section_bytes(ef, &sec, &b, err) != 0)
		return -1;
	if (sec.size != PROCD_ROLES_LEFT_OUT_MAX) {
		elf_error_set(err, PROCD_SECTION_ROLES_LEFT_OUT " is %" PRIu64 " bytes, not %u", sec.size,
			      PROCD_ROLES_LEFT_OUT_MAX);
		return -1;
	}
	for (n = 0; n < PROCD_ROLES_LEFT_OUT_MAX && b[n]; n++)
		if (!((b[n] >= 'a' && b[n] <= 'z') || (b[n] >= '0' && b[n] <= '9') || b[n] == '-' ||
		      b[n] == '_' || b[n] == ',')) {
			elf_error_set(err, PROCD_SECTION_ROLES_LEFT_OUT " holds byte 0x%02x, not a role"
				      " module name", b[n]);
			return -1;
		}
	if (n == PROCD_ROLES_LEFT_OUT_MAX) {
		elf_error_set(err, PROCD_SECTION_ROLES_LEFT_OUT " is not NUL-terminated");
		return -1;
	}
	memcpy(out, b, n + 1);
	return 0;
}

static int registry_from_elf(struct registry_file *rf, const struct elf_file *ef,
			     struct elf_error *err)
{
	memset(rf, 0, sizeof *rf);
	if (read_layout(ef, &rf->layout, err) != 0 || read_sets(ef, rf, err) != 0 ||
	    read_roles_left_out(ef, rf->roles_left_out, err) != 0) {
		registry_free(rf);
		return -1;
	}
	index_sets(rf);
	return 0;
}

int registry_parse(struct registry_file *rf, const void *data, size_t size, struct elf_error *err)
{
	struct elf_file ef;
	int rc;

	memset(rf, 0, sizeof *rf);
	if (elf_parse(&ef, data, size, err) != 0)
		return -1;
	rc = registry_from_elf(rf, &ef, err);
	elf_close(&ef);
	return rc;
}

int registry_load(struct registry_file *rf, const char *path, struct elf_error *err)
{
	struct elf_file ef;
	int rc;

	memset(rf, 0, sizeof *rf);
	if (elf_load(&ef, path, err) != 0)
		return -1;
	rc = registry_from_elf(rf, &ef, err);
	elf_close(&ef);
	return rc;
}

void registry_free(struct registry_file *rf)
{
	free(rf->policies);
	free(rf->origins);
	free(rf->ops);
	memset(rf, 0, sizeof *rf);
}

static int role_key_cmp(const void *key, const void *elem)
{
	uint32_t k = *(const uint32_t *)key, role = ((const struct procd_policy *)elem)->role;

	return (k > role) - (k < role);
}

/* The policies are sorted by role (read_sets). A role repeated in a broken
 * image (lint reports it) gives the first of its copies, so that output
 * does not depend on where the search happened to land. */
const struct procd_policy *registry_policy_by_role(const struct registry_file *rf, uint32_t role)
{
	const struct procd_policy *p =
		rf->npolicies ? bsearch(&role, rf->policies, rf->npolicies, sizeof *rf->policies, role_key_cmp) : NULL;

	while (p && p > rf->policies && p[-1].role == role)
		p--;
	return p;
}
