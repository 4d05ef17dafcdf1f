/* SPDX-License-Identifier: ISC */
/*
 * deviced (stand-in): device management reduced to starting drivers.
 * Which drivers run is deviced's decision, made from the devices the kernel
 * reports: it asks on its kernel query endpoint (SLOT_KERNEL_LOG_ENDPOINT,
 * 2272) with HELPER_OP_DEVICES and gets the driver role of each device
 * (hosted, procd-boot answers from the manifest's `driver` lines). Then
 * procd's driver-lifecycle endpoint (its alias at SLOT_PROCD_DRIVER_ENDPOINT,
 * 2112, minted by procd) is how it asks for each:
 *
 *   CREATE_STAGED_PROCESS {role}
 *     -> procd_msg_created {pid, window} + [the child's endpoint alias,
 *        its install grant]
 *   (closes the grant: it installs nothing; procd installs the driver's
 *    own endpoint itself)
 *   START_STAGED_PROCESS {pid, PROCD_IMAGE_OF_ROLE} -> procd_msg_pid
 *   (if procd refuses the start: ABORT_STAGED_PROCESS {pid}, so no staged
 *    record is left behind)
 *
 *   deviced: driver drv-serial started as pid 5
 *   deviced: driver role 0x42 started as pid 6   (a role the ABI has no name for)
 *
 * It keeps each driver's endpoint alias for as long as it runs (a driver
 * serves deviced alone), then serves its own endpoint like phase0-exit.
 * Without slot 2112 it says so and exits 2; without the query endpoint it
 * says so and starts no driver.
 */
#include "helpers/helper.h"

#define NAME "deviced"
#define SLOT SLOT_PROCD_DRIVER_ENDPOINT

struct created_reply {
	struct procd_msg_header h;
	struct procd_msg_created c;
};

_Static_assert(sizeof(struct procd_msg_start) == 8 && sizeof(struct procd_msg_pid) == 8,
	       "START and ABORT bodies are 8 bytes");

static void close_all(const int caps[], unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		rt_close(caps[i]);
}

/* CREATE_STAGED_PROCESS of role: PROCD_OK with the pid and the two
 * capabilities in caps ([0] alias, [1] grant), or procd's refusal, or
 * PROCD_E_IO when the exchange itself failed (reported). Nothing received
 * is kept on failure. */
static uint32_t create(uint32_t role, uint32_t *pid, int caps[2])
{
	struct {
		struct procd_msg_header h;
		struct procd_msg_create c;
	} req = { { PROCD_OP_CREATE_STAGED_PROCESS, sizeof req, 1, 0 }, { role, 0 } };
	union {
		struct created_reply m;
		unsigned char raw[PROCD_MSG_MAX];
	} r;
	int got[2], flags;
	unsigned ncaps;
	long n;

	n = rt_send(SLOT, &req, sizeof req);
	if (n != (long)sizeof req) {
		rt_say(NAME ": send on slot %u failed: %d\n", SLOT, (int)n);
		return PROCD_E_IO;
	}
	n = rt_recv_caps(SLOT, &r, sizeof r, &flags, got, 2, &ncaps);
	if (n <= 0) {
		rt_say(NAME ": no reply on slot %u: %s %d\n", SLOT, n == 0 ? "peer closed" : "errno", (int)-n);
		return PROCD_E_IO;
	}
	/* Exactly the created reply with exactly two capabilities, or a
	 * refusal: a header with a status and nothing attached. */
	if (!(flags & (RT_MSG_TRUNC | RT_MSG_CTRUNC)) && (size_t)n >= sizeof r.m.h &&
	    r.m.h.length == (uint32_t)n && r.m.h.op == req.h.op && r.m.h.tag == req.h.tag) {
		if (n == sizeof r.m && r.m.h.status == PROCD_OK && ncaps == 2) {
			*pid = r.m.c.pid;
			caps[0] = got[0];
			caps[1] = got[1];
			return PROCD_OK;
		}
		if (n == sizeof r.m.h && r.m.h.status != PROCD_OK && ncaps == 0)
			return r.m.h.status;
	}
	rt_say(NAME ": malformed reply on slot %u: %d bytes, status %u, %u capabilities, flags 0x%x\n", SLOT,
	       (int)n, (size_t)n >= sizeof r.m.h ? r.m.h.status : 0u, ncaps, (unsigned)flags);
	close_all(got, ncaps);
	return PROCD_E_IO;
}

/* One request whose body is 8 bytes (START's procd_msg_start, ABORT's
 * procd_msg_pid), answered with procd_msg_pid: procd's status, or
 * PROCD_E_IO when the exchange failed (reported). */
static uint32_t call8(uint32_t op, uint32_t tag, const void *body)
{
	struct {
		struct procd_msg_header h;
		unsigned char body[8];
	} req = { { op, sizeof req, tag, 0 }, { 0 } };
	struct {
		struct procd_msg_header h;
		struct procd_msg_pid p;
	} reply;

	memcpy(req.body, body, sizeof req.body);
	if (helper_call(NAME, SLOT, &req, &reply, sizeof reply) != HELPER_EXIT_OK)
		return PROCD_E_IO;
	return reply.h.status;
}

/* The driver roles of the devices the kernel reports: how many (at most
 * HELPER_DEVICES_MAX) in roles, or 0 when it cannot be asked. */
static unsigned devices(uint32_t roles[HELPER_DEVICES_MAX])
{
	struct procd_msg_header req = { HELPER_OP_DEVICES, sizeof req, 4, 0 };
	struct helper_devices_reply reply;

	if (!rt_fd_open((int)SLOT_KERNEL_LOG_ENDPOINT)) {
		rt_say(NAME ": no kernel query endpoint at slot %u: no devices to drive\n", SLOT_KERNEL_LOG_ENDPOINT);
		return 0;
	}
	if (helper_call(NAME, SLOT_KERNEL_LOG_ENDPOINT, &req, &reply, sizeof reply) != HELPER_EXIT_OK)
		return 0;
	if (reply.h.status != PROCD_OK || reply.count > HELPER_DEVICES_MAX) {
		rt_say(NAME ": the kernel reported no devices: status %u, count %u\n", reply.h.status, reply.count);
		return 0;
	}
	memcpy(roles, reply.roles, sizeof reply.roles);
	return reply.count;
}

/* Stages and starts one driver; its endpoint alias is kept. */
static void start_driver(uint32_t role)
{
	uint32_t pid = 0, status;
	int caps[2];
	char id[24];
	const char *driver = helper_role_label(id, sizeof id, role);

	status = create(role, &pid, caps);
	if (status != PROCD_OK) {
		rt_say(NAME ": procd did not create driver %s: status %u\n", driver, status);
		return;
	}
	/* Nothing to install: the grant goes. The alias stays. */
	rt_close(caps[1]);
	struct procd_msg_start start = { pid, PROCD_IMAGE_OF_ROLE };

	status = call8(PROCD_OP_START_STAGED_PROCESS, 2, &start);
	if (status == PROCD_OK) {
		rt_say(NAME ": driver %s started as pid %u\n", driver, pid);
		return;
	}
	rt_say(NAME ": procd did not start driver %s (pid %u): status %u\n", driver, pid, status);
	rt_close(caps[0]);
	struct procd_msg_pid abort = { pid, 0 };

	status = call8(PROCD_OP_ABORT_STAGED_PROCESS, 3, &abort);
	rt_say(NAME ": abort of pid %u: status %u\n", pid, status);
}

int helper_main(void)
{
	uint32_t roles[HELPER_DEVICES_MAX];
	unsigned n;

	if (!rt_fd_open((int)SLOT)) {
		rt_say(NAME ": no procd driver endpoint at slot %u\n", SLOT);
		return HELPER_EXIT_NO_SLOT;
	}
	n = devices(roles);
	for (unsigned i = 0; i < n; i++)
		start_driver(roles[i]);
	return helper_serve_exit(NAME);
}
