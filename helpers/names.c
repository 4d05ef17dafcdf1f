/* SPDX-License-Identifier: ISC */
/*
 * The ABI's names, for the lines the stand-ins print: a user reading a boot
 * tells roles apart by name, as procd's own lines name them.
 */
#include "helpers/helper.h"

static const struct {
	uint32_t id;
	const char *name;
} roles[] = {
#define ROLE_ROW(id, name) { id, name },
	PROCD_ROLE_NAME_TABLE(ROLE_ROW)
#undef ROLE_ROW
};

static const struct {
	unsigned slot;
	const char *holder;
} slots[] = {
#define SLOT_ROW(id, number, name, kind, cap, server, holder) { number, holder },
	PROCD_SLOT_TABLE(SLOT_ROW)
#undef SLOT_ROW
};

const char *helper_role_name(uint32_t role)
{
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		if (roles[i].id == role)
			return roles[i].name;
	return 0;
}

const char *helper_role_label(char *buf, size_t cap, uint32_t role)
{
	const char *name = helper_role_name(role);

	if (name)
		return name;
	rt_format(buf, cap, "role 0x%x", role);
	return buf;
}

const char *helper_slot_holder(unsigned slot)
{
	for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
		if (slots[i].slot == slot)
			return slots[i].holder[0] ? slots[i].holder : 0;
	return 0;
}

int helper_same_name(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}
