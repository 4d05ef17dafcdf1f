/* SPDX-License-Identifier: ISC */
/*
 * The peers at the far ends of the helper's slots, as the launcher plays
 * them: procd (for named and deviced), named, the kernel's time, IRQ and
 * device endpoints, and the messages sent on the helper's own endpoint.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "helpers/proto.h"
#include "tests/helpers/launch.h"
#include "tools/fd_pass.h"

/* What named publishes: the slot it holds the endpoint at, as which role. */
static const struct {
	unsigned slot;
	uint32_t role;
} published[] = {
	{ SLOT_LOGD_ENDPOINT, ROLE_LOGD },
	{ SLOT_CRASHD_ENDPOINT, ROLE_CRASHD },
};

/* deviced's driver, as the launcher (playing procd) numbers it. */
#define DRIVER_PID 5u

/* ------------------------------------------------------------ the peers */

#define MAX_ATTACH 2

/* Send one record with nfds descriptors attached. */
static void send_record_fds(int fd, const void *buf, size_t len, const int *fds, size_t nfds)
{
	if (nfds > MAX_ATTACH)
		failx(2, "too many descriptors to attach");
	if (fd_pass_send(fd, buf, len, fds, nfds) != 0)
		fail("send: %s", strerror(errno));
}

static void send_record(int fd, const void *buf, size_t len, int attach)
{
	send_record_fds(fd, buf, len, &attach, attach >= 0 ? 1 : 0);
}

/* Receive one record and the descriptors that came with it, at most max:
 * any more (with max 0, any at all) are closed and the record refused. */
static size_t recv_record_fds(int fd, void *buf, size_t cap, const char *what, int *fds, size_t max,
			      size_t *nfds)
{
	int truncated;
	ssize_t n = fd_pass_receive(fd, buf, cap, fds, max, nfds, &truncated);

	if (n < 0)
		fail("waiting for %s: %s", what, strerror(errno));
	if (n == 0)
		fail("the helper closed its end without sending %s", what);
	if (truncated)
		fail("%s: oversized, or carried %scapabilities", what, max > 0 ? "too many " : "");
	return (size_t)n;
}

static size_t recv_record(int fd, void *buf, size_t cap, const char *what)
{
	size_t nfds;

	return recv_record_fds(fd, buf, cap, what, NULL, 0, &nfds);
}

/* After the helper ended: it sent nothing more on fd than was expected. */
void check_quiet(int fd, unsigned slot)
{
	struct procd_msg_header h;
	ssize_t n = recv(fd, &h, sizeof h, MSG_DONTWAIT);

	if (n > 0)
		fail("the helper sent an unexpected message on slot %u (op 0x%x)", slot,
		     (size_t)n >= sizeof h ? h.op : 0u);
}

static void check_request(const struct procd_msg_header *h, size_t n, uint32_t op, size_t size,
			  const char *what)
{
	if (n != size || h->length != n || h->op != op || h->status != 0)
		fail("%s: malformed: %zu bytes, op 0x%x, length %u, status %u (expected op 0x%x, %zu bytes)",
		     what, n, h->op, h->length, h->status, op, size);
}

void serve_exit(int ep, enum action action, int code)
{
	struct helper_exit_msg m = {
		.h = { .op = HELPER_OP_EXIT, .length = sizeof m, .tag = 1 }, .code = code,
	};

	switch (action) {
	case ACT_EOF:
		break; /* closing our end, below, is the message */
	case ACT_EXIT:
		send_record(ep, &m, sizeof m, -1);
		break;
	case ACT_MALFORMED:
		/* The header claims the EXIT length; the record is shorter. */
		send_record(ep, &m, sizeof m.h, -1);
		break;
	case ACT_CAPABILITY: {
		/* A well-formed EXIT, but with a descriptor the helper never
		 * asked for: the helper must refuse the message. */
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			fail("/dev/null: %s", strerror(errno));
		send_record(ep, &m, sizeof m, fd);
		close(fd);
		break;
	}
	}
}

void receive_probe(int fd)
{
	union {
		struct helper_probe_done_msg m;
		unsigned char raw[PROCD_MSG_MAX];
	} r;
	size_t n = recv_record(fd, &r, sizeof r, "PROBE_DONE");

	check_request(&r.m.h, n, HELPER_OP_PROBE_DONE, sizeof r.m, "PROBE_DONE");
	if (r.m.role != ROLE_PHASE0_PROBE)
		fail("PROBE_DONE from role 0x%x, expected 0x%x", r.m.role, ROLE_PHASE0_PROBE);
	printf("%s: PROBE_DONE received from role 0x%x\n", name, r.m.role);
}

void serve_request(const struct helper *h, int fd, uint32_t status, int zero_time)
{
	union {
		struct procd_msg_header h;
		struct helper_lookup_msg lookup;
		struct helper_irq_msg irq;
		unsigned char raw[PROCD_MSG_MAX];
	} q;
	struct helper_time_reply reply = { .h = { .length = sizeof reply.h } };
	size_t n = recv_record(fd, &q, sizeof q, "a request");
	static const char timed[HELPER_NAME_MAX] = "timed";

	switch (h->kind) {
	case LOOKUP:
		check_request(&q.h, n, HELPER_OP_LOOKUP, sizeof q.lookup, "LOOKUP");
		if (memcmp(q.lookup.name, timed, sizeof timed) != 0)
			fail("LOOKUP of '%.*s', expected 'timed', NUL-padded",
			     (int)sizeof q.lookup.name, q.lookup.name);
		break;
	case TIME:
		check_request(&q.h, n, HELPER_OP_TIME, sizeof q.h, "TIME");
		if (status == PROCD_OK) {
			struct timespec ts;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			reply.monotonic_ns = zero_time ? 0 :
				(uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
			reply.h.length = sizeof reply;
		}
		break;
	case IRQ:
		check_request(&q.h, n, HELPER_OP_IRQ, sizeof q.irq, "IRQ");
		if (q.irq.irq != 4)
			fail("IRQ %u requested, expected 4", q.irq.irq);
		break;
	default:
		fail("no request to serve for this helper");
	}
	reply.h.op = q.h.op;
	reply.h.tag = q.h.tag;
	reply.h.status = status;
	send_record(fd, &reply, reply.h.length, -1);
	printf("%s: served op 0x%x with status %u\n", name, q.h.op, status);
}

/* Play procd for named: for each of logd's and crashd's endpoints that
 * named holds, one PUBLISH_FOUNDATION_PEER with the role, carrying exactly
 * one descriptor, the very socket placed at that slot; answered with a
 * header of status. */
void serve_publishes(int procd, uint32_t status)
{
	for (size_t i = 0; i < sizeof published / sizeof published[0]; i++) {
		const struct placed *p = placed_at(published[i].slot);
		struct {
			struct procd_msg_header h;
			struct procd_msg_peer p;
		} q;
		union {
			struct procd_msg_header h;
			unsigned char raw[PROCD_MSG_MAX];
		} r;
		int fds[MAX_ATTACH];
		size_t nfds, n;
		struct stat st;

		if (p == NULL)
			continue; /* named does not hold it: nothing to publish */
		n = recv_record_fds(procd, &r, sizeof r, "PUBLISH_FOUNDATION_PEER", fds, MAX_ATTACH, &nfds);
		check_request(&r.h, n, PROCD_OP_PUBLISH_FOUNDATION_PEER, sizeof q, "PUBLISH_FOUNDATION_PEER");
		memcpy(&q, &r, sizeof q);
		if (q.p.role != published[i].role || q.p.reserved != 0)
			fail("PUBLISH of role 0x%x (reserved %u), expected role 0x%x", q.p.role, q.p.reserved,
			     published[i].role);
		if (nfds != 1)
			fail("PUBLISH of role 0x%x carried %zu descriptors, expected 1", q.p.role, nfds);
		if (fstat(fds[0], &st) < 0)
			fail("fstat of the published descriptor: %s", strerror(errno));
		if (st.st_dev != p->dev || st.st_ino != p->ino)
			fail("PUBLISH of role 0x%x carried another descriptor than the socket at slot %u",
			     q.p.role, published[i].slot);
		close(fds[0]);
		q.h.length = sizeof q.h;
		q.h.status = status;
		send_record(procd, &q.h, sizeof q.h, -1);
		printf("%s: PUBLISH of role 0x%x came with the socket at slot %u; answered status %u\n", name,
		       q.p.role, published[i].slot, status);
	}
}

/* Play the kernel for deviced on its query endpoint: one device, driven
 * by drv-serial. */
void serve_devices(int kernel)
{
	union {
		struct procd_msg_header h;
		unsigned char raw[PROCD_MSG_MAX];
	} r;
	size_t n = recv_record(kernel, &r, sizeof r, "DEVICES");
	struct helper_devices_reply reply = { { HELPER_OP_DEVICES, sizeof reply, 0, PROCD_OK }, 1,
					      { ROLE_DRV_SERIAL } };

	check_request(&r.h, n, HELPER_OP_DEVICES, sizeof r.h, "DEVICES");
	reply.h.tag = r.h.tag;
	send_record(kernel, &reply, sizeof reply, -1);
	printf("%s: DEVICES answered: drv-serial\n", name);
}

/* Play procd for deviced on its driver endpoint: CREATE of drv-serial,
 * answered with status (on success: the pid and two descriptors, the
 * driver's endpoint alias and its install grant); then START of that pid
 * from the role's image, answered with start_status, by which time
 * deviced must have closed the grant and must hold the alias; when the
 * start is refused, ABORT of the pid, by which time it must have closed the
 * alias too. */
void serve_driver(int procd, uint32_t status, uint32_t start_status)
{
	struct {
		struct procd_msg_header h;
		struct procd_msg_create c;
	} create;
	struct {
		struct procd_msg_header h;
		struct procd_msg_created c;
	} created = { { PROCD_OP_CREATE_STAGED_PROCESS, sizeof created, 0, PROCD_OK },
		      { DRIVER_PID, PROCD_WINDOW_THROUGH(SLOT_KERNEL_COM1_ENDPOINT) } };
	struct {
		struct procd_msg_header h;
		struct procd_msg_start s;
	} start;
	struct {
		struct procd_msg_header h;
		struct procd_msg_pid p;
	} pid_reply, abort_req;
	union {
		struct procd_msg_header h;
		unsigned char raw[PROCD_MSG_MAX];
	} r;
	int alias[2], grant[2], give[2];
	struct stat alias_st;
	char c;
	size_t n = recv_record(procd, &r, sizeof r, "CREATE_STAGED_PROCESS");

	check_request(&r.h, n, PROCD_OP_CREATE_STAGED_PROCESS, sizeof create, "CREATE_STAGED_PROCESS");
	memcpy(&create, &r, sizeof create);
	if (create.c.role != ROLE_DRV_SERIAL || create.c.reserved != 0)
		fail("CREATE of role 0x%x (reserved %u), expected drv-serial (0x%x)", create.c.role,
		     create.c.reserved, ROLE_DRV_SERIAL);
	if (status != PROCD_OK) {
		struct procd_msg_header refusal = { create.h.op, sizeof refusal, create.h.tag, status };

		send_record(procd, &refusal, sizeof refusal, -1);
		printf("%s: CREATE of drv-serial refused with status %u\n", name, status);
		return;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, alias) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, grant) < 0)
		fail("socketpair: %s", strerror(errno));
	if (fstat(alias[1], &alias_st) < 0)
		fail("fstat: %s", strerror(errno));
	created.h.tag = create.h.tag;
	give[0] = alias[1];
	give[1] = grant[1];
	send_record_fds(procd, &created, sizeof created, give, 2);
	close(alias[1]);
	close(grant[1]);
	printf("%s: CREATE of drv-serial answered: pid %u, alias and grant attached\n", name, DRIVER_PID);

	n = recv_record(procd, &r, sizeof r, "START_STAGED_PROCESS");
	check_request(&r.h, n, PROCD_OP_START_STAGED_PROCESS, sizeof start, "START_STAGED_PROCESS");
	memcpy(&start, &r, sizeof start);
	if (start.s.pid != DRIVER_PID || start.s.image_module != PROCD_IMAGE_OF_ROLE)
		fail("START of pid %u from module 0x%x, expected pid %u from PROCD_IMAGE_OF_ROLE", start.s.pid,
		     start.s.image_module, DRIVER_PID);
	/* The grant's far end is gone (end of file, nothing queued); the
	 * helper holds its placed descriptors and the alias. */
	if (recv(grant[0], &c, 1, MSG_DONTWAIT) != 0)
		fail("deviced still holds the install grant when it starts the driver");
	check_fds(&alias_st);
	printf("%s: START of pid %u from the role's image; deviced closed the grant, holds the alias\n",
	       name, DRIVER_PID);
	pid_reply.h = (struct procd_msg_header){ start.h.op, sizeof pid_reply, start.h.tag, start_status };
	pid_reply.p = (struct procd_msg_pid){ DRIVER_PID, 0 };
	if (start_status != PROCD_OK)
		pid_reply.h.length = sizeof pid_reply.h;
	send_record(procd, &pid_reply, pid_reply.h.length, -1);

	if (start_status != PROCD_OK) {
		n = recv_record(procd, &r, sizeof r, "ABORT_STAGED_PROCESS");
		check_request(&r.h, n, PROCD_OP_ABORT_STAGED_PROCESS, sizeof abort_req, "ABORT_STAGED_PROCESS");
		memcpy(&abort_req, &r, sizeof abort_req);
		if (abort_req.p.pid != DRIVER_PID || abort_req.p.reserved != 0)
			fail("ABORT of pid %u (reserved %u), expected pid %u", abort_req.p.pid,
			     abort_req.p.reserved, DRIVER_PID);
		if (recv(alias[0], &c, 1, MSG_DONTWAIT) != 0)
			fail("deviced still holds the alias of a driver that did not start");
		check_fds(NULL);
		pid_reply.h = (struct procd_msg_header){ abort_req.h.op, sizeof pid_reply, abort_req.h.tag,
							 PROCD_OK };
		send_record(procd, &pid_reply, sizeof pid_reply, -1);
		printf("%s: ABORT of pid %u after the refused START; deviced dropped the alias\n", name,
		       DRIVER_PID);
	}
	close(grant[0]);
	close(alias[0]);
}

/* The messages -L, -c, -q and -r send on the helper's own endpoint. */
void send_steps(const struct step *steps, size_t nsteps, int self, int procd, uint32_t status)
{
	for (size_t i = 0; i < nsteps; i++) {
		const char *arg = steps[i].arg;

		switch (steps[i].opt) {
		case 'L': {
			struct {
				struct procd_msg_header h;
				char text[PROCD_MSG_MAX - sizeof(struct procd_msg_header)];
			} m;
			size_t len = strlen(arg);

			if (len > sizeof m.text)
				failx(2, "-L: text longer than %zu bytes", sizeof m.text);
			m.h = (struct procd_msg_header){ PROCD_PEER_LOG, (uint32_t)(sizeof m.h + len), 0, 0 };
			memcpy(m.text, arg, len);
			send_record(self, &m, m.h.length, -1);
			break;
		}
		case 'c': {
			struct {
				struct procd_msg_header h;
				struct procd_msg_crash c;
			} m = { { PROCD_PEER_CRASH, sizeof m, 0, 0 }, { 7, ROLE_TIMED, 99, 0 } };

			if (arg[0] == '\0' || arg[1] != ':')
				failx(2, "-c %s: expected KIND:CODE", arg);
			if (arg[0] == 'f')
				m.c.kind = PROCD_EVENT_FAULTED;
			else if (arg[0] == 'k')
				m.c.kind = PROCD_EVENT_KILLED;
			m.c.code = number(arg + 2, 0, 255, "-c");
			send_record(self, &m, sizeof m, -1);
			break;
		}
		case 'q': {
			struct helper_lookup_msg m = { .h = { HELPER_OP_LOOKUP, sizeof m, (uint32_t)i + 100, 0 } };
			struct procd_msg_header reply;
			size_t len = strlen(arg), n;

			if (len > sizeof m.name)
				failx(2, "-q: name longer than %zu bytes", sizeof m.name);
			memcpy(m.name, arg, len);
			send_record(self, &m, sizeof m, -1);
			n = recv_record(self, &reply, sizeof reply, "the LOOKUP reply");
			if (n != sizeof reply || reply.length != n || reply.op != HELPER_OP_LOOKUP ||
			    reply.tag != m.h.tag)
				fail("LOOKUP reply: %zu bytes, op 0x%x, length %u, tag %u", n, reply.op,
				     reply.length, reply.tag);
			printf("%s: LOOKUP of %s answered status %u\n", name, arg, reply.status);
			break;
		}
		case 'r': {
			struct procd_msg_header m = { HELPER_OP_REPUBLISH, sizeof m, 0, 0 };

			send_record(self, &m, sizeof m, -1);
			if (procd >= 0)
				serve_publishes(procd, status);
			break;
		}
		}
	}
}
