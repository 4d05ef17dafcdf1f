/* SPDX-License-Identifier: ISC */
/* The in-memory port of the transfer fuzz target; see fake_port.h. */
#include "tests/fuzz/fake_port.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi/procd_envelope.h"
#include "core/abi/procd_roles.h"
#include "core/abi/procd_slots.h"

#define FIRST_DYNAMIC_CAP 3 /* like descriptors: 0-2 are never handed out */
#define CAP_OTHER 0xffu     /* what port_cap_kind says of a process handle */

static struct fake_cap caps[FAKE_CAPS];
static struct fake_obj objs[FAKE_OBJS];
static uint32_t nobjs;
static procd_cap cap_end = FIRST_DYNAMIC_CAP;
static uint64_t now_ms;
static uint64_t image_bytes;
static unsigned armed[FAKE_CALLS];
static unsigned fired;
static unsigned staging_limit;
static struct fake_send sends[FAKE_SENDS];
static size_t nsends;
static int trace;

/* fake_save's copy. */
static struct {
	int saved;
	struct fake_cap caps[FAKE_CAPS];
	struct fake_obj objs[FAKE_OBJS];
	uint32_t nobjs;
	procd_cap cap_end;
	uint64_t now_ms, image_bytes;
	unsigned fired, staging_limit;
} saved;

void fake_fail(const char *what, long detail)
{
	fprintf(stderr, "fuzz-transfer: port misuse: %s (%ld)\n", what, detail);
	abort();
}

static int should_fail(enum fake_call call)
{
	if (armed[call] == 0 || --armed[call] != 0)
		return 0;
	fired++;
	return 1;
}

static int valid_number(procd_cap cap)
{
	return cap >= 0 && (unsigned)cap < FAKE_CAPS;
}

/* The object behind a capability procd must hold for this call. */
static struct fake_obj *held(procd_cap cap, enum fake_kind kind, const char *call)
{
	struct fake_obj *o;

	if (!valid_number(cap) || caps[cap].holder != FAKE_PROCD) {
		fprintf(stderr, "fuzz-transfer: %s on capability %d, which procd does not hold\n", call, cap);
		fake_fail("a capability used after it was dropped, or never held", cap);
	}
	o = &objs[caps[cap].obj];
	if (kind != FAKE_NONE && o->kind != kind) {
		fprintf(stderr, "fuzz-transfer: %s on capability %d, an object of kind %u\n", call, cap, o->kind);
		fake_fail("a capability used as what it is not", cap);
	}
	return o;
}

static uint32_t new_obj(enum fake_kind kind)
{
	struct fake_obj *o;

	if (nobjs == FAKE_OBJS)
		return FAKE_NO_OBJ;
	o = &objs[nobjs];
	memset(o, 0, sizeof *o);
	o->kind = (uint8_t)kind;
	o->peer = FAKE_NO_OBJ;
	o->image = FAKE_NO_OBJ;
	o->watcher = PROCD_NO_CAP;
	return nobjs++;
}

static void release_obj(uint32_t i);

static void maybe_free(uint32_t i)
{
	struct fake_obj *o = &objs[i];

	if (o->gone || o->holds || o->maps || o->runners)
		return;
	o->gone = 1;
	if (o->kind == FAKE_IMAGE) {
		image_bytes -= o->alloc;
		free(o->bytes);
		o->bytes = NULL;
	}
	if (o->kind == FAKE_PROCESS)
		release_obj(o->image);
}

static void release_obj(uint32_t i)
{
	if (i == FAKE_NO_OBJ)
		return;
	if (objs[i].kind == FAKE_IMAGE && objs[i].runners > 0)
		objs[i].runners--;
	maybe_free(i);
}

/* A new capability naming obj, at `at` or (at < 0) the lowest free number. */
static procd_cap new_cap(uint32_t obj, enum fake_holder holder, procd_cap at)
{
	procd_cap c = at;

	if (at < 0) {
		for (c = FIRST_DYNAMIC_CAP; c < (procd_cap)FAKE_CAPS && caps[c].holder != FAKE_NOBODY; c++)
			;
		if (c == (procd_cap)FAKE_CAPS)
			return PROCD_NO_CAP;
	} else if (!valid_number(at) || caps[at].holder != FAKE_NOBODY) {
		return PROCD_NO_CAP;
	}
	memset(&caps[c], 0, sizeof caps[c]);
	caps[c].holder = (uint8_t)holder;
	caps[c].obj = obj;
	objs[obj].holds++;
	if (c >= cap_end)
		cap_end = c + 1;
	return c;
}

static void drop_cap(procd_cap c)
{
	uint32_t obj = caps[c].obj;

	memset(&caps[c], 0, sizeof caps[c]);
	objs[obj].holds--;
	maybe_free(obj);
}

void fake_reset(void)
{
	for (uint32_t i = 0; i < nobjs; i++)
		free(objs[i].bytes);
	memset(objs, 0, sizeof objs[0] * nobjs);
	memset(caps, 0, sizeof caps[0] * (size_t)cap_end);
	nobjs = 0;
	cap_end = FIRST_DYNAMIC_CAP;
	now_ms = 0;
	image_bytes = 0;
	memset(armed, 0, sizeof armed);
	fired = 0;
	staging_limit = 0;
	nsends = 0;
}

static unsigned char *copy_bytes(const unsigned char *b, uint64_t n)
{
	unsigned char *c;

	if (!b)
		return NULL;
	c = malloc((size_t)n);
	if (!c)
		fake_fail("out of memory copying the saved state", (long)n);
	memcpy(c, b, (size_t)n);
	return c;
}

void fake_save(void)
{
	for (uint32_t i = 0; saved.saved && i < saved.nobjs; i++)
		free(saved.objs[i].bytes);
	memcpy(saved.caps, caps, sizeof caps[0] * (size_t)cap_end);
	memcpy(saved.objs, objs, sizeof objs[0] * nobjs);
	for (uint32_t i = 0; i < nobjs; i++)
		saved.objs[i].bytes = copy_bytes(objs[i].bytes, objs[i].alloc);
	saved.nobjs = nobjs;
	saved.cap_end = cap_end;
	saved.now_ms = now_ms;
	saved.image_bytes = image_bytes;
	saved.fired = fired;
	saved.staging_limit = staging_limit;
	saved.saved = 1;
}

void fake_restore(void)
{
	if (!saved.saved)
		fake_fail("fake_restore without fake_save", 0);
	fake_reset();
	memcpy(caps, saved.caps, sizeof caps[0] * (size_t)saved.cap_end);
	memcpy(objs, saved.objs, sizeof objs[0] * saved.nobjs);
	for (uint32_t i = 0; i < saved.nobjs; i++)
		objs[i].bytes = copy_bytes(saved.objs[i].bytes, saved.objs[i].alloc);
	nobjs = saved.nobjs;
	cap_end = saved.cap_end;
	now_ms = saved.now_ms;
	image_bytes = saved.image_bytes;
	fired = saved.fired;
	staging_limit = saved.staging_limit;
}

static procd_cap pair(enum fake_holder a_holder, procd_cap a_at, enum fake_holder b_holder, procd_cap *b)
{
	uint32_t x = new_obj(FAKE_ENDPOINT), y = new_obj(FAKE_ENDPOINT);
	procd_cap a;

	if (x == FAKE_NO_OBJ || y == FAKE_NO_OBJ) {
		if (x != FAKE_NO_OBJ)
			objs[x].gone = 1;
		return PROCD_NO_CAP;
	}
	objs[x].peer = y;
	objs[y].peer = x;
	a = new_cap(x, a_holder, a_at);
	*b = a == PROCD_NO_CAP ? PROCD_NO_CAP : new_cap(y, b_holder, -1);
	if (*b == PROCD_NO_CAP) {
		if (a != PROCD_NO_CAP)
			drop_cap(a);
		maybe_free(x);
		maybe_free(y);
		return PROCD_NO_CAP;
	}
	return a;
}

procd_cap fake_place_endpoint(procd_cap at, procd_cap *peer)
{
	return pair(FAKE_PROCD, at, FAKE_HARNESS, peer);
}

static uint32_t new_image(uint64_t size)
{
	uint32_t i;
	uint64_t alloc = size ? size : 1;

	if (size > FAKE_IMAGE_MAX || image_bytes + alloc > FAKE_IMAGE_BUDGET)
		return FAKE_NO_OBJ;
	i = new_obj(FAKE_IMAGE);
	if (i == FAKE_NO_OBJ)
		return FAKE_NO_OBJ;
	objs[i].bytes = calloc(1, (size_t)alloc);
	if (!objs[i].bytes) {
		objs[i].gone = 1;
		return FAKE_NO_OBJ;
	}
	objs[i].size = size;
	objs[i].alloc = alloc;
	image_bytes += alloc;
	return i;
}

int fake_image_fits(uint64_t size)
{
	return size <= FAKE_IMAGE_MAX && image_bytes + (size ? size : 1) <= FAKE_IMAGE_BUDGET && nobjs < FAKE_OBJS;
}

procd_cap fake_place_image(procd_cap at, const void *bytes, size_t len)
{
	uint32_t i = new_image(len);
	procd_cap c;

	if (i == FAKE_NO_OBJ)
		return PROCD_NO_CAP;
	memcpy(objs[i].bytes, bytes, len);
	objs[i].sealed = objs[i].module = 1;
	c = new_cap(i, FAKE_PROCD, at);
	if (c == PROCD_NO_CAP)
		maybe_free(i);
	return c;
}

size_t fake_intake(procd_cap bootstrap, const char *const names[], size_t n, void *env, size_t size)
{
	struct procd_envelope hdr;
	struct procd_envelope_module m;
	size_t len = sizeof hdr + n * sizeof m;
	procd_cap peer;

	if (len > size || n > PROCD_ENVELOPE_MODULES_MAX)
		return 0;
	memset(&hdr, 0, sizeof hdr);
	memcpy(hdr.magic, PROCD_ENVELOPE_MAGIC, sizeof hdr.magic);
	hdr.version = PROCD_ENVELOPE_VERSION;
	hdr.length = (uint32_t)len;
	hdr.role = ROLE_PROCD;
	hdr.control_slot = SLOT_KERNEL_PROCESS_ENDPOINT;
	hdr.bootstrap_slot = (uint32_t)bootstrap;
	hdr.driver_slot = SLOT_PROCD_DRIVER_ENDPOINT;
	hdr.nmodules = (uint32_t)n;
	memcpy(env, &hdr, sizeof hdr);
	if (fake_place_endpoint(bootstrap, &peer) != bootstrap ||
	    fake_place_endpoint(SLOT_PROCD_DRIVER_ENDPOINT, &peer) != SLOT_PROCD_DRIVER_ENDPOINT ||
	    fake_place_endpoint(SLOT_KERNEL_PROCESS_ENDPOINT, &peer) != SLOT_KERNEL_PROCESS_ENDPOINT)
		return 0;
	for (size_t i = 0; i < n; i++) {
		procd_cap at = (procd_cap)(SLOT_BOOT_MODULE_BASE + i);
		size_t nlen = strlen(names[i]);

		if (nlen >= sizeof m.name || fake_place_image(at, names[i], nlen) != at)
			return 0;
		memset(&m, 0, sizeof m);
		m.slot = (uint32_t)at;
		memcpy(m.name, names[i], nlen);
		memcpy((unsigned char *)env + sizeof hdr + i * sizeof m, &m, sizeof m);
	}
	return len;
}

procd_cap fake_gift(enum fake_kind kind)
{
	uint32_t i = kind == FAKE_IMAGE ? new_image(64) : new_obj(FAKE_ENDPOINT);
	procd_cap c;

	if (i == FAKE_NO_OBJ)
		return PROCD_NO_CAP;
	objs[i].gift = 1;
	c = new_cap(i, FAKE_PROCD, -1);
	if (c == PROCD_NO_CAP)
		maybe_free(i);
	return c;
}

void fake_set_now(uint64_t ms)
{
	if (ms < now_ms)
		fake_fail("the harness set the clock back", (long)ms);
	now_ms = ms;
}

uint64_t fake_now(void)
{
	return now_ms;
}

void fake_arm(enum fake_call call, unsigned nth)
{
	if ((unsigned)call < FAKE_CALLS)
		armed[call] = nth;
}

void fake_disarm(void)
{
	memset(armed, 0, sizeof armed);
}

unsigned fake_fired(void)
{
	return fired;
}

void fake_set_staging_limit(unsigned n)
{
	staging_limit = n;
}

void fake_end_process(uint32_t obj, uint32_t kind, int32_t code)
{
	struct fake_obj *o;

	if (obj >= nobjs || objs[obj].kind != FAKE_PROCESS || objs[obj].state != FAKE_RUNNING)
		fake_fail("a process ended that is not running", (long)obj);
	o = &objs[obj];
	o->state = FAKE_ENDED;
	o->end_kind = kind;
	o->end_code = code;
	release_obj(o->image);
	o->image = FAKE_NO_OBJ;
}

const struct fake_obj *fake_obj(uint32_t obj)
{
	return obj < nobjs ? &objs[obj] : NULL;
}

uint32_t fake_nobjs(void)
{
	return nobjs;
}

const struct fake_cap *fake_cap(procd_cap cap)
{
	return valid_number(cap) ? &caps[cap] : NULL;
}

procd_cap fake_cap_end(void)
{
	return cap_end;
}

uint32_t fake_obj_of(procd_cap cap)
{
	return valid_number(cap) && caps[cap].holder != FAKE_NOBODY ? caps[cap].obj : FAKE_NO_OBJ;
}

int fake_watch_of(uint32_t obj, enum port_watch kind, uint32_t *index)
{
	procd_cap w = obj < nobjs ? objs[obj].watcher : PROCD_NO_CAP;

	/* The capability watched last on obj, if still so; else a search. */
	if (w != PROCD_NO_CAP && caps[w].holder == FAKE_PROCD && caps[w].obj == obj && caps[w].watched &&
	    caps[w].watch_kind == (uint8_t)kind) {
		*index = caps[w].watch_index;
		return 0;
	}
	for (procd_cap c = 0; c < cap_end; c++)
		if (caps[c].holder == FAKE_PROCD && caps[c].obj == obj && caps[c].watched &&
		    caps[c].watch_kind == (uint8_t)kind) {
			*index = caps[c].watch_index;
			return 0;
		}
	return -1;
}

void fake_sends_clear(void)
{
	for (size_t i = 0; i < nsends; i++)
		for (size_t k = 0; k < sends[i].ncaps; k++)
			if (caps[sends[i].caps[k]].holder == FAKE_HARNESS)
				drop_cap(sends[i].caps[k]);
	nsends = 0;
}

size_t fake_nsends(void)
{
	return nsends;
}

const struct fake_send *fake_send_at(size_t i)
{
	return i < nsends ? &sends[i] : NULL;
}

void fake_set_trace(int on)
{
	trace = on;
}

/* ---- core/port.h ---- */

static unsigned long log_lines;
static char last_line[256];

unsigned long fake_log_lines(void)
{
	return log_lines;
}

const char *fake_last_log_line(void)
{
	return last_line;
}

void port_log_line(const char *line, size_t len)
{
	log_lines++;
	snprintf(last_line, sizeof last_line, "%.*s", (int)len, line);
	if (len == 0 || len > 4096)
		fake_fail("a log line that is empty or longer than any line procd builds", (long)len);
	for (size_t i = 0; i < len; i++)
		if (line[i] == '\n' || line[i] == '\0')
			fake_fail("a log line with a newline or NUL inside", (long)i);
	if (trace)
		fprintf(stderr, "    log: %.*s\n", (int)len, line);
}

uint64_t port_now_ms(void)
{
	return now_ms;
}

uint32_t port_cap_kind(procd_cap cap)
{
	if (!valid_number(cap) || caps[cap].holder != FAKE_PROCD)
		return PROCD_CAP_NONE;
	switch (objs[caps[cap].obj].kind) {
	case FAKE_ENDPOINT:
		return PROCD_CAP_ENDPOINT;
	case FAKE_IMAGE:
		return PROCD_CAP_IMAGE;
	default:
		return CAP_OTHER;
	}
}

int port_has_residual_caps(const procd_cap *declared, size_t n, procd_cap *residual)
{
	for (procd_cap c = 0; c < cap_end; c++) {
		int ok = caps[c].holder != FAKE_PROCD;

		for (size_t i = 0; !ok && i < n; i++)
			ok = declared[i] == c;
		if (!ok) {
			*residual = c;
			return 1;
		}
	}
	return 0;
}

int port_endpoint_pair(procd_cap *server, procd_cap *client)
{
	procd_cap s;

	if (should_fail(FAKE_CALL_ENDPOINT_PAIR))
		return -1;
	s = pair(FAKE_PROCD, -1, FAKE_PROCD, client);
	if (s == PROCD_NO_CAP)
		return -1;
	*server = s;
	return 0;
}

int port_cap_same(procd_cap a, procd_cap b)
{
	held(a, FAKE_NONE, "port_cap_same");
	held(b, FAKE_NONE, "port_cap_same");
	return caps[a].obj == caps[b].obj;
}

procd_cap port_cap_dup(procd_cap cap)
{
	held(cap, FAKE_NONE, "port_cap_dup");
	if (should_fail(FAKE_CALL_CAP_DUP))
		return PROCD_NO_CAP;
	return new_cap(caps[cap].obj, FAKE_PROCD, -1);
}

void port_cap_drop(procd_cap cap)
{
	struct fake_obj *o;

	if (cap == PROCD_NO_CAP)
		return;
	o = held(cap, FAKE_NONE, "port_cap_drop");
	if (o->kind == FAKE_PROCESS && o->holds == 1 && o->state != FAKE_COLLECTED)
		fake_fail(o->state == FAKE_RUNNING ? "dropped the last handle of a running process (a stray)"
						   : "dropped the last handle of an uncollected process (a zombie)",
			  cap);
	drop_cap(cap);
}

int port_send(procd_cap endpoint, const void *msg, size_t len, const procd_cap *with, size_t ncaps)
{
	struct fake_send *s = nsends < FAKE_SENDS ? &sends[nsends] : NULL;

	held(endpoint, FAKE_ENDPOINT, "port_send");
	if (len > PROCD_MSG_MAX)
		fake_fail("a message longer than PROCD_MSG_MAX sent", (long)len);
	if (ncaps > FAKE_SEND_CAPS)
		fake_fail("more capabilities beside one message than any reply carries", (long)ncaps);
	for (size_t i = 0; i < ncaps; i++) {
		const struct fake_obj *o = held(with[i], FAKE_NONE, "port_send (a capability sent)");

		if (o->kind == FAKE_IMAGE)
			fake_fail("image memory handed to a peer", with[i]);
		if (o->kind == FAKE_PROCESS)
			fake_fail("a process handle handed to a peer", with[i]);
	}
	if (s) {
		memset(s, 0, sizeof *s);
		s->endpoint = endpoint;
		s->ep_obj = caps[endpoint].obj;
		s->len = len;
		memcpy(s->msg, msg, len);
		nsends++;
	}
	if (should_fail(FAKE_CALL_SEND)) {
		if (s)
			s->failed = 1;
		return -1;
	}
	for (size_t i = 0; s && i < ncaps; i++) {
		procd_cap c = new_cap(caps[with[i]].obj, FAKE_HARNESS, -1);

		if (c == PROCD_NO_CAP)
			fake_fail("the capability table is full", (long)i);
		s->caps[s->ncaps++] = c;
	}
	return 0;
}

int port_watch(procd_cap cap, enum port_watch kind, uint32_t index)
{
	held(cap, FAKE_NONE, "port_watch");
	if (caps[cap].watched)
		fake_fail("a capability watched twice", cap);
	if (should_fail(FAKE_CALL_WATCH))
		return -1;
	caps[cap].watched = 1;
	caps[cap].watch_kind = (uint8_t)kind;
	caps[cap].watch_index = index;
	objs[caps[cap].obj].watcher = cap;
	return 0;
}

void port_unwatch(procd_cap cap)
{
	held(cap, FAKE_NONE, "port_unwatch");
	caps[cap].watched = 0;
}

int port_process_start(const struct port_child *spec, procd_cap *handle, int64_t *os_id)
{
	struct fake_obj *image = held(spec->image, FAKE_IMAGE, "port_process_start (its image)");
	uint32_t p;
	procd_cap h;

	if (!image->sealed)
		fake_fail("a child started from an image that is not sealed", spec->image);
	if (spec->ncaps > FAKE_CHILD_CAPS || (spec->ncaps && (!spec->slots || !spec->caps)))
		fake_fail("a child spec with more capabilities than a policy grants", (long)spec->ncaps);
	for (size_t i = 0; i < spec->ncaps; i++) {
		held(spec->caps[i], FAKE_NONE, "port_process_start (a capability for the child)");
		if (spec->slots[i] >= spec->window)
			fake_fail("a child given a slot outside its window", (long)spec->slots[i]);
		for (size_t k = 0; k < i; k++)
			if (spec->slots[k] == spec->slots[i])
				fake_fail("a child given two capabilities at one slot", (long)spec->slots[i]);
	}
	if (should_fail(FAKE_CALL_PROCESS_START))
		return -1;
	p = new_obj(FAKE_PROCESS);
	if (p == FAKE_NO_OBJ)
		return -1;
	h = new_cap(p, FAKE_PROCD, -1);
	if (h == PROCD_NO_CAP) {
		objs[p].gone = 1;
		return -1;
	}
	objs[p].state = FAKE_RUNNING;
	objs[p].image = caps[spec->image].obj;
	image->runners++;
	objs[p].window = spec->window;
	objs[p].ncaps = (uint32_t)spec->ncaps;
	for (size_t i = 0; i < spec->ncaps; i++) {
		objs[p].slots[i] = spec->slots[i];
		objs[p].cap_objs[i] = caps[spec->caps[i]].obj;
	}
	*handle = h;
	*os_id = 1000 + (int64_t)p;
	return 0;
}

int port_process_kill(procd_cap handle)
{
	struct fake_obj *o = held(handle, FAKE_PROCESS, "port_process_kill");

	if (o->state == FAKE_RUNNING)
		fake_end_process(caps[handle].obj, PROCD_EVENT_EXITED, 0);
	return 0;
}

int port_process_collect(procd_cap handle, int wait, uint32_t *kind, int32_t *code)
{
	struct fake_obj *o = held(handle, FAKE_PROCESS, "port_process_collect");

	if (o->state == FAKE_COLLECTED)
		return -1; /* waitid: no such child any more */
	if (o->state == FAKE_RUNNING) {
		if (wait)
			fake_fail("procd waits for a process nobody ended (it would hang)", handle);
		return 1;
	}
	o->state = FAKE_COLLECTED;
	*kind = o->end_kind;
	*code = o->end_code;
	return 0;
}

/* An image procd made and may still write: held, not sealed. */
static struct fake_obj *writable(procd_cap image, const char *call)
{
	struct fake_obj *o = held(image, FAKE_IMAGE, call);

	if (o->sealed) {
		fprintf(stderr, "fuzz-transfer: %s on a sealed image\n", call);
		fake_fail("sealed image memory changed", image);
	}
	return o;
}

static uint32_t staging_images(void)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < nobjs; i++)
		n += objs[i].kind == FAKE_IMAGE && !objs[i].gone && !objs[i].sealed && !objs[i].gift;
	return n;
}

procd_cap port_image_create(uint64_t size)
{
	uint32_t i;
	procd_cap c;

	if (should_fail(FAKE_CALL_IMAGE_CREATE))
		return PROCD_NO_CAP;
	i = new_image(size);
	if (i == FAKE_NO_OBJ)
		return PROCD_NO_CAP;
	c = new_cap(i, FAKE_PROCD, -1);
	if (c == PROCD_NO_CAP) {
		maybe_free(i);
		return PROCD_NO_CAP;
	}
	if (staging_limit && staging_images() > staging_limit)
		fake_fail("more staging images at once than procd may hold", (long)staging_images());
	return c;
}

int port_image_write(procd_cap image, uint64_t offset, const void *bytes, size_t len)
{
	struct fake_obj *o = writable(image, "port_image_write");

	if (offset > o->size || len > o->size - offset)
		fake_fail("an image written past its end", (long)offset);
	if (should_fail(FAKE_CALL_IMAGE_WRITE))
		return -1;
	memcpy(o->bytes + offset, bytes, len);
	return 0;
}

int port_image_zero(procd_cap image, uint64_t offset, uint64_t len)
{
	struct fake_obj *o = writable(image, "port_image_zero");

	if (offset > o->size || len > o->size - offset)
		fake_fail("an image zeroed past its end", (long)offset);
	if (should_fail(FAKE_CALL_IMAGE_ZERO))
		return -1;
	memset(o->bytes + offset, 0, (size_t)len);
	return 0;
}

int port_image_trim(procd_cap image, uint64_t size)
{
	struct fake_obj *o = writable(image, "port_image_trim");

	if (size > o->size)
		fake_fail("an image grown by port_image_trim", (long)size);
	if (should_fail(FAKE_CALL_IMAGE_TRIM))
		return -1;
	memset(o->bytes + size, 0, (size_t)(o->size - size));
	o->size = size;
	return 0;
}

int port_image_seal(procd_cap image)
{
	struct fake_obj *o = held(image, FAKE_IMAGE, "port_image_seal");

	if (o->sealed)
		return -1; /* F_SEAL_SEAL: the seals cannot change again */
	if (should_fail(FAKE_CALL_IMAGE_SEAL))
		return -1;
	o->sealed = 1;
	return 0;
}

const void *port_image_map(procd_cap image, uint64_t size)
{
	struct fake_obj *o = held(image, FAKE_IMAGE, "port_image_map");

	if (size > o->size)
		fake_fail("an image mapped past its end (reads would fault)", (long)size);
	if (should_fail(FAKE_CALL_IMAGE_MAP))
		return NULL;
	if (size == 0)
		return "";
	o->maps++;
	return o->bytes;
}

void port_image_unmap(const void *bytes, uint64_t size)
{
	if (size == 0)
		return;
	for (uint32_t i = 0; i < nobjs; i++) {
		struct fake_obj *o = &objs[i];

		if (o->kind == FAKE_IMAGE && o->bytes == bytes && o->maps > 0) {
			o->maps--;
			maybe_free(i);
			return;
		}
	}
	fake_fail("port_image_unmap of something never mapped", (long)size);
}
