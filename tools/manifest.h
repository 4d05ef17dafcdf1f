/* SPDX-License-Identifier: ISC */
/*
 * A boot manifest (procd-boot(8)), read and checked against the registry of
 * the procd that is to boot it. procd-boot acts on it; procd-policy verify
 * checks its routes. Every mistake is refused with the file, the line, the
 * word and what was expected, before anything is started.
 */
#ifndef PROCD_TOOLS_MANIFEST_H
#define PROCD_TOOLS_MANIFEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/abi/procd_envelope.h"
#include "core/abi/procd_slots.h"
#include "tools/registry_file.h"

/* One per canonical slot (PROCD_SLOT_TABLE), so a kernel endpoint added
 * there is one a manifest can name. */
#define MANIFEST_SVC_(id, number, name, kind, cap, server, holder) SVC_##id,
enum service { PROCD_SLOT_TABLE(MANIFEST_SVC_) SVC_COUNT };
#undef MANIFEST_SVC_
/* The ones rootd serves in particular ways (tools/procd-boot.c). */
#define SVC_NAMED SVC_NAMED_ENDPOINT
#define SVC_TIME  SVC_KERNEL_TIME_ENDPOINT
#define SVC_IRQ   SVC_KERNEL_IRQ_ENDPOINT
#define SVC_LOG   SVC_KERNEL_LOG_ENDPOINT

/* What rootd can hand out: endpoints it serves itself (the kernel's, and
 * discovery for helpers started without named), and names for the aliases
 * procd mints (nothing of rootd's is installed for those). The other
 * canonical slots are no service of rootd's (usable 0). */
struct service_info {
	const char *name;
	uint32_t slot;
	int minted;
	int kernel;
	int usable;
};
extern const struct service_info manifest_services[SVC_COUNT];

/* A kernel endpoint: one rootd serves and may transfer to procd. */
int manifest_is_kernel_service(enum service svc);

#define MANIFEST_MAX_MODULES 64
#define MANIFEST_MAX_SPAWNS  64
#define MANIFEST_MAX_INSTALL 8
#define MANIFEST_MAX_LATE    8
#define MANIFEST_MAX_KERNEL  SVC_COUNT
#define MANIFEST_MAX_DRIVERS 8
#define MANIFEST_PATH_MAX    256
#define MANIFEST_LATE_MAX_SECONDS 86400.0

struct manifest_module {
	char name[PROCD_MODULE_NAME_MAX];
	char path[MANIFEST_PATH_MAX];
	int boot;
	unsigned line;
};

/* A `spawn` line, or a `load` line when load_path is set. */
struct manifest_spawn {
	char role[PROCD_MODULE_NAME_MAX];
	char load_path[MANIFEST_PATH_MAX];
	enum service install[MANIFEST_MAX_INSTALL];
	size_t ninstall;
	int exit_with; /* -1: leave it running */
	uint32_t role_id;
	unsigned line;
};

struct manifest_late {
	enum service svc;
	double after;
	unsigned line;
};

struct manifest_driver {
	char role[PROCD_MODULE_NAME_MAX];
	uint32_t role_id;
	unsigned line;
};

/* `accept ROLE SLOT REASON...`: a route the reviewer knows is open; verify
 * reports it with the reason instead of failing. */
#define MANIFEST_MAX_ACCEPT 16
#define MANIFEST_REASON_MAX 160
struct manifest_accept {
	char role[PROCD_MODULE_NAME_MAX];
	uint32_t slot;
	char reason[MANIFEST_REASON_MAX];
	unsigned line;
};

struct manifest {
	struct manifest_module modules[MANIFEST_MAX_MODULES];
	size_t nmodules;
	enum service kernel[MANIFEST_MAX_KERNEL];
	unsigned kernel_line[MANIFEST_MAX_KERNEL];
	size_t nkernel;
	struct manifest_late late[MANIFEST_MAX_LATE];
	size_t nlate;
	struct manifest_spawn spawns[MANIFEST_MAX_SPAWNS];
	size_t nspawns;
	struct manifest_driver drivers[MANIFEST_MAX_DRIVERS];
	size_t ndrivers;
	struct manifest_accept accepts[MANIFEST_MAX_ACCEPT];
	size_t naccepts;
};

/* Reads and checks the manifest at path against rf. 0, or -1 after one
 * message on err ("PATH:LINE: ..."). */
int manifest_read(struct manifest *m, const char *path, const struct registry_file *rf, FILE *err);

/* The policy of a role named in a manifest, or NULL. */
const struct procd_policy *manifest_role(const struct registry_file *rf, const char *name);
/* The policy whose image is the module `name`, or NULL. */
const struct procd_policy *manifest_image_role(const struct registry_file *rf, const char *name);
/* The module of that name, or NULL. */
const struct manifest_module *manifest_module(const struct manifest *m, const char *name);

/* A strict decimal number of seconds, 0 to MANIFEST_LATE_MAX_SECONDS: 0 or -1. */
int manifest_seconds(const char *word, double *out);

#endif
