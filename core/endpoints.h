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

#define PROCD_MINTED_KINDS  3u
#define PROCD_MAX_ENDPOINTS (2u + PROCD_MINTED_KINDS * PROCD_MAX_PROCESSES)

struct procd;
struct procd_proc;

/* One endpoint alias whose server end procd holds. */
struct procd_endpoint {
	procd_cap cap;   /* PROCD_NO_CAP: the entry is free */
	uint8_t kind;    /* PROCD_EP_BOOTSTRAP or PROCD_EP_DRIVER */
	uint32_t role;   /* the badge: the caller role behind this alias */
	uint32_t owner;  /* pid it was minted for; 0 for procd's intake */
};

struct procd_endpoints {
	struct procd_endpoint entry[PROCD_MAX_ENDPOINTS];
};

/* Every entry free. */
void procd_endpoints_init(struct procd_endpoints *eps);

/* Entries 0 and 1: procd's intake from its envelope, badged rootd. */
void procd_endpoints_set_intake(struct procd_endpoints *eps, procd_cap bootstrap, procd_cap driver);

/* Starts receiving on the intake; non-zero if the port cannot. */
int procd_endpoints_watch_intake(const struct procd_endpoints *eps);

/* Entry ep, free or open; ep is an entry number core gave out. */
const struct procd_endpoint *procd_endpoint_at(const struct procd_endpoints *eps, uint32_t ep);

/* Entry ep if it is in the table and holds an alias; 0 otherwise. */
const struct procd_endpoint *procd_endpoint_open(const struct procd_endpoints *eps, uint32_t ep);

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

/* Closes every open entry, intake included. */
void procd_endpoints_close_all(struct procd *d);

#endif
