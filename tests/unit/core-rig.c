/* SPDX-License-Identifier: ISC */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi/procd_ops.h"
#include "core/abi/procd_status.h"
#include "core/proc.h"
#include "tests/unit/core-rig.h"

struct procd d;

static const char *const module_names[] = { "phase0-exit", "deviced", "drv-serial", "timed", "named" };
#define NMODULES (sizeof module_names / sizeof module_names[0])

size_t rig_intake(unsigned char *env, size_t size)
{
	size_t len;

	fake_reset();
	fake_set_now(1000);
	len = fake_intake(BOOTSTRAP_SLOT, module_names, NMODULES, env, size);
	ck_assert_uint_ne(len, 0);
	return len;
}

void start_procd(void)
{
	unsigned char env[1024];
	size_t len = rig_intake(env, sizeof env);

	ck_assert_int_eq(procd_init(&d, env, len), 0);
}

uint32_t rig_reply_to(const struct procd_msg_header *h, struct reply *out)
{
	for (size_t i = 0; i < fake_nsends(); i++) {
		const struct fake_send *s = fake_send_at(i);
		struct procd_msg_header r;

		memcpy(&r, s->msg, sizeof r);
		if (r.tag != h->tag || r.op != h->op)
			continue;
		out->status = r.status;
		out->len = s->len - sizeof r;
		memcpy(out->body, s->msg + sizeof r, out->len);
		out->ncaps = s->ncaps;
		memcpy(out->caps, s->caps, sizeof out->caps);
		return r.status;
	}
	return UINT32_MAX;
}

uint32_t request_caps(uint32_t ep, uint32_t op, const void *body, size_t len, const procd_cap *caps,
		      size_t ncaps, struct reply *out)
{
	static uint32_t tag;
	unsigned char msg[PROCD_MSG_MAX];
	struct procd_msg_header h = { .op = op, .length = (uint32_t)(sizeof h + len), .tag = ++tag };
	struct reply scratch;

	if (!out)
		out = &scratch;
	memset(out, 0, sizeof *out);
	memcpy(msg, &h, sizeof h);
	memcpy(msg + sizeof h, body, len);
	fake_sends_clear();
	procd_on_endpoint_message(&d, ep, msg, sizeof h + len, caps, ncaps, 0);
	return rig_reply_to(&h, out);
}

uint32_t request(uint32_t ep, uint32_t op, const void *body, size_t len, struct reply *out)
{
	return request_caps(ep, op, body, len, 0, 0, out);
}

uint32_t create(uint32_t ep, uint32_t role, uint32_t *pid)
{
	struct procd_msg_create m = { .role = role };
	struct reply r;
	struct procd_msg_created c;

	if (request(ep, PROCD_OP_CREATE_STAGED_PROCESS, &m, sizeof m, &r) != PROCD_OK)
		return r.status;
	memcpy(&c, r.body, sizeof c);
	*pid = c.pid;
	return PROCD_OK;
}

uint32_t pid_op(uint32_t ep, uint32_t op, uint32_t pid)
{
	struct procd_msg_pid m = { .pid = pid };

	return request(ep, op, &m, sizeof m, 0);
}

uint32_t index_of(uint32_t pid)
{
	return (pid - 1) % PROCD_MAX_PROCESSES;
}

uint32_t install(uint32_t pid, uint32_t slot, procd_cap cap)
{
	unsigned char msg[sizeof(struct procd_msg_header) + sizeof(struct procd_msg_install)];
	struct procd_msg_header h = { .op = PROCD_GRANT_INSTALL, .length = sizeof msg };
	struct procd_msg_install m = { .slot = slot };
	struct procd_msg_header r;
	const struct fake_send *s;

	memcpy(msg, &h, sizeof h);
	memcpy(msg + sizeof h, &m, sizeof m);
	fake_sends_clear();
	procd_on_grant_message(&d, index_of(pid), msg, sizeof msg, &cap, cap == PROCD_NO_CAP ? 0 : 1, 0);
	ck_assert_uint_ge(fake_nsends(), 1);
	s = fake_send_at(fake_nsends() - 1);
	memcpy(&r, s->msg, sizeof r);
	return r.status;
}

uint32_t deviced_driver_alias(void)
{
	struct procd_msg_start st = { .pid = 0, .image_module = PROCD_IMAGE_OF_ROLE };
	uint32_t pid;

	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_DEVICED, &pid), PROCD_OK);
	ck_assert_uint_eq(install(pid, SLOT_PROCD_DRIVER_ENDPOINT, PROCD_NO_CAP), PROCD_OK);
	st.pid = pid;
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_START_STAGED_PROCESS, &st, sizeof st, 0), PROCD_OK);
	return 2u + PROCD_MINTED_KINDS * index_of(pid) + 1u;
}

unsigned live_processes(void)
{
	unsigned n = 0;

	for (uint32_t i = 0; i < fake_nobjs(); i++)
		n += fake_obj(i)->kind == FAKE_PROCESS && fake_obj(i)->state == FAKE_RUNNING;
	return n;
}

uint32_t spawn_exit(void)
{
	struct procd_msg_spawn m = { .role = ROLE_PHASE0_EXIT, .image_module = MODULE_EXIT };
	struct procd_msg_pid out;
	struct reply r;

	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_SPAWN_SERVICE, &m, sizeof m, &r), PROCD_OK);
	memcpy(&out, r.body, sizeof out);
	return out.pid;
}

uint32_t running_obj_of(uint32_t pid)
{
	const struct procd_proc *p = &d.table.procs[index_of(pid)];

	ck_assert_int_ne(p->handle, PROCD_NO_CAP);
	return fake_obj_of(p->handle);
}

unsigned procd_holds(void)
{
	unsigned n = 0;

	for (procd_cap c = 0; c < fake_cap_end(); c++)
		n += fake_cap(c)->holder == FAKE_PROCD;
	return n;
}

int rig_run(Suite *const suites[], size_t n)
{
	SRunner *sr = srunner_create(suites[0]);
	int failed;

	for (size_t i = 1; i < n; i++)
		srunner_add_suite(sr, suites[i]);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
