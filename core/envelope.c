/* SPDX-License-Identifier: ISC */
#include "core/abi/procd_roles.h"
#include "core/abi/procd_slots.h"
#include "core/envelope.h"

#define INTAKE_SLOTS (3u + PROCD_ENVELOPE_MODULES_MAX + PROCD_ENVELOPE_SLOTS_MAX)

struct intake {
	struct procd_envelope hdr;
	struct procd_envelope_module modules[PROCD_ENVELOPE_MODULES_MAX];
	struct procd_envelope_slot slots[PROCD_ENVELOPE_SLOTS_MAX];
	procd_cap declared[INTAKE_SLOTS];
	uint32_t ndeclared;
};

static int refuse(struct procd_text *why, const char *what)
{
	procd_text_str(why, what);
	return -1;
}

static int refuse_slot(struct procd_text *why, const char *what, uint32_t slot)
{
	procd_text_str(why, what);
	procd_text_str(why, " (slot ");
	procd_text_u32(why, slot);
	procd_text_str(why, ")");
	return -1;
}

static int module_name_ok(const char *name)
{
	size_t n = procd_strnlen(name, PROCD_MODULE_NAME_MAX);

	if (n == 0 || n == PROCD_MODULE_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return 0;
	}
	for (size_t i = n; i < PROCD_MODULE_NAME_MAX; i++)
		if (name[i] != '\0')
			return 0;
	return 1;
}

/* Bytes to fixed records: lengths first, so nothing is read past `len`. */
static int parse(struct intake *in, const unsigned char *buf, size_t len, struct procd_text *why)
{
	size_t need;

	if (len < sizeof in->hdr)
		return refuse(why, "shorter than its header");
	procd_bytes_copy(&in->hdr, buf, sizeof in->hdr);
	if (!procd_bytes_eq(in->hdr.magic, PROCD_ENVELOPE_MAGIC, 8))
		return refuse(why, "bad magic (not a procd startup envelope)");
	if (in->hdr.version != PROCD_ENVELOPE_VERSION)
		return refuse(why, "unknown version");
	if (in->hdr.reserved[0] != 0 || in->hdr.reserved[1] != 0)
		return refuse(why, "reserved header fields are not zero");
	if (in->hdr.nmodules > PROCD_ENVELOPE_MODULES_MAX)
		return refuse(why, "too many boot modules");
	if (in->hdr.nslots > PROCD_ENVELOPE_SLOTS_MAX)
		return refuse(why, "too many transferred slots");
	need = sizeof in->hdr + in->hdr.nmodules * sizeof in->modules[0] +
	       in->hdr.nslots * sizeof in->slots[0];
	if (in->hdr.length != len || len != need)
		return refuse(why, "length does not match its contents");
	procd_bytes_copy(in->modules, buf + sizeof in->hdr, in->hdr.nmodules * sizeof in->modules[0]);
	procd_bytes_copy(in->slots, buf + sizeof in->hdr + in->hdr.nmodules * sizeof in->modules[0],
			 in->hdr.nslots * sizeof in->slots[0]);
	return 0;
}

/* Declares a slot once; slots 0-15 are never capabilities. */
static int declare(struct intake *in, uint32_t slot, struct procd_text *why)
{
	if (slot < SLOT_FIRST_CAPABILITY || slot > 0x7fffffffu)
		return refuse_slot(why, "a declared slot is not a capability slot", slot);
	for (uint32_t i = 0; i < in->ndeclared; i++)
		if ((uint32_t)in->declared[i] == slot)
			return refuse_slot(why, "a slot is declared twice", slot);
	in->declared[in->ndeclared++] = (procd_cap)slot;
	return 0;
}

static int expect_kind(uint32_t slot, uint32_t kind, const char *what, struct procd_text *why)
{
	uint32_t got = port_cap_kind((procd_cap)slot);

	if (got == kind)
		return 0;
	procd_text_str(why, what);
	procd_text_str(why, got == PROCD_CAP_NONE ? " is missing" : " is not the expected kind");
	procd_text_str(why, " (slot ");
	procd_text_u32(why, slot);
	procd_text_str(why, ")");
	return -1;
}

static int validate(struct intake *in, struct procd_text *why)
{
	const struct procd_envelope *h = &in->hdr;

	if (h->role != ROLE_PROCD)
		return refuse(why, "not addressed to the procd role");
	if (h->control_slot != SLOT_KERNEL_PROCESS_ENDPOINT)
		return refuse_slot(why, "local control is not SLOT_KERNEL_PROCESS_ENDPOINT", h->control_slot);
	if (h->driver_slot != SLOT_PROCD_DRIVER_ENDPOINT)
		return refuse_slot(why, "driver endpoint is not SLOT_PROCD_DRIVER_ENDPOINT", h->driver_slot);
	if (declare(in, h->control_slot, why) || declare(in, h->driver_slot, why) ||
	    declare(in, h->bootstrap_slot, why))
		return -1;
	for (uint32_t i = 0; i < h->nmodules; i++) {
		const struct procd_envelope_module *m = &in->modules[i];

		if ((m->flags & ~PROCD_MODULE_FLAGS_KNOWN) || !module_name_ok(m->name))
			return refuse_slot(why, "a boot module has a bad name or unknown flags", m->slot);
		for (uint32_t j = 0; j < i; j++)
			if (procd_bytes_eq(in->modules[j].name, m->name, PROCD_MODULE_NAME_MAX))
				return refuse_slot(why, "two boot modules have the same name", m->slot);
		if (declare(in, m->slot, why))
			return -1;
	}
	for (uint32_t i = 0; i < h->nslots; i++) {
		const struct procd_envelope_slot *s = &in->slots[i];

		if (s->kind != PROCD_CAP_ENDPOINT && s->kind != PROCD_CAP_IMAGE)
			return refuse_slot(why, "a transferred slot has an unknown kind", s->slot);
		if (declare(in, s->slot, why))
			return -1;
	}
	/* Now for real: each declared slot holds what the envelope says. */
	if (expect_kind(h->control_slot, PROCD_CAP_ENDPOINT, "local control endpoint", why) ||
	    expect_kind(h->driver_slot, PROCD_CAP_ENDPOINT, "driver endpoint", why) ||
	    expect_kind(h->bootstrap_slot, PROCD_CAP_ENDPOINT, "bootstrap endpoint", why))
		return -1;
	for (uint32_t i = 0; i < h->nmodules; i++)
		if (expect_kind(in->modules[i].slot, PROCD_CAP_IMAGE, "boot module image", why))
			return -1;
	for (uint32_t i = 0; i < h->nslots; i++)
		if (expect_kind(in->slots[i].slot, in->slots[i].kind, "transferred slot", why))
			return -1;
	return 0;
}

int procd_envelope_load(struct procd *d, const void *buf, size_t len, struct procd_text *why)
{
	static struct intake in;
	procd_cap residual;

	procd_bytes_zero(&in, sizeof in);
	if (parse(&in, buf, len, why) != 0 || validate(&in, why) != 0)
		return -1;
	if (port_has_residual_caps(in.declared, in.ndeclared, &residual))
		return refuse_slot(why, "residual authority: procd holds a capability the envelope does not declare",
				   (uint32_t)residual);

	d->control = (procd_cap)in.hdr.control_slot;
	procd_endpoints_set_intake(&d->endpoints, (procd_cap)in.hdr.bootstrap_slot, (procd_cap)in.hdr.driver_slot);
	/* parse() bounded both counts by the tables' sizes. */
	for (uint32_t i = 0; i < in.hdr.nmodules; i++)
		procd_modules_add(&d->modules, (procd_cap)in.modules[i].slot, in.modules[i].flags, in.modules[i].name);
	for (uint32_t i = 0; i < in.hdr.nslots; i++)
		procd_transferred_add(&d->transferred, in.slots[i].slot, in.slots[i].kind, (procd_cap)in.slots[i].slot);
	return 0;
}
