/* SPDX-License-Identifier: ISC */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi/procd_roles.h"
#include "core/abi/procd_slots.h"
#include "tools/abi_names.h"
#include "tools/manifest.h"
#include "tools/policy_verify.h"
#include "tools/registry_file.h"

enum started_by { BY_BOOT_PLAN, BY_SPAWN, BY_LOAD, BY_DEVICED };

static const char *const started_words[] = {
	[BY_BOOT_PLAN] = "boot plan", [BY_SPAWN] = "spawn", [BY_LOAD] = "load", [BY_DEVICED] = "driver",
};

struct verifier {
	const struct registry_file *rf;
	const struct manifest *m;
	const char *manifest_path;
	unsigned problems;
	unsigned routes;
	unsigned open_accepted;
	int accept_used[MANIFEST_MAX_ACCEPT];
};

static int policy_lists(const struct procd_policy *p, uint32_t slot)
{
	for (size_t i = 0; i < PROCD_POLICY_SLOTS && p->slots[i] != 0; i++)
		if (p->slots[i] == slot)
			return 1;
	return 0;
}

static const char *slot_name(uint32_t slot)
{
	const char *n = abi_slot_name(slot);

	return n ? n : "unnamed";
}

static int is_kernel_slot(uint32_t slot)
{
	return slot >= SLOT_KERNEL_TIME_ENDPOINT && slot <= SLOT_KERNEL_LOG_ENDPOINT;
}

static int is_minted(uint32_t slot)
{
	return slot == SLOT_PROCD_ENDPOINT || slot == SLOT_PROCD_DRIVER_ENDPOINT || slot == SLOT_PROBE_NOTIFY;
}

static uint32_t peer_role_of(uint32_t slot)
{
	return slot == SLOT_NAMED_ENDPOINT ? ROLE_NAMED : slot == SLOT_LOGD_ENDPOINT ? ROLE_LOGD :
	       slot == SLOT_CRASHD_ENDPOINT ? ROLE_CRASHD : ROLE_NONE;
}

/* The boot-plan role of the manifest with this id, if procd boots it. */
static const struct manifest_module *booted(const struct verifier *v, uint32_t role)
{
	for (size_t i = 0; i < v->m->nmodules; i++) {
		const struct procd_policy *p;

		if (!v->m->modules[i].boot)
			continue;
		p = manifest_image_role(v->rf, v->m->modules[i].name);
		if (p && p->role == role)
			return &v->m->modules[i];
	}
	return NULL;
}

static int handed_to_procd(const struct verifier *v, uint32_t slot)
{
	for (size_t i = 0; i < v->m->nkernel; i++)
		if (manifest_services[v->m->kernel[i]].slot == slot)
			return 1;
	for (size_t i = 0; i < v->m->nlate; i++)
		if (manifest_services[v->m->late[i].svc].slot == slot)
			return 1;
	return 0;
}

static void role_name(const struct procd_policy *p, char *out, size_t cap)
{
	snprintf(out, cap, "%.*s", (int)sizeof p->name, p->name);
}

static void problem(struct verifier *v, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void problem(struct verifier *v, unsigned line, const char *fmt, ...)
{
	va_list ap;

	printf("%s:%u: ", v->manifest_path, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	v->problems++;
}

/* Why a slot the boot plan would wire is missing, or NULL if it is wired. */
static const char *boot_plan_gap(const struct verifier *v, uint32_t slot, char *why, size_t cap)
{
	uint32_t peer = peer_role_of(slot);

	if (slot == SLOT_SELF_ENDPOINT || is_minted(slot))
		return NULL;
	if (peer != ROLE_NONE) {
		const struct procd_policy *pp = registry_policy_by_role(v->rf, peer);
		char n[32];

		if (booted(v, peer))
			return NULL;
		if (pp)
			role_name(pp, n, sizeof n);
		snprintf(why, cap, "%s, which serves it, is not booted (no 'module %s PATH boot')",
			 pp ? n : abi_role_name(peer), pp ? n : abi_role_name(peer));
		return why;
	}
	if (is_kernel_slot(slot)) {
		if (handed_to_procd(v, slot))
			return NULL;
		snprintf(why, cap, "the manifest never hands procd %s (no 'kernel %s' or 'late %s')",
			 slot_name(slot), slot_name(slot), slot_name(slot));
		return why;
	}
	snprintf(why, cap, "no role the manifest starts serves it, and procd's boot plan wires only its own "
			   "endpoints, the foundation peers and kernel endpoints");
	return why;
}

/* Whether a role the manifest starts serves what the slot holds. */
static int served_by_started(const struct verifier *v, uint32_t slot)
{
	uint32_t role = ROLE_NONE;

	if (abi_slot_server(slot, &role) != ABI_SERVER_ROLE)
		return 0;
	if (booted(v, role))
		return 1;
	for (size_t i = 0; i < v->m->nspawns; i++)
		if (v->m->spawns[i].role_id == role)
			return 1;
	return 0;
}

/* The accept line for this route, if the reviewer left one. */
static const struct manifest_accept *accepted(struct verifier *v, const char *role, uint32_t slot)
{
	for (size_t i = 0; i < v->m->naccepts; i++)
		if (v->m->accepts[i].slot == slot && strcmp(v->m->accepts[i].role, role) == 0) {
			v->accept_used[i] = 1;
			return &v->m->accepts[i];
		}
	return NULL;
}

static void verify_role(struct verifier *v, const struct procd_policy *p, enum started_by by,
			const struct manifest_spawn *s, unsigned line)
{
	const struct manifest_module *deviced = booted(v, ROLE_DEVICED);
	const struct procd_policy *dp = registry_policy_by_role(v->rf, ROLE_DEVICED);
	char name[32], why[200];

	role_name(p, name, sizeof name);
	for (size_t i = 0; i < PROCD_POLICY_SLOTS && p->slots[i] != 0; i++) {
		uint32_t slot = p->slots[i];
		const char *gap = NULL;

		if (slot == SLOT_SELF_ENDPOINT) {
			v->routes++;
			continue;
		}
		switch (by) {
		case BY_BOOT_PLAN:
			gap = boot_plan_gap(v, slot, why, sizeof why);
			break;
		case BY_SPAWN:
			gap = "rootd installs nothing there (no 'install' of it on the spawn line)";
			for (size_t k = 0; k < s->ninstall; k++)
				if (manifest_services[s->install[k]].slot == slot)
					gap = NULL;
			break;
		case BY_LOAD:
			gap = "a loaded role gets only its own endpoint";
			break;
		case BY_DEVICED:
			/* A driver's device endpoints come with the device the
			 * kernel reports to deviced; the rest deviced can only
			 * pass on if it holds them itself. */
			if (is_kernel_slot(slot) && deviced && dp && handed_to_procd(v, SLOT_KERNEL_LOG_ENDPOINT))
				gap = NULL;
			else if (is_kernel_slot(slot))
				gap = "no device reaches deviced (deviced booted with kernel-log) to bring it";
			else if (deviced && dp && policy_lists(dp, slot) && !boot_plan_gap(v, slot, why, sizeof why))
				gap = NULL;
			else
				gap = "deviced is not given it to pass on";
			break;
		}
		if (gap && !is_kernel_slot(slot) && served_by_started(v, slot))
			gap = NULL;
		if (gap && accepted(v, name, slot)) {
			printf("%s:%u: %s (%s): slot %u (%s) is open, accepted on line %u: %s\n", v->manifest_path, line,
			       name, started_words[by], slot, slot_name(slot), accepted(v, name, slot)->line,
			       accepted(v, name, slot)->reason);
			v->open_accepted++;
		} else if (gap)
			problem(v, line, "%s (%s): granted slot %u (%s), but nothing supplies it: %s", name,
				started_words[by], slot, slot_name(slot), gap);
		else
			v->routes++;
	}
}

/* Everything the manifest hands over, granted to whom it reaches. */
static void verify_supplies(struct verifier *v)
{
	for (size_t i = 0; i < v->m->nkernel + v->m->nlate; i++) {
		int late = i >= v->m->nkernel;
		enum service svc = late ? v->m->late[i - v->m->nkernel].svc : v->m->kernel[i];
		unsigned line = late ? v->m->late[i - v->m->nkernel].line : v->m->kernel_line[i];
		uint32_t slot = manifest_services[svc].slot;
		int granted = 0;

		for (size_t k = 0; k < v->m->nmodules && !granted; k++) {
			const struct procd_policy *p = v->m->modules[k].boot ?
				manifest_image_role(v->rf, v->m->modules[k].name) : NULL;

			granted = p && policy_lists(p, slot);
		}
		/* deviced's query endpoint also feeds the drivers it starts. */
		for (size_t k = 0; k < v->m->ndrivers && !granted; k++) {
			const struct procd_policy *p = registry_policy_by_role(v->rf, v->m->drivers[k].role_id);

			granted = p && policy_lists(p, slot);
		}
		if (!granted)
			problem(v, line, "%s %s: slot %u is handed to procd, but no role it boots is granted it",
				late ? "late" : "kernel", manifest_services[svc].name, slot);
	}
	for (size_t i = 0; i < v->m->nspawns; i++) {
		const struct manifest_spawn *s = &v->m->spawns[i];
		const struct procd_policy *p = registry_policy_by_role(v->rf, s->role_id);

		for (size_t k = 0; k < s->ninstall; k++) {
			uint32_t slot = manifest_services[s->install[k]].slot;

			if (p && !policy_lists(p, slot))
				problem(v, s->line, "spawn %s install %s: %s's policy does not grant slot %u",
					s->role, manifest_services[s->install[k]].name, s->role, slot);
		}
	}
	for (size_t i = 0; i < v->m->ndrivers; i++) {
		const struct procd_policy *dp = registry_policy_by_role(v->rf, ROLE_DEVICED);

		if (!booted(v, ROLE_DEVICED))
			problem(v, v->m->drivers[i].line, "driver %s: deviced, which starts drivers, is not booted",
				v->m->drivers[i].role);
		else if (!dp || !policy_lists(dp, SLOT_PROCD_DRIVER_ENDPOINT))
			problem(v, v->m->drivers[i].line, "driver %s: deviced is not granted procd's driver "
				"endpoint (slot %u)", v->m->drivers[i].role, SLOT_PROCD_DRIVER_ENDPOINT);
	}
}

int policy_verify_main(int argc, char **argv)
{
	struct registry_file rf;
	struct elf_error err;
	struct manifest *m;
	struct verifier v = { 0 };
	size_t roles = 0;

	if (argc != 3) {
		fputs("usage: procd-policy verify BINARY MANIFEST\n", stderr);
		return 2;
	}
	if (registry_load(&rf, argv[1], &err) != 0) {
		fprintf(stderr, "procd-policy: %s: %s\n", argv[1], err.msg);
		return 2;
	}
	m = calloc(1, sizeof *m);
	if (!m || manifest_read(m, argv[2], &rf, stderr) != 0) {
		if (!m)
			fputs("procd-policy: out of memory\n", stderr);
		free(m);
		registry_free(&rf);
		return 2;
	}
	v.rf = &rf;
	v.m = m;
	v.manifest_path = argv[2];
	for (size_t i = 0; i < m->nmodules; i++)
		if (m->modules[i].boot) {
			verify_role(&v, manifest_image_role(&rf, m->modules[i].name), BY_BOOT_PLAN, NULL,
				    m->modules[i].line);
			roles++;
		}
	for (size_t i = 0; i < m->nspawns; i++) {
		const struct manifest_spawn *s = &m->spawns[i];

		verify_role(&v, registry_policy_by_role(&rf, s->role_id), s->load_path[0] ? BY_LOAD : BY_SPAWN, s,
			    s->line);
		roles++;
	}
	for (size_t i = 0; i < m->ndrivers; i++) {
		verify_role(&v, registry_policy_by_role(&rf, m->drivers[i].role_id), BY_DEVICED, NULL,
			    m->drivers[i].line);
		roles++;
	}
	verify_supplies(&v);
	for (size_t i = 0; i < m->naccepts; i++)
		if (!v.accept_used[i])
			problem(&v, m->accepts[i].line, "accept %s %u: no such open route (drop the line)",
				m->accepts[i].role, m->accepts[i].slot);
	printf("verify: %zu roles started, %u granted slots routed, %u accepted open, %u unrouted\n", roles,
	       v.routes, v.open_accepted, v.problems);
	free(m);
	registry_free(&rf);
	/* A report cut short must not pass as a clean one. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("procd-policy: cannot write output\n", stderr);
		return 2;
	}
	return v.problems ? 1 : 0;
}
