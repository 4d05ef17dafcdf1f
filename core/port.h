/* SPDX-License-Identifier: ISC */
/*
 * The port interface: everything core/ needs from the platform below it.
 * core/, roles/ and policies/ reach the OS only through these functions;
 * core/port/<platform>/ implements them (hosted Linux, or bare EriX).
 *
 * A capability is a procd_cap: hosted, a file descriptor; on EriX, a slot
 * in procd's CSpace. Every function that takes a capability's ownership
 * says so; all others borrow.
 */
#ifndef PROCD_CORE_PORT_H
#define PROCD_CORE_PORT_H

#include <stddef.h>
#include <stdint.h>

typedef int procd_cap;
#define PROCD_NO_CAP (-1)

/* Writes one line to procd's log; `line` has no trailing newline. */
void port_log_line(const char *line, size_t len);

/* Milliseconds on a clock that never goes back. */
uint64_t port_now_ms(void);

/* QUERY_LOCAL_CAP: what `cap` is in procd's own CSpace (PROCD_CAP_*). */
uint32_t port_cap_kind(procd_cap cap);

/*
 * Whether procd holds any capability outside `declared` (besides what the
 * platform always gives a process: hosted, stdio). Writes the first such
 * slot to *residual. Run once, at startup.
 */
int port_has_residual_caps(const procd_cap *declared, size_t n, procd_cap *residual);

/* A new endpoint: procd keeps *server and hands *client out as an alias. */
int port_endpoint_pair(procd_cap *server, procd_cap *client);

/* Whether a and b are holds on the same object (the same endpoint alias,
 * however it travelled). */
int port_cap_same(procd_cap a, procd_cap b);

/* A second hold on the capability procd holds at `cap`, or PROCD_NO_CAP. */
procd_cap port_cap_dup(procd_cap cap);

/* Drops procd's hold on `cap` (takes ownership). PROCD_NO_CAP is ignored. */
void port_cap_drop(procd_cap cap);

/*
 * Sends one message on an endpoint, with `ncaps` capabilities beside it.
 * Never blocks: a peer that does not read gets an error, not procd's time.
 * The capabilities stay procd's; the caller drops them if it is done.
 */
int port_send(procd_cap endpoint, const void *msg, size_t len, const procd_cap *caps, size_t ncaps);

/* What the request loop watches, and the index core gave it. */
enum port_watch {
	PORT_WATCH_ENDPOINT, /* requests arrive: procd_on_endpoint_message */
	PORT_WATCH_GRANT,    /* installs arrive: procd_on_grant_message */
	PORT_WATCH_PROCESS,  /* the process ended: procd_on_process_end */
};

int port_watch(procd_cap cap, enum port_watch kind, uint32_t index);
void port_unwatch(procd_cap cap);

/* How a child starts: its image, its window, and its CSpace. */
struct port_child {
	procd_cap image;
	uint32_t window;      /* the child sees slots [0, window) */
	size_t ncaps;
	const uint32_t *slots; /* slots[i] receives caps[i] */
	const procd_cap *caps;
};

/*
 * Creates and starts a child that holds exactly `spec`'s capabilities, with
 * empty argv and environment. On success *handle is procd's handle on it
 * (hosted: a pidfd) and *os_id the platform's id for it (for logs).
 */
int port_process_start(const struct port_child *spec, procd_cap *handle, int64_t *os_id);

/* Ends the child at once (hosted: SIGKILL). */
int port_process_kill(procd_cap handle);

/*
 * Collects how the child ended: *kind is PROCD_EVENT_EXITED (code: status),
 * PROCD_EVENT_FAULTED or PROCD_EVENT_KILLED (code: signal). With `wait`
 * unset, returns 1 if it has not ended yet. Returns 0 once collected, -1
 * on error.
 */
int port_process_collect(procd_cap handle, int wait, uint32_t *kind, int32_t *code);

/*
 * Image memory procd alone holds (hosted: a memfd). Created empty (zero
 * filled) at `size` bytes; written by procd only; sealed before any child
 * runs from it, so that nobody (procd included) can change it after.
 */
procd_cap port_image_create(uint64_t size);
int port_image_write(procd_cap image, uint64_t offset, const void *bytes, size_t len);
/* Zeroes [offset, offset+len), and cuts the image to `size` bytes. */
int port_image_zero(procd_cap image, uint64_t offset, uint64_t len);
int port_image_trim(procd_cap image, uint64_t size);
int port_image_seal(procd_cap image);
/* Read access to an image's bytes, for validation; NULL on failure. */
const void *port_image_map(procd_cap image, uint64_t size);
void port_image_unmap(const void *bytes, uint64_t size);

#endif
