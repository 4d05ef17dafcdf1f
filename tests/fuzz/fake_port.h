/* SPDX-License-Identifier: ISC */
/*
 * An in-memory port (every function of core/port.h) for the transfer fuzz
 * target (tests/fuzz/fuzz-transfer.c): core runs unchanged on top of it, in
 * one process, with no descriptor, socket, memfd or child of the host.
 *
 * A capability is a small integer naming an entry of one fixed table; the
 * entry says who holds it (procd, or the harness playing rootd and loaderd)
 * and which object it names. Objects are endpoints (made in pairs), images
 * (a bounded byte buffer each, with a seal) and processes (started from a
 * spec, running until killed or ended by the harness, then collected).
 * Objects are numbered in creation order and never reused within one run,
 * so the harness can tell what one call created.
 *
 * The fake is also a witness: a misuse of the port that a real platform
 * would turn into a leak, a double close, a zombie, a hang or a write into
 * sealed memory aborts at once, naming it (fake_fail). Among them: using or
 * dropping a capability procd does not hold; dropping a process handle
 * before collecting the process; waiting for a process nobody ended;
 * writing, zeroing or growing an image after its seal, or past its end;
 * starting a child from an unsealed image; handing an image or a process
 * handle to a peer; watching a capability twice; holding more staging
 * images at once than the harness allows.
 *
 * Platform refusals are the harness's to choose: fake_arm makes the nth
 * next call of one kind fail the way the platform would report it.
 */
#ifndef PROCD_TESTS_FAKE_PORT_H
#define PROCD_TESTS_FAKE_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/abi/procd_msg.h"
#include "core/port.h"

#define FAKE_CAPS         2400u /* capability numbers 0..FAKE_CAPS-1 (slot 2288 included) */
#define FAKE_OBJS         4096u /* objects one run may create */
#define FAKE_NO_OBJ       UINT32_MAX
#define FAKE_IMAGE_MAX    (1u << 20)  /* bytes in one image: larger ones are refused */
#define FAKE_IMAGE_BUDGET (48u << 20) /* bytes in all live images together */
#define FAKE_CHILD_CAPS   16u
#define FAKE_SEND_CAPS    8u
#define FAKE_SENDS        16u /* sends remembered since fake_sends_clear */

enum fake_holder { FAKE_NOBODY, FAKE_PROCD, FAKE_HARNESS };
enum fake_kind { FAKE_NONE, FAKE_ENDPOINT, FAKE_IMAGE, FAKE_PROCESS };
enum fake_pstate { FAKE_RUNNING = 1, FAKE_ENDED, FAKE_COLLECTED };

/* The calls a harness can make fail (fake_arm). */
enum fake_call {
	FAKE_CALL_ENDPOINT_PAIR,
	FAKE_CALL_CAP_DUP,
	FAKE_CALL_SEND,
	FAKE_CALL_WATCH,
	FAKE_CALL_PROCESS_START,
	FAKE_CALL_IMAGE_CREATE,
	FAKE_CALL_IMAGE_WRITE,
	FAKE_CALL_IMAGE_ZERO,
	FAKE_CALL_IMAGE_TRIM,
	FAKE_CALL_IMAGE_SEAL,
	FAKE_CALL_IMAGE_MAP,
	FAKE_CALLS
};

struct fake_obj {
	uint8_t kind;    /* enum fake_kind; FAKE_NONE: never created */
	uint8_t gone;    /* freed: no hold, no map, no runner left */
	uint8_t gift;    /* made by the harness to attach to a request */
	uint32_t holds;  /* capabilities naming it, whoever holds them */
	/* FAKE_ENDPOINT */
	uint32_t peer;   /* the other end, or FAKE_NO_OBJ */
	/* FAKE_IMAGE */
	unsigned char *bytes;
	uint64_t size;   /* current size; bytes[size..alloc) are zero */
	uint64_t alloc;
	uint8_t sealed;
	uint8_t module;  /* a boot module rootd placed (sealed from the start) */
	uint32_t maps;   /* port_image_map not yet unmapped */
	uint32_t runners; /* processes running from it */
	procd_cap watcher; /* the capability on it procd watches, if any */
	/* FAKE_PROCESS */
	uint8_t state;   /* enum fake_pstate */
	uint32_t end_kind;
	int32_t end_code;
	uint32_t image;  /* the image object it runs */
	uint32_t window;
	uint32_t ncaps;
	uint32_t slots[FAKE_CHILD_CAPS];
	uint32_t cap_objs[FAKE_CHILD_CAPS]; /* the objects at those slots */
};

struct fake_cap {
	uint8_t holder;  /* enum fake_holder */
	uint8_t watched;
	uint8_t watch_kind; /* enum port_watch */
	uint32_t watch_index;
	uint32_t obj;
};

/* One port_send, as the peer would have received it. */
struct fake_send {
	procd_cap endpoint;  /* procd's capability it went out on */
	uint32_t ep_obj;
	int failed;          /* the platform refused it (armed); procd saw -1 */
	size_t len;
	unsigned char msg[PROCD_MSG_MAX];
	size_t ncaps;
	procd_cap caps[FAKE_SEND_CAPS]; /* the harness's holds on what came with it */
};

/* Frees everything; capabilities, objects, clock and arming start over. */
void fake_reset(void);

/* Remembers the whole state (a started procd's intake and children, with
 * their images' bytes); fake_restore puts it back exactly, after freeing
 * whatever exists then. The harness starts procd once and restores that
 * state (and procd's own) for each input, instead of starting it again. */
void fake_save(void);
void fake_restore(void);

/* rootd's intake for procd: an endpoint pair with procd's end at slot
 * `at` and the harness's wherever it lands (*peer); a sealed boot module
 * image at `at`. Return `at`, or PROCD_NO_CAP if it is taken. */
procd_cap fake_place_endpoint(procd_cap at, procd_cap *peer);
procd_cap fake_place_image(procd_cap at, const void *bytes, size_t len);

/*
 * rootd's whole intake for a procd on this port, placed as rootd would:
 * the bootstrap endpoint at `bootstrap`, the driver endpoint at 2112, the
 * process control at 2288, and boot module i, named names[i] (its image
 * bytes: the name), at SLOT_BOOT_MODULE_BASE + i; and the startup
 * envelope naming them, in env[0..size). Returns the envelope's length, or
 * 0 if anything could not be placed or does not fit.
 */
size_t fake_intake(procd_cap bootstrap, const char *const names[], size_t n, void *env, size_t size);

/* A fresh object procd holds, as if it had just arrived beside a request:
 * a lone endpoint, or a small unsealed image. */
procd_cap fake_gift(enum fake_kind kind);

/* The clock port_now_ms reads. */
void fake_set_now(uint64_t ms);
uint64_t fake_now(void);

/* The nth next call of `call` (1: the next one) fails; one arming per
 * kind. fake_fired counts the failures delivered since fake_reset. */
void fake_arm(enum fake_call call, unsigned nth);
void fake_disarm(void);
unsigned fake_fired(void);

/* The harness's staging limit: at most this many unsealed images procd
 * made (not gifts, not boot modules) may exist at once. 0: none checked. */
void fake_set_staging_limit(unsigned n);

/* Whether an image of `size` bytes could be created now (within
 * FAKE_IMAGE_MAX, the budget and the object table). */
int fake_image_fits(uint64_t size);

/* Ends a running process (exit or signal), as the platform would see it. */
void fake_end_process(uint32_t obj, uint32_t kind, int32_t code);

/* Inspection. */
const struct fake_obj *fake_obj(uint32_t obj);
uint32_t fake_nobjs(void);                 /* objects created so far */
const struct fake_cap *fake_cap(procd_cap cap); /* NULL outside the table */
procd_cap fake_cap_end(void);              /* one past the highest number used */
uint32_t fake_obj_of(procd_cap cap);       /* FAKE_NO_OBJ if no hold */
/* The index procd watches obj under (a capability procd holds on obj,
 * watched as `kind`): 0 and *index, or -1. */
int fake_watch_of(uint32_t obj, enum port_watch kind, uint32_t *index);

/* Forgets the sends so far, and drops the harness's holds on what came
 * with them. */
void fake_sends_clear(void);
size_t fake_nsends(void);
const struct fake_send *fake_send_at(size_t i);

/* Lines procd logged so far, and the last of them. */
unsigned long fake_log_lines(void);
const char *fake_last_log_line(void);

/* Log lines go to stderr when set (PROCD_FUZZ_TRACE). */
void fake_set_trace(int on);

/* Reports a violation and aborts (libFuzzer: a finding; replay: a failure). */
void fake_fail(const char *what, long detail) __attribute__((noreturn));

#endif
