/* SPDX-License-Identifier: ISC */
/*
 * Fault injection, for tests that prove every failure path cleans up.
 * Only builds configured with --enable-fault-injection contain the hooks;
 * elsewhere PROCD_FAULT() is the constant 0 and the compiler removes the
 * failure branch it guards, so release binaries carry no trace of it.
 */
#ifndef PROCD_CORE_FAULT_H
#define PROCD_CORE_FAULT_H

/* Each point names a step whose failure a test can force. */
enum procd_fault_point {
	PROCD_FAULT_REGISTRY_INDEX,
	/* A loader materialization failing after each of its steps
	 * (Phase 4.7.10): everything procd built must be taken back. */
	PROCD_FAULT_LOADER_AFTER_TRANSFER,
	PROCD_FAULT_LOADER_AFTER_CHILD,
	PROCD_FAULT_LOADER_AFTER_FRAMES,
	PROCD_FAULT_LOADER_PARTIAL_MAP,
	PROCD_FAULT_LOADER_PARTIAL_COPY,
	PROCD_FAULT_LOADER_AFTER_EVENTS,
	PROCD_FAULT_POINT_COUNT
};

#ifdef PROCD_FAULT_INJECTION
/* The name of a point, as tests spell it ("registry-index"). */
const char *procd_fault_name(enum procd_fault_point point);
/* Arms `point` to fail on its `nth` hit (1 = the next one). */
void procd_fault_arm(enum procd_fault_point point, unsigned nth);
/* Whether this hit of `point` fails. */
int procd_fault_hit(enum procd_fault_point point);
#define PROCD_FAULT(point) procd_fault_hit(point)
#else
#define PROCD_FAULT(point) 0
#endif

#endif
