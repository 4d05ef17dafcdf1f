/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi/procd_slots.h"
#include "tools/abi_names.h"
#include "tools/slot_query.h"

/* "self, procd, named, ...": what may be written instead. */
static void list_names(char *why, size_t whylen)
{
	uint32_t slot;
	const char *name;
	size_t n = strlen(why);

	for (size_t i = 0; (name = abi_slot_nth(i, &slot)) != NULL && n < whylen; i++) {
		snprintf(why + n, whylen - n, "%s%s", i ? ", " : "", name);
		n = strlen(why);
	}
}

static int prefix_of_some_name(const char *prefix, size_t n)
{
	uint32_t slot;
	const char *name;

	for (size_t i = 0; (name = abi_slot_nth(i, &slot)) != NULL; i++)
		if (strncmp(name, prefix, n) == 0)
			return 1;
	return 0;
}

int slot_query_parse(struct slot_query *q, const char *s, char *why, size_t whylen)
{
	size_t len = strlen(s);
	unsigned long v;
	char *end;

	memset(q, 0, sizeof *q);
	if (len == 0 || len >= sizeof q->text) {
		snprintf(why, whylen, "a slot is a number, a slot name or a name prefix ending in '*'");
		return -1;
	}
	memcpy(q->text, s, len + 1);
	if (s[0] >= '0' && s[0] <= '9') {
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno != 0 || *end != '\0' || v < SLOT_FIRST_CAPABILITY || v >= PROCD_WINDOW_MAX) {
			snprintf(why, whylen, "slot '%s' is not a number from %u to %u", s,
				 SLOT_FIRST_CAPABILITY, PROCD_WINDOW_MAX - 1);
			return -1;
		}
		q->slot = (uint32_t)v;
		return 0;
	}
	if (s[len - 1] == '*') {
		q->is_prefix = 1;
		if (prefix_of_some_name(s, len - 1))
			return 0;
		snprintf(why, whylen, "no slot name starts with '%.*s'; slot names: ", (int)(len - 1), s);
		list_names(why, whylen);
		return -1;
	}
	if (abi_slot_by_name(s, &q->slot))
		return 0;
	snprintf(why, whylen, "no slot is named '%s'; slot names: ", s);
	list_names(why, whylen);
	return -1;
}

int slot_query_matches(const struct slot_query *q, uint32_t slot)
{
	const char *name;
	size_t n;

	if (!q->is_prefix)
		return slot == q->slot;
	name = abi_slot_name(slot);
	n = strlen(q->text) - 1;
	return name && strncmp(name, q->text, n) == 0;
}
