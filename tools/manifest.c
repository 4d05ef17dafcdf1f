/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi/procd_roles.h"
#include "core/abi/procd_slots.h"
#include "core/text.h"
#include "tools/abi_names.h"
#include "tools/manifest.h"

#define MINTED_(kind) ((kind) == PROCD_SLOT_KIND_MINTED_BOOTSTRAP || (kind) == PROCD_SLOT_KIND_MINTED_DRIVER || \
			(kind) == PROCD_SLOT_KIND_MINTED_NOTIFY)
#define SERVICE_ROW_(id, number, name, kind, cap, server, holder)                                        \
	{ name, number, MINTED_(kind), (kind) == PROCD_SLOT_KIND_KERNEL,                                 \
	  MINTED_(kind) || (kind) == PROCD_SLOT_KIND_KERNEL || (number) == SLOT_NAMED_ENDPOINT },
const struct service_info manifest_services[SVC_COUNT] = { PROCD_SLOT_TABLE(SERVICE_ROW_) };
#undef SERVICE_ROW_
#undef MINTED_

int manifest_is_kernel_service(enum service svc)
{
	return manifest_services[svc].kernel;
}

#define MAX_WORDS 32

struct reader {
	const char *path;
	unsigned line;
	FILE *err;
	const struct registry_file *rf;
};

static int bad(const struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(const struct reader *r, const char *fmt, ...)
{
	va_list ap;

	fprintf(r->err, "%s:%u: ", r->path, r->line);
	va_start(ap, fmt);
	vfprintf(r->err, fmt, ap);
	va_end(ap);
	fputc('\n', r->err);
	return -1;
}

static int name_is(const char *field, size_t max, const char *name)
{
	return procd_field_eq(field, max, name, strlen(name));
}

const struct procd_policy *manifest_role(const struct registry_file *rf, const char *name)
{
	for (size_t i = 0; i < rf->npolicies; i++)
		if (name_is(rf->policies[i].name, sizeof rf->policies[i].name, name))
			return &rf->policies[i];
	return NULL;
}

const struct procd_policy *manifest_image_role(const struct registry_file *rf, const char *name)
{
	for (size_t i = 0; i < rf->npolicies; i++)
		if (name_is(rf->policies[i].image, sizeof rf->policies[i].image, name))
			return &rf->policies[i];
	return NULL;
}

const struct manifest_module *manifest_module(const struct manifest *m, const char *name)
{
	for (size_t i = 0; i < m->nmodules; i++)
		if (strcmp(m->modules[i].name, name) == 0)
			return &m->modules[i];
	return NULL;
}

int manifest_seconds(const char *word, double *out)
{
	char *end;
	double v;

	if (word[0] < '0' || word[0] > '9')
		return -1;
	errno = 0;
	v = strtod(word, &end);
	if (errno != 0 || *end != '\0' || !isfinite(v) || v < 0 || v > MANIFEST_LATE_MAX_SECONDS)
		return -1;
	*out = v;
	return 0;
}

/* The valid names, for a message: "a b c". */
static void list_services(FILE *f, int kernel_only)
{
	const char *sep = "";

	for (int s = 0; s < SVC_COUNT; s++) {
		if (!manifest_services[s].usable || (kernel_only && !manifest_is_kernel_service((enum service)s)))
			continue;
		fprintf(f, "%s%s", sep, manifest_services[s].name);
		sep = " ";
	}
}

static int kernel_service(const struct reader *r, const char *directive, const char *word, enum service *out)
{
	for (int s = 0; s < SVC_COUNT; s++)
		if (manifest_is_kernel_service((enum service)s) && strcmp(word, manifest_services[s].name) == 0) {
			*out = (enum service)s;
			return 0;
		}
	fprintf(r->err, "%s:%u: %s %s: unknown kernel endpoint '%s' (expected one of: ", r->path, r->line,
		directive, word, word);
	list_services(r->err, 1);
	fputs(")\n", r->err);
	return -1;
}

/* What a role's name must be: a role of this procd's registry. */
static const struct procd_policy *known_role(const struct reader *r, const char *directive, const char *word)
{
	const struct procd_policy *p = manifest_role(r->rf, word);

	if (!p) {
		fprintf(r->err, "%s:%u: %s %s: procd has no role named '%s' (its roles:", r->path, r->line,
			directive, word, word);
		for (size_t i = 0; i < r->rf->npolicies; i++)
			fprintf(r->err, " %.*s", (int)sizeof r->rf->policies[i].name, r->rf->policies[i].name);
		fputs(")\n", r->err);
	}
	return p;
}

static int copy_word(const struct reader *r, char *dst, size_t cap, const char *word, const char *what)
{
	size_t n = strlen(word);

	if (n >= cap)
		return bad(r, "%s '%.40s...' is too long (at most %zu characters)", what, word, cap - 1);
	memcpy(dst, word, n + 1);
	return 0;
}

static int read_module(const struct reader *r, struct manifest *m, char **w, size_t n)
{
	struct manifest_module *mod;
	const struct manifest_module *old;
	const struct procd_policy *p;

	if (n < 3 || n > 4)
		return bad(r, "module: expected 'module NAME PATH [boot]', got %zu words", n);
	if (n == 4 && strcmp(w[3], "boot") != 0)
		return bad(r, "module %s: unknown word '%s' (expected 'boot' or nothing after the path)", w[1], w[3]);
	old = manifest_module(m, w[1]);
	if (old)
		return bad(r, "module %s: declared twice (first on line %u)", w[1], old->line);
	if (m->nmodules >= MANIFEST_MAX_MODULES)
		return bad(r, "module %s: more than %d modules", w[1], MANIFEST_MAX_MODULES);
	mod = &m->modules[m->nmodules];
	memset(mod, 0, sizeof *mod);
	if (copy_word(r, mod->name, sizeof mod->name, w[1], "module name") != 0 ||
	    copy_word(r, mod->path, sizeof mod->path, w[2], "module path") != 0)
		return -1;
	mod->boot = n == 4;
	mod->line = r->line;
	if (mod->boot) {
		p = manifest_image_role(r->rf, w[1]);
		if (!p) {
			fprintf(r->err, "%s:%u: module %s %s boot: no role of procd has the image '%s', so procd "
				"would boot nothing from it (images of the boot plan:", r->path, r->line, w[1], w[2], w[1]);
			for (size_t i = 0; i < r->rf->npolicies; i++)
				if (r->rf->policies[i].boot_stage != PROCD_STAGE_NONE)
					fprintf(r->err, " %.*s", (int)sizeof r->rf->policies[i].image,
						r->rf->policies[i].image);
			fputs(")\n", r->err);
			return -1;
		}
		if (p->role_class == PROCD_CLASS_DRIVER)
			return bad(r, "module %s %s boot: %s is a driver, and drivers are not in the boot plan "
				      "(deviced starts them): drop 'boot' and add 'driver %s'", w[1], w[2], w[1], w[1]);
		if (p->boot_stage == PROCD_STAGE_NONE)
			return bad(r, "module %s %s boot: %s starts only on request, not in the boot plan: "
				      "drop 'boot' and add 'spawn %s'", w[1], w[2], w[1], w[1]);
	}
	m->nmodules++;
	return 0;
}

static int read_kernel(const struct reader *r, struct manifest *m, char **w, size_t n)
{
	int late = strcmp(w[0], "late") == 0;
	enum service svc;
	double after = 0;

	if (n != (late ? 3u : 2u))
		return bad(r, late ? "late: expected 'late KERNEL-ENDPOINT SECONDS'"
				   : "kernel: expected 'kernel KERNEL-ENDPOINT'");
	if (kernel_service(r, w[0], w[1], &svc) != 0)
		return -1;
	for (size_t i = 0; i < m->nkernel; i++)
		if (m->kernel[i] == svc)
			return bad(r, "%s %s: already handed to procd on line %u", w[0], w[1], m->kernel_line[i]);
	for (size_t i = 0; i < m->nlate; i++)
		if (m->late[i].svc == svc)
			return bad(r, "%s %s: already handed to procd on line %u", w[0], w[1], m->late[i].line);
	if (!late) {
		m->kernel[m->nkernel] = svc;
		m->kernel_line[m->nkernel++] = r->line;
		return 0;
	}
	if (manifest_seconds(w[2], &after) != 0)
		return bad(r, "late %s %s: '%s' is not a number of seconds (expected 0 to %.0f, e.g. 1 or 0.5)",
			   w[1], w[2], w[2], MANIFEST_LATE_MAX_SECONDS);
	if (m->nlate >= MANIFEST_MAX_LATE)
		return bad(r, "late %s: more than %d late endpoints", w[1], MANIFEST_MAX_LATE);
	m->late[m->nlate].svc = svc;
	m->late[m->nlate].after = after;
	m->late[m->nlate++].line = r->line;
	return 0;
}

static int read_install(const struct reader *r, struct manifest_spawn *s, const char *word)
{
	for (int v = 0; v < SVC_COUNT; v++)
		if (manifest_services[v].usable && strcmp(word, manifest_services[v].name) == 0) {
			if (s->ninstall >= MANIFEST_MAX_INSTALL)
				return bad(r, "spawn %s: more than %d installs", s->role, MANIFEST_MAX_INSTALL);
			s->install[s->ninstall++] = (enum service)v;
			return 0;
		}
	fprintf(r->err, "%s:%u: spawn %s install %s: unknown service '%s' (expected one of: ", r->path, r->line,
		s->role, word, word);
	list_services(r->err, 0);
	fputs(")\n", r->err);
	return -1;
}

static int read_spawn(const struct reader *r, struct manifest *m, char **w, size_t n)
{
	int load = strcmp(w[0], "load") == 0;
	struct manifest_spawn *s = &m->spawns[m->nspawns];
	const struct procd_policy *p;

	if (load ? n != 3 : n < 2)
		return bad(r, load ? "load: expected 'load ROLE PATH'"
				   : "spawn: expected 'spawn ROLE [install SERVICE]... [exit-with CODE]'");
	if (m->nspawns >= MANIFEST_MAX_SPAWNS)
		return bad(r, "%s %s: more than %d spawn and load lines", w[0], w[1], MANIFEST_MAX_SPAWNS);
	p = known_role(r, w[0], w[1]);
	if (!p)
		return -1;
	memset(s, 0, sizeof *s);
	s->exit_with = -1;
	s->role_id = p->role;
	s->line = r->line;
	if (copy_word(r, s->role, sizeof s->role, w[1], "role name") != 0)
		return -1;
	if (load) {
		if (copy_word(r, s->load_path, sizeof s->load_path, w[2], "load path") != 0)
			return -1;
		m->nspawns++;
		return 0;
	}
	for (size_t i = 2; i < n; i += 2) {
		if (i + 1 >= n)
			return bad(r, "spawn %s: '%s' needs a value (expected 'install SERVICE' or 'exit-with CODE')",
				   w[1], w[i]);
		if (strcmp(w[i], "install") == 0) {
			if (read_install(r, s, w[i + 1]) != 0)
				return -1;
		} else if (strcmp(w[i], "exit-with") == 0) {
			char *end;
			long code;

			errno = 0;
			code = strtol(w[i + 1], &end, 10);
			if (errno != 0 || end == w[i + 1] || *end != '\0' || code < 0 || code > 255)
				return bad(r, "spawn %s exit-with %s: expected an exit code from 0 to 255", w[1],
					   w[i + 1]);
			s->exit_with = (int)code;
		} else {
			return bad(r, "spawn %s: unknown word '%s' (expected 'install SERVICE' or 'exit-with CODE')",
				   w[1], w[i]);
		}
	}
	m->nspawns++;
	return 0;
}

static int read_driver(const struct reader *r, struct manifest *m, char **w, size_t n)
{
	const struct procd_policy *p;

	if (n != 2)
		return bad(r, "driver: expected 'driver ROLE' (a drv-* role deviced is to start)");
	p = known_role(r, w[0], w[1]);
	if (!p)
		return -1;
	if (p->role_class != PROCD_CLASS_DRIVER)
		return bad(r, "driver %s: %s is not a driver role (deviced starts only drv-* roles)", w[1], w[1]);
	for (size_t i = 0; i < m->ndrivers; i++)
		if (strcmp(m->drivers[i].role, w[1]) == 0)
			return bad(r, "driver %s: named twice (first on line %u)", w[1], m->drivers[i].line);
	if (m->ndrivers >= MANIFEST_MAX_DRIVERS)
		return bad(r, "driver %s: more than %d drivers", w[1], MANIFEST_MAX_DRIVERS);
	if (copy_word(r, m->drivers[m->ndrivers].role, sizeof m->drivers[0].role, w[1], "role name") != 0)
		return -1;
	m->drivers[m->ndrivers].role_id = p->role;
	m->drivers[m->ndrivers++].line = r->line;
	return 0;
}

static int read_accept(const struct reader *r, struct manifest *m, char **w, size_t n)
{
	struct manifest_accept *a = &m->accepts[m->naccepts];
	char *end;
	unsigned long slot;
	size_t len = 0;

	if (n < 4)
		return bad(r, "accept: expected 'accept ROLE SLOT REASON...' (the reason is required)");
	if (!known_role(r, w[0], w[1]))
		return -1;
	if (m->naccepts >= MANIFEST_MAX_ACCEPT)
		return bad(r, "accept %s: more than %d accept lines", w[1], MANIFEST_MAX_ACCEPT);
	slot = strtoul(w[2], &end, 10);
	if (*end != '\0' || end == w[2]) {
		slot = 0;
		for (uint32_t s = SLOT_FIRST_CAPABILITY; s <= SLOT_KERNEL_PROCESS_ENDPOINT && !slot; s++)
			if (abi_slot_name(s) && strcmp(abi_slot_name(s), w[2]) == 0)
				slot = s;
		if (!slot)
			return bad(r, "accept %s %s: '%s' is not a slot number or a slot name (e.g. 2128 or "
				      "kernel-time)", w[1], w[2], w[2]);
	}
	memset(a, 0, sizeof *a);
	if (copy_word(r, a->role, sizeof a->role, w[1], "role name") != 0)
		return -1;
	a->slot = (uint32_t)slot;
	a->line = r->line;
	for (size_t i = 3; i < n; i++)
		len += (size_t)snprintf(a->reason + len, len < sizeof a->reason ? sizeof a->reason - len : 0,
					"%s%s", i > 3 ? " " : "", w[i]);
	if (len >= sizeof a->reason)
		return bad(r, "accept %s: the reason is longer than %d characters", w[1], MANIFEST_REASON_MAX - 1);
	m->naccepts++;
	return 0;
}

/* What one directive needs from the others, once all are read. */
static int cross_check(struct reader *r, const struct manifest *m)
{
	for (size_t i = 0; i < m->nspawns; i++) {
		const struct manifest_spawn *s = &m->spawns[i];

		r->line = s->line;
		if (!s->load_path[0] && !manifest_module(m, s->role))
			return bad(r, "spawn %s: no module named '%s' (expected a 'module %s PATH' line)", s->role,
				   s->role, s->role);
	}
	for (size_t i = 0; i < m->ndrivers; i++) {
		r->line = m->drivers[i].line;
		if (!manifest_module(m, m->drivers[i].role))
			return bad(r, "driver %s: no module named '%s' (expected a 'module %s PATH' line)",
				   m->drivers[i].role, m->drivers[i].role, m->drivers[i].role);
	}
	return 0;
}

int manifest_read(struct manifest *m, const char *path, const struct registry_file *rf, FILE *err)
{
	struct reader r = { path, 0, err, rf };
	FILE *f = fopen(path, "re");
	char line[1024];
	int status = 0;

	memset(m, 0, sizeof *m);
	if (!f) {
		fprintf(err, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	while (status == 0 && fgets(line, sizeof line, f)) {
		char *w[MAX_WORDS], *save = NULL, *word;
		size_t n = 0;

		r.line++;
		if (!strchr(line, '\n') && !feof(f)) {
			status = bad(&r, "line longer than %zu characters", sizeof line - 2);
			break;
		}
		line[strcspn(line, "#\n")] = '\0';
		for (word = strtok_r(line, " \t\r", &save); word; word = strtok_r(NULL, " \t\r", &save)) {
			if (n == MAX_WORDS) {
				status = bad(&r, "more than %d words", MAX_WORDS);
				break;
			}
			w[n++] = word;
		}
		if (status != 0 || n == 0)
			continue;
		if (strcmp(w[0], "module") == 0)
			status = read_module(&r, m, w, n);
		else if (strcmp(w[0], "kernel") == 0 || strcmp(w[0], "late") == 0)
			status = read_kernel(&r, m, w, n);
		else if (strcmp(w[0], "spawn") == 0 || strcmp(w[0], "load") == 0)
			status = read_spawn(&r, m, w, n);
		else if (strcmp(w[0], "driver") == 0)
			status = read_driver(&r, m, w, n);
		else if (strcmp(w[0], "accept") == 0)
			status = read_accept(&r, m, w, n);
		else
			status = bad(&r, "unknown directive '%s' (expected module, kernel, late, spawn, load, driver or accept)",
				     w[0]);
	}
	if (status == 0 && ferror(f))
		status = bad(&r, "read error");
	fclose(f);
	if (status == 0)
		status = cross_check(&r, m);
	return status;
}
