/* SPDX-License-Identifier: ISC */
#include <stddef.h>
#include <string.h>

#include "core/abi/procd_roles.h"
#include "core/abi/procd_slots.h"
#include "tools/abi_names.h"

struct abi_name {
	uint32_t id;
	const char *name;
};

#define ROLE_ROW(id, name) { id, name },
static const struct abi_name roles[] = { PROCD_ROLE_NAME_TABLE(ROLE_ROW) };
#undef ROLE_ROW

/* Slots, their names and roles are the ABI table's own. */
struct abi_slot {
	uint32_t id;
	const char *name;
	uint32_t kind;
	const char *server;
	const char *holder;
};
#define SLOT_ROW_(id, number, name, kind, cap, server, holder) { number, name, kind, server, holder },
static const struct abi_slot slot_table[] = { PROCD_SLOT_TABLE(SLOT_ROW_) };
#undef SLOT_ROW_
#define SLOT_NAME_(id, number, name, kind, cap, server, holder) { number, name },
static const struct abi_name slots[] = { PROCD_SLOT_TABLE(SLOT_NAME_) };
#undef SLOT_NAME_

static const struct abi_slot *slot_row(uint32_t slot)
{
	for (size_t i = 0; i < sizeof slot_table / sizeof slot_table[0]; i++)
		if (slot_table[i].id == slot)
			return &slot_table[i];
	return NULL;
}

/* A seed role's id by its name, 0 for "" or a name the ABI does not fix. */
static uint32_t role_by_name(const char *name)
{
	for (size_t i = 0; name[0] && i < sizeof roles / sizeof roles[0]; i++)
		if (strcmp(roles[i].name, name) == 0)
			return roles[i].id;
	return 0;
}

/* A few dozen entries, looked up a handful of times per run: a scan is clearest. */
static const char *lookup(const struct abi_name *t, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].id == id)
			return t[i].name;
	return NULL;
}

const char *abi_role_name(uint32_t role)
{
	return lookup(roles, sizeof roles / sizeof roles[0], role);
}

const char *abi_slot_name(uint32_t slot)
{
	return lookup(slots, sizeof slots / sizeof slots[0], slot);
}

int abi_slot_by_name(const char *name, uint32_t *slot)
{
	for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++)
		if (strcmp(slots[i].name, name) == 0) {
			*slot = slots[i].id;
			return 1;
		}
	return 0;
}

const char *abi_slot_nth(size_t i, uint32_t *slot)
{
	if (i >= sizeof slots / sizeof slots[0])
		return NULL;
	*slot = slots[i].id;
	return slots[i].name;
}

enum abi_server abi_slot_server(uint32_t slot, uint32_t *role)
{
	const struct abi_slot *row = slot_row(slot);

	if (!row)
		return ABI_SERVER_NONE;
	switch (row->kind) {
	case PROCD_SLOT_KIND_MINTED_BOOTSTRAP:
	case PROCD_SLOT_KIND_MINTED_NOTIFY:
		return ABI_SERVER_PROCD;
	case PROCD_SLOT_KIND_MINTED_DRIVER:
		return ABI_SERVER_PROCD_DRIVER;
	case PROCD_SLOT_KIND_KERNEL:
	case PROCD_SLOT_KIND_CONTROL:
		return ABI_SERVER_KERNEL;
	default:
		*role = role_by_name(row->server);
		return *role ? ABI_SERVER_ROLE : ABI_SERVER_NONE;
	}
}

uint32_t abi_slot_owner(uint32_t slot)
{
	const struct abi_slot *row = slot_row(slot);

	return row ? role_by_name(row->holder) : 0;
}
