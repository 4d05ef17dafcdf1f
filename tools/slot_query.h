/* SPDX-License-Identifier: ISC */
/*
 * Which slots a reviewer means: a number (2112), a canonical name
 * (procd-driver) or a name prefix ending in '*' (kernel-*). who-holds and
 * the reviewer rules read slots the same way, and a name that matches no
 * canonical slot is an error, never a query that silently matches nothing.
 */
#ifndef PROCD_TOOLS_SLOT_QUERY_H
#define PROCD_TOOLS_SLOT_QUERY_H

#include <stddef.h>
#include <stdint.h>

#define SLOT_QUERY_MAX 40

struct slot_query {
	char text[SLOT_QUERY_MAX];  /* as written */
	int is_prefix;              /* text without its '*' is a name prefix */
	uint32_t slot;              /* when not a prefix */
};

/* 0 on success; else -1 with why ("no slot is named 'kernl-mem'; ..."). */
int slot_query_parse(struct slot_query *q, const char *s, char *why, size_t whylen);
int slot_query_matches(const struct slot_query *q, uint32_t slot);

#endif
