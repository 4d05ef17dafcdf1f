/* SPDX-License-Identifier: ISC */
/*
 * procd wire ABI: the startup envelope.
 *
 * rootd hands procd this description of procd's intake when it starts it
 * (EriX: a pointer in rdi; hosted: the bytes on descriptor 3). It names
 * every capability procd starts with; procd validates the envelope and
 * checks each named slot for real before it accepts any request, and treats
 * a capability it holds but the envelope does not name as residual
 * authority: a startup failure.
 *
 * Layout: procd_envelope, then nmodules x procd_envelope_module, then
 * nslots x procd_envelope_slot; length covers exactly that.
 */
#ifndef PROCD_ABI_ENVELOPE_H
#define PROCD_ABI_ENVELOPE_H

#include <stdint.h>

#define PROCD_ENVELOPE_MAGIC   "PROCDENV" /* 8 bytes, no NUL */
#define PROCD_ENVELOPE_VERSION 1u
#define PROCD_ENVELOPE_MODULES_MAX 64u
#define PROCD_ENVELOPE_SLOTS_MAX   32u
#define PROCD_MODULE_NAME_MAX      32u

/* Capability kinds, as QUERY_LOCAL_CAP reports them. */
#define PROCD_CAP_NONE     0u
#define PROCD_CAP_ENDPOINT 1u /* hosted: a connected AF_UNIX SOCK_SEQPACKET socket */
#define PROCD_CAP_IMAGE    2u /* hosted: a regular file or memfd holding an ELF image */

struct procd_envelope {
	char magic[8];
	uint32_t version;
	uint32_t length;         /* whole envelope, in bytes */
	uint32_t role;           /* must be ROLE_PROCD */
	uint32_t control_slot;   /* local kernel control: SLOT_KERNEL_PROCESS_ENDPOINT */
	uint32_t bootstrap_slot; /* bootstrap/service endpoint */
	uint32_t driver_slot;    /* driver-lifecycle endpoint: SLOT_PROCD_DRIVER_ENDPOINT */
	uint32_t nmodules;       /* boot module table entries */
	uint32_t nslots;         /* declared transferred slots */
	uint32_t reserved[2];
};

/* One boot image: the procd-local slot that holds it, and its name, which a
 * role's policy names as its image. */
struct procd_envelope_module {
	uint32_t slot;
	uint32_t flags; /* PROCD_MODULE_* */
	char name[PROCD_MODULE_NAME_MAX]; /* NUL-padded */
};

/* procd starts this module's role itself, in its boot plan. */
#define PROCD_MODULE_BOOT 0x1u
#define PROCD_MODULE_FLAGS_KNOWN PROCD_MODULE_BOOT

/* A capability transferred to procd for it to install into the children it
 * starts (the kernel endpoints of the services, for example). */
struct procd_envelope_slot {
	uint32_t slot;
	uint32_t kind; /* PROCD_CAP_* */
};

#endif
