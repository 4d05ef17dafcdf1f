/* SPDX-License-Identifier: ISC */
/*
 * Names for the ids fixed by core/abi/: seed roles and canonical slots.
 * procd-policy prefers the names a binary's own registry gives its roles;
 * these cover the ids it has no policy for (rootd, procd itself, roles left
 * out of a build) and the slots, which a registry never names.
 */
#ifndef PROCD_TOOLS_ABI_NAMES_H
#define PROCD_TOOLS_ABI_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* The seed role's name, or NULL for an id core/abi/procd_roles.h does not fix. */
const char *abi_role_name(uint32_t role);
/* The canonical slot's short name ("kernel-time"), or NULL. */
const char *abi_slot_name(uint32_t slot);

/* The canonical slot with this short name (0 when none), and the name
 * of the i-th canonical slot in slot order (NULL past the last), so an
 * error can list the names a reader may use. */
int abi_slot_by_name(const char *name, uint32_t *slot);
const char *abi_slot_nth(size_t i, uint32_t *slot);

/* Who serves what a canonical slot holds, as the ABI header documents it:
 * for the authority graph, which follows a grant to the one it reaches. */
enum abi_server {
	ABI_SERVER_NONE = 0,     /* none fixed: the child's own, a peer, a block device */
	ABI_SERVER_ROLE,         /* a role: *role */
	ABI_SERVER_PROCD,        /* procd's bootstrap/service endpoint */
	ABI_SERVER_PROCD_DRIVER, /* procd's driver-lifecycle endpoint */
	ABI_SERVER_KERNEL,
};
enum abi_server abi_slot_server(uint32_t slot, uint32_t *role);

/* The one role the ABI header assigns a kernel endpoint or procd's driver
 * endpoint to (2128 -> timed, 2112 -> deviced), or 0: another role holding
 * it holds that role's device or kernel authority. */
uint32_t abi_slot_owner(uint32_t slot);

#endif
