/* SPDX-License-Identifier: ISC */
/*
 * The model's rootd: reads the boot manifest (the format tools/procd-boot
 * reads), builds procd's CSpace and startup envelope, starts procd.elf,
 * asks procd for the manifest's children, serves the far ends of the
 * kernel endpoints and of discovery, hands loaderd files through a
 * filesystem-provider endpoint, and at the end hangs up on procd.
 *
 * Every line procd logs (ERIX_KOP_LOG) and every debug-console write of a
 * helper goes to stderr, as the hosted boot prints them.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/abi/procd_envelope.h"
#include "core/abi/procd_msg.h"
#include "core/abi/procd_ops.h"
#include "core/abi/procd_roles.h"
#include "core/abi/procd_slots.h"
#include "core/abi/procd_status.h"
#include "core/text.h"
#include "helpers/proto.h"
#include "helpers/rt/file-erix.h"
#include "tests/erix-model/model.h"
#include "tools/abi_names.h"
#include "tools/manifest.h"
#include "tools/registry_file.h"
#include "tools/say.h"

#define MAX_SPAWNS  512
#define MAX_INSTALL 8
#define MAX_LATE    8
#define PROCD_WINDOW 4096u
#define REPLY_WAIT_NS (30ull * 1000000000u) /* virtual: procd answers long before */

/* Besides the canonical slots' services (tools/manifest.c derives them from
 * the slot table): the filesystem provider rootd serves loaderd, which is
 * no slot's. */
#define SVC_FILE SVC_COUNT
#define services manifest_services


struct spawn_line {
	char role[PROCD_MODULE_NAME_MAX];
	char load_path[256];
	enum service install[MAX_INSTALL];
	size_t ninstall;
	int exit_with;
	uint32_t pid;
	struct obj *alias;
};

static struct {
	char name[PROCD_MODULE_NAME_MAX];
	struct obj *frame;
	uint32_t flags;
} modules[PROCD_ENVELOPE_MODULES_MAX];
static size_t nmodules;
static struct {
	uint32_t slot;
	struct obj *end; /* procd's */
} transferred[PROCD_ENVELOPE_SLOTS_MAX];
static size_t ntransferred;
static struct {
	enum service svc;
	double after;
	int done;
} late[MAX_LATE];
static size_t nlate;
static struct spawn_line spawns[MAX_SPAWNS];
static size_t nspawns;

/* `driver ROLE` lines: the devices the kernel reports to deviced. */
static char driver_names[HELPER_DEVICES_MAX][PROCD_MODULE_NAME_MAX];
static uint32_t driver_roles[HELPER_DEVICES_MAX];
static size_t ndrivers;
static struct obj *served[1024]; /* rootd's holds on the ends it serves */
static size_t nserved;
static struct obj *bootstrap; /* rootd's end of procd's bootstrap endpoint */
static struct obj *driver;    /* rootd's end of procd's driver endpoint */
static struct proc *procd;
static uint64_t booted; /* when procd was started: the late endpoints count from it */
static int print_cspaces;
static const char *envelope_fault = "";

void model_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say_vline(fmt, ap);
	va_end(ap);
}

void model_log_line(const char *line, size_t len)
{
	model_say("%.*s", (int)len, line);
}

/* ---- what rootd serves ---- */

static void reply_header(struct obj *end, struct procd_msg_header h, const void *body, size_t len)
{
	unsigned char buf[64];

	h.length = (uint32_t)(sizeof h + len);
	h.status = PROCD_OK;
	memcpy(buf, &h, sizeof h);
	if (len)
		memcpy(buf + sizeof h, body, len);
	end_send(end, msg_new(buf, sizeof h + len));
}

static void serve_message(struct obj *end, struct msg *m)
{
	struct procd_msg_header h;

	if (m->len < sizeof h) {
		msg_free(m);
		return;
	}
	memcpy(&h, m->bytes, sizeof h);
	switch (end->svc) {
	case SVC_LOG:
		if (h.op == HELPER_OP_DEVICES) {
			struct helper_devices_reply r = { h, 0, { 0 } };

			for (size_t i = 0; i < ndrivers; i++)
				r.roles[r.count++] = driver_roles[i];
			model_say("rootd: %s asked the kernel for its devices: %u driver%s", end->role, r.count,
				  r.count == 1 ? "" : "s");
			msg_free(m);
			r.h.length = sizeof r;
			r.h.status = PROCD_OK;
			end_send(end, msg_new(&r, sizeof r));
			return;
		}
		model_say("rootd: %s used %s", end->role, services[end->svc].name);
		break;
	case SVC_NAMED:
		model_say("rootd: %s looked up '%.32s'", end->role, m->len > sizeof h ? (const char *)m->bytes + sizeof h : "");
		break;
	case SVC_IRQ:
		model_say("rootd: %s claimed an IRQ", end->role);
		break;
	case SVC_TIME: {
		uint64_t ns = model_now_ns;

		model_say("rootd: %s asked the kernel for the time", end->role);
		msg_free(m);
		reply_header(end, h, &ns, sizeof ns);
		return;
	}
	default:
		model_say("rootd: %s used %s", end->role, services[end->svc].name);
		break;
	}
	msg_free(m);
	reply_header(end, h, NULL, 0);
}

/* The filesystem provider: one file, read through its endpoint. */
static void serve_file(struct obj *end, struct msg *m)
{
	struct rt_file_request q;
	struct {
		struct rt_file_reply r;
		unsigned char data[RT_FILE_READ_MAX];
	} out;
	const struct obj *file = end->file;
	size_t n = 0;

	memset(&out.r, 0, sizeof out.r);
	if (m->len != sizeof q || m->ncaps != 0) {
		out.r.status = -ERIX_EINVAL;
	} else {
		memcpy(&q, m->bytes, sizeof q);
		if (q.op == RT_FILE_SIZE) {
			out.r.value = file->size;
		} else if (q.op == RT_FILE_READ && q.length <= RT_FILE_READ_MAX) {
			if (q.offset < file->size)
				n = file->size - q.offset < q.length ? (size_t)(file->size - q.offset) : q.length;
			memcpy(out.data, file->data + q.offset, n);
			out.r.value = n;
		} else {
			out.r.status = -ERIX_EINVAL;
		}
	}
	msg_free(m);
	end_send(end, msg_new(&out, sizeof out.r + n));
}

/* A new endpoint whose end `kept` rootd serves as svc for role; the other
 * end is returned (one hold, the caller's). */
static struct obj *serve_new(enum service svc, const char *role)
{
	struct obj *kept, *other;

	if (nserved >= sizeof served / sizeof served[0])
		return NULL;
	endpoint_new(&kept, &other);
	kept->served = svc == SVC_FILE ? serve_file : serve_message;
	kept->svc = (int)svc;
	snprintf(kept->role, sizeof kept->role, "%s", role);
	served[nserved++] = kept;
	return other;
}

/* ---- the manifest ---- */

static int parse_service(const char *word, enum service *out)
{
	for (int s = 0; s < SVC_COUNT; s++)
		if (services[s].usable && strcmp(word, services[s].name) == 0) {
			*out = (enum service)s;
			return 0;
		}
	return -1;
}

/* A module's image: PATH, or PATH.elf (the EriX build's name for it). */
static struct obj *module_image(const char *path, const char *name)
{
	char elf[512];
	struct obj *o = frame_from_file(path, name);
	struct stat st;

	if (o || stat(path, &st) == 0)
		return o;
	snprintf(elf, sizeof elf, "%s.elf", path);
	return frame_from_file(elf, name);
}

static int parse_manifest(const char *path)
{
	FILE *f = fopen(path, "re");
	char line[512];
	unsigned lineno = 0;

	if (!f) {
		model_say("erix-model: %s: cannot open", path);
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		char *save = NULL, *word;

		lineno++;
		line[strcspn(line, "#\n")] = '\0';
		word = strtok_r(line, " \t", &save);
		if (!word)
			continue;
		if (strcmp(word, "module") == 0) {
			char *name = strtok_r(NULL, " \t", &save), *file = strtok_r(NULL, " \t", &save);
			char *flag = strtok_r(NULL, " \t", &save);

			if (!name || !file || (flag && strcmp(flag, "boot") != 0) || strtok_r(NULL, " \t", &save) ||
			    strlen(name) >= PROCD_MODULE_NAME_MAX || nmodules >= PROCD_ENVELOPE_MODULES_MAX) {
				model_say("erix-model: %s:%u: usage: module NAME PATH [boot]", path, lineno);
				goto fail;
			}
			modules[nmodules].frame = module_image(file, name);
			if (!modules[nmodules].frame) {
				model_say("erix-model: %s:%u: module %s: cannot read %s (or %s.elf)", path, lineno, name,
					  file, file);
				goto fail;
			}
			snprintf(modules[nmodules].name, sizeof modules[nmodules].name, "%s", name);
			modules[nmodules].flags = flag ? PROCD_MODULE_BOOT : 0;
			nmodules++;
		} else if (strcmp(word, "spawn") == 0 || strcmp(word, "load") == 0) {
			struct spawn_line *s = &spawns[nspawns];
			char *role = strtok_r(NULL, " \t", &save);

			if (!role || nspawns >= MAX_SPAWNS || strlen(role) >= sizeof s->role) {
				model_say("erix-model: %s:%u: usage: spawn ROLE [install SERVICE]... [exit-with CODE] "
					  "| load ROLE PATH", path, lineno);
				goto fail;
			}
			memset(s, 0, sizeof *s);
			strcpy(s->role, role);
			s->exit_with = -1;
			if (word[0] == 'l') {
				char *file = strtok_r(NULL, " \t", &save);

				if (!file || strlen(file) + 5 >= sizeof s->load_path || strtok_r(NULL, " \t", &save)) {
					model_say("erix-model: %s:%u: usage: load ROLE PATH", path, lineno);
					goto fail;
				}
				strcpy(s->load_path, file);
				nspawns++;
				continue;
			}
			while ((word = strtok_r(NULL, " \t", &save))) {
				char *arg = strtok_r(NULL, " \t", &save);

				if (strcmp(word, "install") == 0 && arg && s->ninstall < MAX_INSTALL &&
				    parse_service(arg, &s->install[s->ninstall]) == 0) {
					s->ninstall++;
				} else if (strcmp(word, "exit-with") == 0 && arg) {
					s->exit_with = atoi(arg);
				} else {
					model_say("erix-model: %s:%u: unknown '%s %s'", path, lineno, word, arg ? arg : "");
					goto fail;
				}
			}
			nspawns++;
		} else if (strcmp(word, "kernel") == 0 || strcmp(word, "late") == 0) {
			char *name = strtok_r(NULL, " \t", &save);
			enum service svc;

			if (!name || parse_service(name, &svc) != 0 || !manifest_is_kernel_service(svc)) {
				model_say("erix-model: %s:%u: usage: %s KERNEL-ENDPOINT%s", path, lineno, word,
					  word[0] == 'l' ? " SECONDS" : "");
				goto fail;
			}
			if (word[0] == 'k') {
				if (ntransferred >= PROCD_ENVELOPE_SLOTS_MAX)
					goto fail;
				transferred[ntransferred].slot = services[svc].slot;
				transferred[ntransferred].end = serve_new(svc, "procd's children");
				ntransferred++;
			} else {
				char *when = strtok_r(NULL, " \t", &save);

				if (!when || nlate >= MAX_LATE) {
					model_say("erix-model: %s:%u: usage: late KERNEL-ENDPOINT SECONDS", path, lineno);
					goto fail;
				}
				late[nlate].svc = svc;
				late[nlate].after = atof(when);
				nlate++;
			}
		} else if (strcmp(word, "driver") == 0) {
			char *name = strtok_r(NULL, " \t", &save);

			if (!name || strlen(name) >= PROCD_MODULE_NAME_MAX || ndrivers >= HELPER_DEVICES_MAX ||
			    strtok_r(NULL, " \t", &save)) {
				model_say("erix-model: %s:%u: usage: driver ROLE", path, lineno);
				goto fail;
			}
			strcpy(driver_names[ndrivers++], name);
		} else if (strcmp(word, "accept") == 0) {
			continue; /* for procd-policy verify, nothing to serve */
		} else {
			model_say("erix-model: %s:%u: unknown directive '%s'", path, lineno, word);
			goto fail;
		}
	}
	fclose(f);
	return 0;
fail:
	fclose(f);
	return -1;
}

/* ---- procd's start ---- */

static size_t envelope(unsigned char *buf, size_t size)
{
	struct procd_envelope h = { .version = PROCD_ENVELOPE_VERSION, .role = ROLE_PROCD,
				    .control_slot = SLOT_KERNEL_PROCESS_ENDPOINT,
				    .bootstrap_slot = SLOT_SELF_ENDPOINT,
				    .driver_slot = SLOT_PROCD_DRIVER_ENDPOINT };
	size_t len = sizeof h + nmodules * sizeof(struct procd_envelope_module) +
		     ntransferred * sizeof(struct procd_envelope_slot);
	unsigned char *out = buf;

	if (len > size)
		return 0;
	memcpy(h.magic, PROCD_ENVELOPE_MAGIC, 8);
	h.nmodules = (uint32_t)nmodules;
	h.nslots = (uint32_t)ntransferred;
	h.length = (uint32_t)len;
	memcpy(out, &h, sizeof h);
	out += sizeof h;
	for (size_t i = 0; i < nmodules; i++) {
		struct procd_envelope_module m = { .slot = SLOT_BOOT_MODULE_BASE + (uint32_t)i, .flags = modules[i].flags };

		memcpy(m.name, modules[i].name, sizeof m.name);
		memcpy(out, &m, sizeof m);
		out += sizeof m;
	}
	for (size_t i = 0; i < ntransferred; i++) {
		struct procd_envelope_slot s = { .slot = transferred[i].slot, .kind = PROCD_CAP_ENDPOINT };

		memcpy(out, &s, sizeof s);
		out += sizeof s;
	}
	return len;
}

static struct proc *launch_procd(const char *path)
{
	static unsigned char env[65536];
	uint32_t slots[3 + PROCD_ENVELOPE_MODULES_MAX + PROCD_ENVELOPE_SLOTS_MAX];
	struct obj *caps[3 + PROCD_ENVELOPE_MODULES_MAX + PROCD_ENVELOPE_SLOTS_MAX];
	struct obj *image = frame_from_file(path, "procd"), *boot_procd, *driver_procd, *control;
	size_t n = 0, len = envelope(env, sizeof env);
	struct proc *p;

	if (!image || len == 0)
		return NULL;
	endpoint_new(&boot_procd, &bootstrap);
	endpoint_new(&driver_procd, &driver);
	control = obj_new(OBJ_CONTROL);
	slots[n] = SLOT_SELF_ENDPOINT, caps[n++] = boot_procd;
	slots[n] = SLOT_PROCD_DRIVER_ENDPOINT, caps[n++] = driver_procd;
	slots[n] = SLOT_KERNEL_PROCESS_ENDPOINT, caps[n++] = control;
	for (size_t i = 0; i < nmodules; i++)
		slots[n] = SLOT_BOOT_MODULE_BASE + (uint32_t)i, caps[n++] = modules[i].frame;
	for (size_t i = 0; i < ntransferred; i++)
		slots[n] = transferred[i].slot, caps[n++] = transferred[i].end;
	/* The refusals procd's startup must make: what rootd got wrong. */
	if (strcmp(envelope_fault, "missing-slot") == 0) {
		obj_drop(caps[1]); /* the driver endpoint the envelope names */
		memmove(caps + 1, caps + 2, (n - 2) * sizeof caps[0]);
		memmove(slots + 1, slots + 2, (n - 2) * sizeof slots[0]);
		n--;
	} else if (strcmp(envelope_fault, "wrong-kind") == 0) {
		obj_drop(caps[1]); /* a frame where the driver endpoint belongs */
		caps[1] = frame_from_file(path, "not-an-endpoint");
	} else if (strcmp(envelope_fault, "residual") == 0) {
		struct obj *a, *b;

		endpoint_new(&a, &b); /* one endpoint more than the envelope names */
		obj_drop(b);
		slots[n] = 40, caps[n++] = a;
	}
	p = proc_spawn(image, PROCD_WINDOW, slots, caps, n, env, len);
	/* procd holds them now; rootd keeps only its own ends. */
	for (size_t i = 0; i < n; i++)
		obj_drop(caps[i]);
	obj_drop(image);
	if (p)
		obj_hold(p->self);
	return p;
}

/* ---- rootd's requests ---- */

static unsigned notices;

/* procd's unasked notices on the bootstrap endpoint: said, set aside. */
static int take_notice(struct msg *m)
{
	struct procd_msg_header h;
	struct procd_msg_probe_done pd;

	if (m->len != sizeof h + sizeof pd)
		return 0;
	memcpy(&h, m->bytes, sizeof h);
	if (h.op != PROCD_NOTIFY_PROBE_COMPLETE || h.tag != 0 || h.length != m->len)
		return 0;
	memcpy(&pd, m->bytes + sizeof h, sizeof pd);
	notices++;
	if (abi_role_name(pd.role))
		model_say("rootd: procd notified probe completion: pid %u (%s)", pd.pid, abi_role_name(pd.role));
	else
		model_say("rootd: procd notified probe completion: pid %u (role 0x%x)", pd.pid, pd.role);
	return 1;
}

static void run_until(uint64_t t)
{
	while (model_now_ns < t && procd->state != P_DEAD && model_step(t))
		;
}

/* Sends bytes (with caps, which it holds already) on end and waits for the
 * reply there. The reply, or NULL if none came. */
static struct msg *exchange(struct obj *end, const void *bytes, size_t len, struct obj **caps, size_t ncaps)
{
	struct msg *m = msg_new(bytes, len);
	uint64_t give_up = model_now_ns + REPLY_WAIT_NS;

	for (size_t i = 0; i < ncaps; i++)
		m->caps[m->ncaps++] = caps[i];
	if (end_send(end, m) != 0)
		return NULL;
	for (;;) {
		while (end->head) {
			struct msg *r = end_take(end);

			if (end == bootstrap && take_notice(r)) {
				msg_free(r);
				continue;
			}
			return r;
		}
		if (end_hung_up(end) || model_now_ns >= give_up || procd->state == P_DEAD)
			return NULL;
		if (!model_step(give_up))
			return NULL;
	}
}

static int64_t call(struct obj *end, uint32_t op, const void *body, size_t len, void *out, size_t outlen,
		    struct obj **caps, size_t ncaps, struct obj **got, size_t maxgot, size_t *ngot)
{
	static uint32_t tag;
	unsigned char buf[PROCD_MSG_MAX];
	struct procd_msg_header h = { .op = op, .length = (uint32_t)(sizeof h + len), .tag = ++tag };
	struct msg *r;
	int64_t status;

	memcpy(buf, &h, sizeof h);
	if (len)
		memcpy(buf + sizeof h, body, len);
	if (ngot)
		*ngot = 0;
	r = exchange(end, buf, sizeof h + len, caps, ncaps);
	if (!r)
		return -1;
	for (size_t i = 0; i < r->ncaps; i++) {
		if (ngot && *ngot < maxgot)
			got[(*ngot)++] = r->caps[i];
		else
			obj_drop(r->caps[i]);
	}
	r->ncaps = 0;
	if (r->len < sizeof h) {
		msg_free(r);
		return -1;
	}
	memcpy(&h, r->bytes, sizeof h);
	status = h.status;
	if (status == PROCD_OK && outlen) {
		if (r->len != sizeof h + outlen)
			status = -1;
		else
			memcpy(out, r->bytes + sizeof h, outlen);
	}
	msg_free(r);
	return status;
}

static const char *status_name(int64_t status)
{
	static const char *const names[] = { "ok", "denied", "invalid", "not-found", "exists",
					     "no-space", "busy", "stale", "unsupported", "io", "timeout" };

	return status >= 0 && status < (int64_t)(sizeof names / sizeof names[0]) ? names[status] : "failed";
}

static int module_index(const char *name)
{
	for (size_t i = 0; i < nmodules; i++)
		if (strcmp(modules[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void give_up(struct spawn_line *s)
{
	struct procd_msg_pid m = { .pid = s->pid };
	int64_t st = call(bootstrap, PROCD_OP_ABORT_STAGED_PROCESS, &m, sizeof m, NULL, 0, NULL, 0, NULL, 0, NULL);

	if (st != PROCD_OK)
		model_say("rootd: abort %s: %s", s->role, status_name(st));
	obj_drop(s->alias);
	s->alias = NULL;
}

static void spawn_one(struct spawn_line *s, uint32_t role)
{
	struct procd_msg_create create = { .role = role };
	struct procd_msg_created created;
	struct obj *got[2];
	size_t ngot;
	int module = module_index(s->role);
	int64_t st;

	if (module < 0) {
		model_say("rootd: no boot module named %s", s->role);
		return;
	}
	st = call(bootstrap, PROCD_OP_CREATE_STAGED_PROCESS, &create, sizeof create, &created, sizeof created, NULL, 0,
		  got, 2, &ngot);
	if (st != PROCD_OK || ngot != 2) {
		model_say("rootd: create %s: %s", s->role, status_name(st));
		for (size_t i = 0; i < ngot; i++)
			obj_drop(got[i]);
		return;
	}
	s->pid = created.pid;
	s->alias = got[0];
	for (size_t i = 0; i < s->ninstall; i++) {
		enum service svc = s->install[i];
		struct procd_msg_install m = { services[svc].slot, 0 };
		struct obj *cap = NULL;

		if (!services[svc].minted && !(cap = serve_new(svc, s->role))) {
			model_say("rootd: no endpoint for %s in %s", services[svc].name, s->role);
			obj_drop(got[1]);
			give_up(s);
			return;
		}
		st = call(got[1], PROCD_GRANT_INSTALL, &m, sizeof m, NULL, 0, &cap, cap ? 1 : 0, NULL, 0, NULL);
		if (st != PROCD_OK)
			model_say("rootd: install %s into %s: %s", services[svc].name, s->role, status_name(st));
	}
	obj_drop(got[1]); /* installs are done */
	struct procd_msg_start start = { .pid = s->pid, .image_module = (uint32_t)module };
	struct procd_msg_pid started;

	st = call(bootstrap, PROCD_OP_START_STAGED_PROCESS, &start, sizeof start, &started, sizeof started, NULL, 0,
		  NULL, 0, NULL);
	if (st != PROCD_OK) {
		model_say("rootd: start %s: %s", s->role, status_name(st));
		give_up(s);
		return;
	}
	if (s->exit_with >= 0) {
		struct helper_exit_msg m = { { HELPER_OP_EXIT, sizeof m, 1, 0 }, s->exit_with };

		if (end_send(s->alias, msg_new(&m, sizeof m)) != 0)
			model_say("rootd: could not tell %s to exit", s->role);
	}
}

static void load_one(const struct spawn_line *s, uint32_t role)
{
	struct helper_load_msg m = { { HELPER_OP_LOAD, sizeof m, 1, 0 }, role, 0 };
	struct obj *loader = NULL, *file, *end;
	struct procd_msg_header h;
	struct msg *r;

	for (size_t i = 0; i < nspawns; i++)
		if (strcmp(spawns[i].role, "loaderd") == 0 && spawns[i].alias)
			loader = spawns[i].alias;
	if (!loader) {
		model_say("rootd: load %s: no loaderd was spawned before it", s->role);
		return;
	}
	file = module_image(s->load_path, s->role);
	if (!file) {
		model_say("rootd: load %s: %s: cannot read it", s->role, s->load_path);
		return;
	}
	/* On EriX a file is reached through its filesystem's endpoint:
	 * loaderd gets an endpoint that serves this file's bytes. */
	end = serve_new(SVC_FILE, "loaderd");
	served[nserved - 1]->file = file;
	r = exchange(loader, &m, sizeof m, &end, 1);
	if (!r || r->len < sizeof h) {
		model_say("rootd: loaderd could not load %s from %s: %s", s->role, s->load_path, "failed");
		msg_free(r);
		return;
	}
	memcpy(&h, r->bytes, sizeof h);
	if (h.status != PROCD_OK || r->len != sizeof(struct helper_load_reply)) {
		model_say("rootd: loaderd could not load %s from %s: %s", s->role, s->load_path, status_name(h.status));
	} else {
		struct helper_load_reply rep;

		memcpy(&rep, r->bytes, sizeof rep);
		model_say("rootd: loaderd loaded %s from %s; procd started it as pid %u", s->role, s->load_path,
			  rep.pid);
	}
	msg_free(r);
}

static void publish_late(uint64_t started)
{
	for (size_t i = 0; i < nlate; i++) {
		struct procd_msg_foundation m = { .slot = services[late[i].svc].slot };
		struct obj *cap;
		int64_t st;

		if (late[i].done || model_now_ns < started + (uint64_t)(late[i].after * 1e9))
			continue;
		late[i].done = 1;
		if (!(cap = serve_new(late[i].svc, "procd's children")))
			continue;
		st = call(bootstrap, PROCD_OP_UPDATE_FOUNDATION_ENDPOINTS, &m, sizeof m, NULL, 0, &cap, 1, NULL, 0, NULL);
		model_say("rootd: published %s to procd late (UPDATE_FOUNDATION_ENDPOINTS): %s",
			  services[late[i].svc].name, status_name(st));
	}
}

static uint64_t next_late(uint64_t started, uint64_t deadline)
{
	uint64_t next = deadline;

	for (size_t i = 0; i < nlate; i++) {
		uint64_t t = started + (uint64_t)(late[i].after * 1e9);

		if (!late[i].done && t < next)
			next = t;
	}
	return next;
}

static void serve_until(uint64_t started, uint64_t deadline)
{
	while (model_now_ns < deadline && procd->state != P_DEAD) {
		publish_late(started);
		while (bootstrap->head) {
			struct msg *r = end_take(bootstrap);

			take_notice(r);
			msg_free(r);
		}
		if (!model_step(next_late(started, deadline)) && next_late(started, deadline) == deadline)
			break;
	}
}

static int role_id_of(const struct registry_file *rf, const char *name);

static struct spawn_line *spawned(const char *role)
{
	for (size_t i = 0; i < nspawns; i++)
		if (strcmp(spawns[i].role, role) == 0 && spawns[i].pid != 0)
			return &spawns[i];
	return NULL;
}

/* --stop ROLE: STOP_PROCESS of the child rootd spawned for ROLE. */
static void stop_role(const char *role)
{
	struct spawn_line *s = spawned(role);
	struct procd_msg_pid m, stopped;
	int64_t st;

	if (!s) {
		model_say("rootd: stop %s: rootd spawned no %s", role, role);
		return;
	}
	m = (struct procd_msg_pid){ .pid = s->pid };
	st = call(bootstrap, PROCD_OP_STOP_PROCESS, &m, sizeof m, &stopped, sizeof stopped, NULL, 0, NULL, 0, NULL);
	model_say("rootd: stop %s (pid %u): %s", role, s->pid, status_name(st));
}

/* --fault ROLE: the kernel ends ROLE's running process with a page fault,
 * as if it had crashed. */
static void fault_role(const char *role)
{
	for (unsigned i = 0; i < model_nprocs; i++) {
		struct proc *p = model_procs[i];

		if (p->state != P_DEAD && strcmp(p->name, role) == 0) {
			model_say("erix-model: %s (os pid %u) faults", role, p->id);
			proc_fault(p, ERIX_FAULT_MEMORY);
			return;
		}
	}
	model_say("erix-model: fault %s: no such process running", role);
}

/* A child of ROLE through procd, created and started from its boot module
 * (with no installs, its alias and nothing else); its pid, or 0 with the
 * failure said. Its alias is *alias, rootd's hold. */
static uint32_t create_and_start(const char *what, int role, int module, const struct procd_msg_restart *restart,
				 struct obj **alias)
{
	struct procd_msg_create create = { .role = (uint32_t)role };
	struct procd_msg_created created;
	struct procd_msg_pid started;
	struct obj *got[2];
	size_t ngot;
	const char *step = "create";
	int64_t st = call(bootstrap, PROCD_OP_CREATE_STAGED_PROCESS, &create, sizeof create, &created, sizeof created,
			  NULL, 0, got, 2, &ngot);

	*alias = NULL;
	if (st != PROCD_OK || ngot != 2) {
		for (size_t i = 0; i < ngot; i++)
			obj_drop(got[i]);
		model_say("rootd: %s: %s: %s", what, step, status_name(st));
		return 0;
	}
	*alias = got[0];
	obj_drop(got[1]); /* no installs */
	if (restart) {
		struct procd_msg_restart r = *restart;
		struct procd_msg_pid set;

		r.pid = created.pid;
		step = "restart policy";
		st = call(bootstrap, PROCD_OP_SET_RESTART_POLICY, &r, sizeof r, &set, sizeof set, NULL, 0, NULL, 0,
			  NULL);
	}
	if (st == PROCD_OK) {
		struct procd_msg_start start = { .pid = created.pid, .image_module = (uint32_t)module };

		step = "start";
		st = call(bootstrap, PROCD_OP_START_STAGED_PROCESS, &start, sizeof start, &started, sizeof started,
			  NULL, 0, NULL, 0, NULL);
	}
	if (st != PROCD_OK) {
		struct procd_msg_pid m = { .pid = created.pid };

		model_say("rootd: %s: %s: %s", what, step, status_name(st));
		call(bootstrap, PROCD_OP_ABORT_STAGED_PROCESS, &m, sizeof m, NULL, 0, NULL, 0, NULL, 0, NULL);
		obj_drop(*alias);
		*alias = NULL;
		return 0;
	}
	return created.pid;
}

static int64_t stop_pid(uint32_t pid)
{
	struct procd_msg_pid m = { .pid = pid }, stopped;

	return call(bootstrap, PROCD_OP_STOP_PROCESS, &m, sizeof m, &stopped, sizeof stopped, NULL, 0, NULL, 0, NULL);
}

/* --cycle ROLE N: N lifetimes of ROLE through procd, one after another:
 * create, start, a (virtual) moment to run, stop, and rootd lets go of its
 * alias. Each lifetime is a new process of the kernel's. */
static void cycle_role(const struct registry_file *rf, const char *role, unsigned n)
{
	int id = role_id_of(rf, role), module = module_index(role);
	unsigned done = 0;

	if (id < 0 || module < 0) {
		model_say("rootd: cycle %s: no such role, or no boot module of it", role);
		return;
	}
	while (done < n && procd->state != P_DEAD) {
		struct obj *alias;
		uint32_t pid = create_and_start(role, id, module, NULL, &alias);
		int64_t st;

		if (!pid)
			break;
		serve_until(booted, model_now_ns + 5000000u);
		st = stop_pid(pid);
		obj_drop(alias);
		if (st != PROCD_OK) {
			model_say("rootd: cycle %s: stop pid %u: %s", role, pid, status_name(st));
			break;
		}
		done++;
	}
	model_say("rootd: cycled %s: %u of %u lifetimes started and stopped", role, done, n);
}

/* --crash-loop ROLE N: one child of ROLE that procd restarts every time it
 * ends (2 ms apart, so a window of 10 ms never fills), until procd has
 * restarted it N times; then it is stopped. Each restart is a new process
 * of the kernel's. */
static void crash_loop(const struct registry_file *rf, const char *role, unsigned n)
{
	static const struct procd_msg_restart always = { .policy = PROCD_RESTART_ALWAYS, .max_restarts = 32,
							 .window_ms = 10, .backoff_min_ms = 2,
							 .backoff_max_ms = 2 };
	int id = role_id_of(rf, role), module = module_index(role);
	struct procd_msg_info info = { 0 };
	struct obj *alias;
	uint32_t pid;
	int64_t st = PROCD_OK;

	if (id < 0 || module < 0) {
		model_say("rootd: crash-loop %s: no such role, or no boot module of it", role);
		return;
	}
	pid = create_and_start(role, id, module, &always, &alias);
	if (!pid)
		return;
	/* Until procd has restarted it n times, or gives up on it (it could
	 * not restart it). */
	while (st == PROCD_OK && info.restarts < n && info.state != PROCD_STATE_ENDED && procd->state != P_DEAD) {
		struct procd_msg_pid m = { .pid = pid };

		serve_until(booted, model_now_ns + 20000000u);
		st = call(bootstrap, PROCD_OP_QUERY_PROCESS, &m, sizeof m, &info, sizeof info, NULL, 0, NULL, 0, NULL);
	}
	if (st == PROCD_OK)
		st = stop_pid(pid);
	obj_drop(alias);
	model_say("rootd: crash-loop %s (pid %u): restarted %u times, then stopped: %s", role, pid, info.restarts,
		  status_name(st));
}

/* --census: what the kernel holds. Taken before the scenario's actions and
 * again before the hang-up, each time once the system has settled: a
 * campaign that leaves nothing behind gives the same line twice. */
static void census(const char *when)
{
	unsigned live = 0;

	for (unsigned i = 0; i < model_nprocs; i++)
		live += model_procs[i]->state != P_DEAD;
	model_say("erix-model: census %s: %u processes in the table of %u, %u running, %u objects, %u messages",
		  when, model_nprocs, MODEL_MAX_PROCS, live, model_nobjs, model_nmsgs);
}

/* --check-endpoints: what procd accepts where. A driver role only on the
 * driver endpoint, and nothing else there. */
static void check_endpoints(struct registry_file *rf)
{
	static const struct {
		const char *role;
		int on_driver;
	} tries[] = { { "drv-serial", 0 }, { "timed", 1 }, { "phase0-exit", 1 } };

	for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
		struct procd_msg_create create = { .role = (uint32_t)role_id_of(rf, tries[i].role) };
		struct procd_msg_created created;
		struct obj *got[2];
		size_t ngot;
		int64_t st = call(tries[i].on_driver ? driver : bootstrap, PROCD_OP_CREATE_STAGED_PROCESS, &create,
				  sizeof create, &created, sizeof created, NULL, 0, got, 2, &ngot);

		for (size_t j = 0; j < ngot; j++)
			obj_drop(got[j]);
		model_say("rootd: create %s on the %s endpoint: %s", tries[i].role,
			  tries[i].on_driver ? "driver" : "bootstrap", status_name(st));
		if (st == PROCD_OK) {
			struct procd_msg_pid m = { .pid = created.pid };

			call(tries[i].on_driver ? driver : bootstrap, PROCD_OP_ABORT_STAGED_PROCESS, &m, sizeof m, NULL, 0,
			     NULL, 0, NULL, 0, NULL);
		}
	}
}

static int role_id(const struct registry_file *rf, const char *name)
{
	for (size_t i = 0; i < rf->npolicies; i++)
		if (procd_field_eq(rf->policies[i].name, sizeof rf->policies[i].name, name, strlen(name)))
			return (int)rf->policies[i].role;
	return -1;
}

static int role_id_of(const struct registry_file *rf, const char *name)
{
	return role_id(rf, name);
}

static void usage(FILE *out)
{
	fputs("usage: erix-model [-v] [--procd PATH] [--run-for SECONDS] [--cspace] [--idle-calls] MANIFEST\n"
	      "  Boots MANIFEST (the procd-boot format) with procd.elf under a model of the EriX kernel.\n"
	      "  --procd PATH       the image to run as procd (default: ./procd.elf)\n"
	      "  --run-for SECONDS  virtual seconds before rootd hangs up on procd (default 3)\n"
	      "  --cspace           print every process's CSpace before hanging up\n"
	      "  --idle-calls       count procd's kernel calls in the last virtual second\n"
	      "  --envelope FAULT   start procd with a wrong CSpace: missing-slot, wrong-kind, residual\n"
	      "  --stop ROLE        after the manifest, STOP_PROCESS the child rootd spawned as ROLE\n"
	      "  --fault ROLE       after the manifest, make ROLE's process fault (as a crash would)\n"
	      "  --check-endpoints  after the manifest, ask for roles on the endpoint they do not belong to\n"
	      "  --cycle ROLE N     after the manifest, create, start and stop a child of ROLE, N times\n"
	      "  --crash-loop ROLE N  after the manifest, a child of ROLE procd restarts N times, then stopped\n"
	      "  --census           count the kernel's processes, objects and messages before and after\n"
	      "  -v                 trace every system call and kernel operation\n"
	      "  --probe            exit 0 if ptrace(PTRACE_SYSEMU) works here, else 77 and why\n",
	      out);
}

int main(int argc, char **argv)
{
	const char *procd_path = "./procd.elf", *manifest = NULL;
	double run_for = 3;
	int idle_calls = 0;
	enum { MAX_ACTIONS = 8 };
	struct {
		char what;
		const char *role;
		unsigned count;
	} actions[MAX_ACTIONS];
	int counting = 0;
	size_t nactions = 0;
	struct registry_file rf;
	struct elf_error err;
	uint64_t started, deadline;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--procd") == 0 && i + 1 < argc)
			procd_path = argv[++i];
		else if (strcmp(argv[i], "--run-for") == 0 && i + 1 < argc)
			run_for = atof(argv[++i]);
		else if (strcmp(argv[i], "--cspace") == 0)
			print_cspaces = 1;
		else if (strcmp(argv[i], "--idle-calls") == 0)
			idle_calls = 1;
		else if (strcmp(argv[i], "--envelope") == 0 && i + 1 < argc)
			envelope_fault = argv[++i];
		else if (strcmp(argv[i], "--stop") == 0 && i + 1 < argc && nactions < MAX_ACTIONS)
			actions[nactions].what = 's', actions[nactions++].role = argv[++i];
		else if (strcmp(argv[i], "--fault") == 0 && i + 1 < argc && nactions < MAX_ACTIONS)
			actions[nactions].what = 'f', actions[nactions++].role = argv[++i];
		else if (strcmp(argv[i], "--check-endpoints") == 0 && nactions < MAX_ACTIONS)
			actions[nactions].what = 'e', actions[nactions++].role = "";
		else if ((strcmp(argv[i], "--cycle") == 0 || strcmp(argv[i], "--crash-loop") == 0) && i + 2 < argc &&
			 nactions < MAX_ACTIONS && atoi(argv[i + 2]) > 0) {
			actions[nactions].what = argv[i][3] == 'y' ? 'c' : 'r';
			actions[nactions].role = argv[i + 1];
			actions[nactions++].count = (unsigned)atoi(argv[i + 2]);
			i += 2;
		} else if (strcmp(argv[i], "--census") == 0)
			counting = 1;
		else if (strcmp(argv[i], "-v") == 0)
			model_verbose = 1;
		else if (strcmp(argv[i], "--probe") == 0) {
			static const char *const why[] = { "", "cannot fork", "ptrace(PTRACE_TRACEME) is refused here",
							   "ptrace(PTRACE_SYSEMU) is refused or unknown here" };
			int st = model_probe();

			if (st == 0)
				return 0;
			printf("%s\n", why[-st]);
			return 77;
		} else if (strcmp(argv[i], "--help") == 0)
			return usage(stdout), 0;
		else if (argv[i][0] != '-' && !manifest)
			manifest = argv[i];
		else
			return usage(stderr), 2;
	}
	if (!manifest || run_for < 0 || run_for > 3600)
		return usage(stderr), 2;
	if (registry_load(&rf, procd_path, &err) != 0) {
		model_say("erix-model: %s: %s", procd_path, err.msg);
		return 1;
	}
	/* A tracee that never makes a system call again would hold the
	 * model forever: real time bounds every run. */
	alarm(300);
	if (parse_manifest(manifest) != 0)
		return 1;
	for (size_t i = 0; i < ndrivers; i++) {
		int role = role_id(&rf, driver_names[i]);

		if (role < 0) {
			model_say("erix-model: %s: driver %s: no such role in %s", manifest, driver_names[i], procd_path);
			return 1;
		}
		driver_roles[i] = (uint32_t)role;
	}
	model_say("rootd: launching %s with %zu boot modules", procd_path, nmodules);
	procd = launch_procd(procd_path);
	if (!procd) {
		model_say("erix-model: cannot start %s under ptrace", procd_path);
		return 1;
	}
	started = booted = model_now_ns;
	/* procd refuses to start before it answers anything: give it the
	 * chance before the first request. */
	serve_until(started, started + 1000000u);
	for (size_t i = 0; i < nspawns && procd->state != P_DEAD; i++) {
		int role = role_id(&rf, spawns[i].role);

		if (role < 0)
			model_say("rootd: unknown role %s", spawns[i].role);
		else if (spawns[i].load_path[0])
			load_one(&spawns[i], (uint32_t)role);
		else
			spawn_one(&spawns[i], (uint32_t)role);
	}
	/* The scenario's actions, once the manifest's requests are answered
	 * and the system has settled for a (virtual) half second. */
	if (nactions || counting)
		serve_until(started, model_now_ns + 500000000u);
	if (counting)
		census("before the actions");
	for (size_t i = 0; i < nactions && procd->state != P_DEAD; i++) {
		if (actions[i].what == 's')
			stop_role(actions[i].role);
		else if (actions[i].what == 'f')
			fault_role(actions[i].role);
		else if (actions[i].what == 'c')
			cycle_role(&rf, actions[i].role, actions[i].count);
		else if (actions[i].what == 'r')
			crash_loop(&rf, actions[i].role, actions[i].count);
		else
			check_endpoints(&rf);
		serve_until(started, model_now_ns + 100000000u);
	}
	deadline = started + (uint64_t)(run_for * 1e9);
	if (idle_calls && deadline > model_now_ns + 1000000000u) {
		uint64_t before;
		unsigned live = 0;

		serve_until(started, deadline - 1000000000u);
		before = procd->calls;
		serve_until(started, deadline);
		for (unsigned i = 0; i < model_nprocs; i++)
			live += model_procs[i]->state != P_DEAD;
		model_say("erix-model: procd made %llu kernel calls in the last idle second, %u processes running",
			  (unsigned long long)(procd->calls - before), live - 1);
	} else {
		serve_until(started, deadline);
	}
	if (counting)
		census("before the hang-up");
	if (print_cspaces)
		model_print_cspaces(stdout);
	model_say("rootd: shutting down: hanging up on procd");
	obj_drop(bootstrap);
	obj_drop(driver);
	for (size_t i = 0; i < nspawns; i++)
		obj_drop(spawns[i].alias);
	run_until(model_now_ns + 60ull * 1000000000u);
	registry_free(&rf);
	if (procd->state != P_DEAD) {
		model_say("rootd: procd did not exit after the hang-up");
		model_kill_all();
		return 1;
	}
	model_kill_all();
	if (procd->how == ERIX_END_EXITED) {
		model_say("rootd: procd exited with status %d", procd->code);
		return procd->code;
	}
	model_say("rootd: procd %s %d", procd->how == ERIX_END_FAULTED ? "faulted with" : "was killed:", procd->code);
	return 1;
}
