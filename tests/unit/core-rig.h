/* SPDX-License-Identifier: ISC */
/*
 * The core on the in-memory port, for the Check suites that drive it
 * (check-core, check-dispatch, check-startup): procd started afresh from
 * rootd's intake, requests put to it through the entry points the
 * platform loop calls, and the replies the fake port saw going out.
 */
#ifndef PROCD_TESTS_CORE_RIG_H
#define PROCD_TESTS_CORE_RIG_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "core/abi/procd_msg.h"
#include "core/daemon.h"
#include "tests/fuzz/fake_port.h"

#define BOOTSTRAP_SLOT 100
#define EP_BOOTSTRAP   0u /* procd's endpoint entries for its two intake endpoints */
#define EP_DRIVER      1u

/* The boot modules of the intake, by index. */
#define MODULE_EXIT    0u
#define MODULE_DEVICED 1u
#define MODULE_SERIAL  2u

/* The procd under test (Check forks per test: each starts afresh). */
extern struct procd d;

/* The intake rig_start uses: the envelope's bytes and length. */
size_t rig_intake(unsigned char *env, size_t size);
void start_procd(void);

/* One request on endpoint entry ep; the reply's status, its body in
 * *out (if asked) and the capabilities it carried. */
struct reply {
	uint32_t status;
	unsigned char body[PROCD_MSG_MAX];
	size_t len;
	size_t ncaps;
	procd_cap caps[FAKE_SEND_CAPS];
};

/* A reply to the last request sent, matched by its tag and op;
 * UINT32_MAX if none went out (a parked WAIT). */
uint32_t rig_reply_to(const struct procd_msg_header *h, struct reply *out);
uint32_t request_caps(uint32_t ep, uint32_t op, const void *body, size_t len, const procd_cap *caps,
		      size_t ncaps, struct reply *out);
uint32_t request(uint32_t ep, uint32_t op, const void *body, size_t len, struct reply *out);
uint32_t create(uint32_t ep, uint32_t role, uint32_t *pid);
uint32_t pid_op(uint32_t ep, uint32_t op, uint32_t pid);
uint32_t index_of(uint32_t pid);
/* An install on pid's grant: `cap` at slot (PROCD_NO_CAP: nothing). */
uint32_t install(uint32_t pid, uint32_t slot, procd_cap cap);
/* deviced, staged by rootd with procd's driver alias minted at 2112 and
 * started: the endpoint entry of that alias, to speak as deviced. */
uint32_t deviced_driver_alias(void);
unsigned live_processes(void);
/* phase0-exit, spawned by rootd from its own module and running. */
uint32_t spawn_exit(void);
/* The fake-port object of pid's running instance. */
uint32_t running_obj_of(uint32_t pid);
/* Capabilities procd holds on the fake port now. */
unsigned procd_holds(void);

/* Runs suites[0..n) forking per test; main's exit status. */
int rig_run(Suite *const suites[], size_t n);

#endif
