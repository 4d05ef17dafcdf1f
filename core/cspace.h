/* SPDX-License-Identifier: ISC */
/*
 * A staged child's CSpace, as procd builds it: installs arriving on its
 * install grant (checked by procd_may_install), aliases procd mints into
 * it, and the kernel endpoints rootd transferred. procd keeps every
 * installed capability for the life of the record, so each instance of the
 * child starts from the same CSpace.
 */
#ifndef PROCD_CORE_CSPACE_H
#define PROCD_CORE_CSPACE_H

#include <stddef.h>
#include <stdint.h>

#include "core/authority.h"
#include "core/port.h"

struct procd;
struct procd_proc;

/* Places cap at slot, after procd_may_install allows it; on refusal the
 * caller still owns cap. */
uint32_t procd_install(struct procd *d, struct procd_proc *p, uint32_t slot, procd_cap cap,
		       struct procd_refusal *why);

/* Mints, at a slot procd mints (core/slots.h), an alias of procd's own
 * endpoint of that kind for p. */
uint32_t procd_install_procd_alias(struct procd *d, struct procd_proc *p, uint32_t slot,
				   struct procd_refusal *why);

/* Installs each capability rootd transferred that the policy allows, for
 * the compatibility spawns that install nothing. */
uint32_t procd_install_transferred(struct procd *d, struct procd_proc *p);

/* One install request on p's grant: answered on the grant; every
 * capability that came with it is kept or dropped. */
void procd_grant_message(struct procd *d, struct procd_proc *p, const void *msg, size_t len,
			 const procd_cap *caps, size_t ncaps, int truncated);

/* Ends p's install grant, if it still has one. */
void procd_close_grant(struct procd_proc *p);

/* Drops every capability of p's CSpace. */
void procd_cspace_drop(struct procd_proc *p);

#endif
