/* SPDX-License-Identifier: ISC */
/*
 * The endpoints procd serves: entries 0 and 1 are its intake (bootstrap,
 * driver), both badged rootd; then three fixed entries per process table
 * entry, one for each kind of alias procd mints for a child (bootstrap,
 * driver, probe-notify), so minting never allocates. An entry's kind and
 * role are the badge: what arrives on it came from that role, there.
 */
#ifndef PROCD_CORE_ENDPOINTS_H
#define PROCD_CORE_ENDPOINTS_H

#include <stdint.h>

#include "core/port.h"

struct procd;
struct procd_proc;

/* The entry of p's minted alias of `kind` (PROCD_EP_*). */
uint32_t procd_minted_entry(const struct procd *d, const struct procd_proc *p, uint8_t kind);

/* Mints an alias of procd's endpoint of `kind` for p: procd keeps and
 * watches the server end at p's entry, *client is the child's end. */
uint32_t procd_endpoint_mint(struct procd *d, const struct procd_proc *p, uint8_t kind, procd_cap *client);

/* Whether p holds a live alias procd minted for it of `kind`. */
int procd_endpoint_minted(const struct procd *d, const struct procd_proc *p, uint8_t kind);

/* Calls fn for each live alias minted for p. */
void procd_endpoints_of(struct procd *d, const struct procd_proc *p, void (*fn)(struct procd *, uint32_t ep));

/* Closes entry ep (procd's server end), and drops the WAITs parked on it. */
void procd_endpoint_close(struct procd *d, uint32_t ep);

/* Closes every alias minted for p. */
void procd_endpoints_drop_minted(struct procd *d, const struct procd_proc *p);

#endif
