/* SPDX-License-Identifier: ISC */
/*
 * The request path on the in-memory port: every malformed request the
 * dispatcher and the grant refuse, and every rule of core/authority.c
 * asked directly, each with the status it answers and the words it logs.
 * A refusal changes nothing: no process made, every attached capability
 * dropped, no capability of procd's left behind.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/abi/procd_ops.h"
#include "core/abi/procd_status.h"
#include "core/authority.h"
#include "core/dispatch.h"
#include "core/proc.h"
#include "core/registry.h"
#include "core/slots.h"
#include "tests/unit/core-rig.h"

/* A message of len bytes whose header says op, length and status. */
static size_t message(unsigned char *msg, uint32_t op, uint32_t length, uint32_t status, uint32_t tag,
		      size_t body)
{
	struct procd_msg_header h = { .op = op, .length = length, .tag = tag, .status = status };

	memset(msg, 0, sizeof h + body);
	memcpy(msg, &h, sizeof h);
	return sizeof h + body;
}

/* The one reply the last request caused: its header. */
static struct procd_msg_header only_reply(void)
{
	struct procd_msg_header r;

	ck_assert_uint_eq(fake_nsends(), 1);
	memcpy(&r, fake_send_at(0)->msg, sizeof r);
	ck_assert_uint_eq(fake_send_at(0)->ncaps, 0);
	return r;
}

/* Sends msg[0..len) on the bootstrap endpoint with one attached endpoint
 * gift; the reply's header. The gift is dropped and nothing is left. */
static struct procd_msg_header refused(const void *msg, size_t len, int truncated)
{
	procd_cap gift = fake_gift(FAKE_ENDPOINT);
	uint32_t obj = fake_obj_of(gift), used = procd_process_count(&d);
	unsigned holds = procd_holds() - 1;

	fake_sends_clear();
	procd_on_endpoint_message(&d, EP_BOOTSTRAP, msg, len, &gift, 1, truncated);
	ck_assert(fake_obj(obj)->gone);
	ck_assert_uint_eq(procd_holds(), holds);
	ck_assert_uint_eq(procd_process_count(&d), used);
	return only_reply();
}

START_TEST(a_truncated_request_is_invalid_and_answered_under_its_tag)
{
	unsigned char msg[64];
	struct procd_msg_header r;
	size_t len = message(msg, PROCD_OP_CREATE_STAGED_PROCESS, 0, 0, 77, sizeof(struct procd_msg_create));

	start_procd();
	((struct procd_msg_header *)msg)->length = (uint32_t)len;
	r = refused(msg, len, 1);
	ck_assert_uint_eq(r.status, PROCD_E_INVALID);
	ck_assert_uint_eq(r.tag, 77);
	ck_assert_uint_eq(r.op, PROCD_OP_CREATE_STAGED_PROCESS);
}
END_TEST

START_TEST(a_request_shorter_than_a_header_gets_an_empty_one)
{
	unsigned char msg[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct procd_msg_header r;

	start_procd();
	r = refused(msg, sizeof msg - 1, 0);
	ck_assert_uint_eq(r.status, PROCD_E_INVALID);
	ck_assert_uint_eq(r.op, 0);
	ck_assert_uint_eq(r.tag, 0);
	ck_assert_uint_eq(r.length, sizeof r);
}
END_TEST

START_TEST(a_request_past_the_largest_message_is_invalid)
{
	static unsigned char msg[PROCD_MSG_LARGE_MAX + 1];
	struct procd_msg_header r;

	start_procd();
	message(msg, PROCD_OP_QUERY_PROCESS, sizeof msg, 0, 5, 0);
	r = refused(msg, sizeof msg, 0);
	ck_assert_uint_eq(r.status, PROCD_E_INVALID);
	ck_assert_uint_eq(r.tag, 5);
}
END_TEST

START_TEST(a_header_whose_length_or_status_is_wrong_is_invalid)
{
	unsigned char msg[64];
	size_t len;

	start_procd();
	len = message(msg, PROCD_OP_QUERY_PROCESS, 0, 0, 1, sizeof(struct procd_msg_pid));
	((struct procd_msg_header *)msg)->length = (uint32_t)len + 1;
	ck_assert_uint_eq(refused(msg, len, 0).status, PROCD_E_INVALID);
	message(msg, PROCD_OP_QUERY_PROCESS, (uint32_t)len, PROCD_E_BUSY, 2, sizeof(struct procd_msg_pid));
	ck_assert_uint_eq(refused(msg, len, 0).status, PROCD_E_INVALID);
}
END_TEST

START_TEST(an_unknown_op_is_unsupported_and_not_logged_as_a_denial)
{
	unsigned char msg[64];
	unsigned long lines;
	size_t len = message(msg, 0x7fff0001u, sizeof(struct procd_msg_header), 0, 3, 0);

	start_procd();
	lines = fake_log_lines();
	ck_assert_uint_eq(refused(msg, len, 0).status, PROCD_E_UNSUPPORTED);
	ck_assert_uint_eq(fake_log_lines(), lines);
}
END_TEST

START_TEST(a_body_of_the_wrong_size_is_invalid)
{
	unsigned char body[sizeof(struct procd_msg_create) + 4] = { 0 };
	uint32_t used;

	start_procd();
	used = procd_process_count(&d);
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_CREATE_STAGED_PROCESS, body, sizeof body - 4 - 1, 0),
			  PROCD_E_INVALID);
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_CREATE_STAGED_PROCESS, body, sizeof body, 0),
			  PROCD_E_INVALID);
	ck_assert_uint_eq(procd_process_count(&d), used);
}
END_TEST

/* loaderd, staged by rootd with procd's bootstrap alias minted at 17: the
 * endpoint entry of that alias, to speak as loaderd. */
static uint32_t loaderd_alias(void)
{
	uint32_t pid;

	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_LOADERD, &pid), PROCD_OK);
	ck_assert_uint_eq(install(pid, SLOT_PROCD_ENDPOINT, PROCD_NO_CAP), PROCD_OK);
	return 2u + PROCD_MINTED_KINDS * index_of(pid);
}

START_TEST(a_chunk_shorter_than_its_body_or_longer_than_a_chunk_is_invalid)
{
	static unsigned char body[sizeof(struct procd_msg_transfer_chunk) + PROCD_CHUNK_MAX + 1];
	uint32_t loader;

	start_procd();
	if (!procd_op_by_id(&d.reg, PROCD_OP_SEND_LOADER_IMAGE_CHUNK))
		return; /* the loader role is not compiled in */
	loader = loaderd_alias();
	ck_assert_uint_eq(request(loader, PROCD_OP_SEND_LOADER_IMAGE_CHUNK, body,
				  sizeof(struct procd_msg_transfer_chunk) - 1, 0), PROCD_E_INVALID);
	/* one byte past a chunk: the message is past PROCD_MSG_MAX too, so it
	 * goes straight to procd_on_endpoint_message */
	{
		static unsigned char msg[sizeof(struct procd_msg_header) + sizeof body];
		size_t len = message(msg, PROCD_OP_SEND_LOADER_IMAGE_CHUNK, sizeof msg, 0, 9, sizeof body);

		fake_sends_clear();
		procd_on_endpoint_message(&d, loader, msg, len, 0, 0, 0);
		ck_assert_uint_eq(only_reply().status, PROCD_E_INVALID);
	}
	/* a well-formed chunk of an unknown transfer reaches the handler */
	ck_assert_uint_ne(request(loader, PROCD_OP_SEND_LOADER_IMAGE_CHUNK, body,
				  sizeof(struct procd_msg_transfer_chunk) + 16, 0), PROCD_E_INVALID);
}
END_TEST

START_TEST(an_op_that_takes_one_capability_refuses_none_or_two)
{
	struct procd_msg_foundation m = { .slot = SLOT_KERNEL_PAGER_ENDPOINT };
	procd_cap two[2];
	uint32_t objs[2];

	start_procd();
	if (!procd_op_by_id(&d.reg, PROCD_OP_UPDATE_FOUNDATION_ENDPOINTS))
		return; /* the foundation role is not compiled in */
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_UPDATE_FOUNDATION_ENDPOINTS, &m, sizeof m, 0),
			  PROCD_E_INVALID);
	for (int i = 0; i < 2; i++) {
		two[i] = fake_gift(FAKE_ENDPOINT);
		objs[i] = fake_obj_of(two[i]);
	}
	ck_assert_uint_eq(request_caps(EP_BOOTSTRAP, PROCD_OP_UPDATE_FOUNDATION_ENDPOINTS, &m, sizeof m, two, 2, 0),
			  PROCD_E_INVALID);
	ck_assert(fake_obj(objs[0])->gone && fake_obj(objs[1])->gone);
}
END_TEST

START_TEST(reserved_fields_of_a_request_are_invalid)
{
	struct procd_msg_create c = { .role = ROLE_TIMED, .reserved = 1 };
	struct procd_msg_pid p = { .pid = 1, .reserved = 1 };
	struct procd_msg_wait w = { .pid = 1, .reserved = 1 };
	uint32_t used;

	start_procd();
	used = procd_process_count(&d);
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_CREATE_STAGED_PROCESS, &c, sizeof c, 0), PROCD_E_INVALID);
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_QUERY_PROCESS, &p, sizeof p, 0), PROCD_E_INVALID);
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_STOP_PROCESS, &p, sizeof p, 0), PROCD_E_INVALID);
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_WAIT_PROCESS_EVENT, &w, sizeof w, 0), PROCD_E_INVALID);
	ck_assert_uint_eq(procd_process_count(&d), used);
}
END_TEST

START_TEST(an_unknown_role_or_process_is_not_found)
{
	struct procd_msg_spawn s = { .role = 0x7ff0u, .image_module = MODULE_EXIT };
	struct procd_msg_start st = { .pid = 12345, .image_module = PROCD_IMAGE_OF_ROLE };
	struct procd_msg_restart rp = { .pid = 12345, .policy = PROCD_RESTART_NEVER, .window_ms = 1000 };
	struct procd_msg_wait w = { .pid = 12345, .timeout_ms = 10 };
	uint32_t pid;

	start_procd();
	ck_assert_uint_eq(create(EP_BOOTSTRAP, 0x7ff0u, &pid), PROCD_E_NOT_FOUND);
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_SPAWN_SERVICE, &s, sizeof s, 0), PROCD_E_NOT_FOUND);
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_START_STAGED_PROCESS, &st, sizeof st, 0),
			  PROCD_E_NOT_FOUND);
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_SET_RESTART_POLICY, &rp, sizeof rp, 0),
			  PROCD_E_NOT_FOUND);
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_WAIT_PROCESS_EVENT, &w, sizeof w, 0), PROCD_E_NOT_FOUND);
	ck_assert_uint_eq(pid_op(EP_BOOTSTRAP, PROCD_OP_GET_RESTART_POLICY, 12345), PROCD_E_NOT_FOUND);
	ck_assert_uint_eq(pid_op(EP_BOOTSTRAP, PROCD_OP_ABORT_STAGED_PROCESS, 12345), PROCD_E_NOT_FOUND);
	/* 0 is no process's id, though the first entry is free */
	ck_assert_uint_eq(pid_op(EP_BOOTSTRAP, PROCD_OP_QUERY_PROCESS, 0), PROCD_E_NOT_FOUND);
}
END_TEST

START_TEST(a_module_out_of_range_is_not_found_and_nothing_is_built)
{
	struct procd_msg_spawn s = { .role = ROLE_PHASE0_EXIT, .image_module = 999 };
	struct procd_msg_start st = { .image_module = 999 };
	uint32_t pid, nobjs;

	start_procd();
	nobjs = fake_nobjs();
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_SPAWN_SERVICE, &s, sizeof s, 0), PROCD_E_NOT_FOUND);
	ck_assert_uint_eq(fake_nobjs(), nobjs);
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_PHASE0_EXIT, &pid), PROCD_OK);
	st.pid = pid;
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_START_STAGED_PROCESS, &st, sizeof st, 0),
			  PROCD_E_NOT_FOUND);
	ck_assert_uint_eq(live_processes(), 0);
}
END_TEST

START_TEST(a_wait_with_no_event_and_no_timeout_times_out_at_once)
{
	struct procd_msg_wait w = { .after_seq = 100, .timeout_ms = 0 };
	uint32_t pid;

	start_procd();
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_PHASE0_EXIT, &pid), PROCD_OK);
	w.pid = pid;
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_WAIT_PROCESS_EVENT, &w, sizeof w, 0), PROCD_E_TIMEOUT);
}
END_TEST

START_TEST(restart_parameters_out_of_range_are_invalid_and_change_nothing)
{
	struct procd_msg_restart rp = { .policy = 99 };
	struct procd_msg_restart got;
	struct reply r;
	uint32_t pid;

	start_procd();
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_PHASE0_EXIT, &pid), PROCD_OK);
	rp.pid = pid;
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_SET_RESTART_POLICY, &rp, sizeof rp, 0), PROCD_E_INVALID);
	ck_assert_uint_eq(request(EP_BOOTSTRAP, PROCD_OP_GET_RESTART_POLICY, &(struct procd_msg_pid){ .pid = pid },
				  sizeof(struct procd_msg_pid), &r), PROCD_OK);
	memcpy(&got, r.body, sizeof got);
	ck_assert_uint_eq(got.pid, pid);
	ck_assert_uint_ne(got.policy, 99);
}
END_TEST

/* ---- the grant ---- */

/* An install message on pid's grant, its header's fields as given. */
static uint32_t grant_raw(uint32_t pid, uint32_t op, uint32_t length, uint32_t status, uint32_t reserved,
			  size_t len, int truncated, procd_cap cap)
{
	unsigned char msg[sizeof(struct procd_msg_header) + sizeof(struct procd_msg_install) + 8] = { 0 };
	struct procd_msg_install m = { .slot = SLOT_NAMED_ENDPOINT, .reserved = reserved };
	struct procd_msg_header r;

	message(msg, op, length, status, 0, sizeof m);
	memcpy(msg + sizeof r, &m, sizeof m);
	fake_sends_clear();
	procd_on_grant_message(&d, index_of(pid), msg, len, &cap, 1, truncated);
	r = only_reply();
	ck_assert_uint_eq(r.length, sizeof r);
	return r.status;
}

START_TEST(a_malformed_install_is_invalid_and_its_capability_dropped)
{
	const size_t good = sizeof(struct procd_msg_header) + sizeof(struct procd_msg_install);
	struct {
		uint32_t op, length, status, reserved;
		size_t len;
		int truncated;
	} bad[] = {
		{ PROCD_GRANT_INSTALL, good, 0, 0, good, 1 },
		{ PROCD_GRANT_INSTALL, good, 0, 0, good - 1, 0 },
		{ PROCD_GRANT_INSTALL, good + 1, 0, 0, good, 0 },
		{ PROCD_OP_QUERY_PROCESS, good, 0, 0, good, 0 },
		{ PROCD_GRANT_INSTALL, good, PROCD_E_BUSY, 0, good, 0 },
		{ PROCD_GRANT_INSTALL, good, 0, 1, good, 0 },
		{ PROCD_GRANT_INSTALL, 0, 0, 0, 3, 0 },
	};
	uint32_t pid;

	start_procd();
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_TIMED, &pid), PROCD_OK);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		procd_cap gift = fake_gift(FAKE_ENDPOINT);
		uint32_t obj = fake_obj_of(gift);

		ck_assert_uint_eq(grant_raw(pid, bad[i].op, (uint32_t)bad[i].length, bad[i].status, bad[i].reserved,
					    bad[i].len, bad[i].truncated, gift), PROCD_E_INVALID);
		ck_assert_msg(fake_obj(obj)->gone, "case %zu kept its capability", i);
	}
	/* and the well-formed one is still taken */
	ck_assert_uint_eq(install(pid, SLOT_NAMED_ENDPOINT, fake_gift(FAKE_ENDPOINT)), PROCD_OK);
}
END_TEST

/* ---- each rule of core/authority.c ---- */

static const struct procd_endpoint bootstrap_rootd = { .cap = 1, .kind = PROCD_EP_BOOTSTRAP, .role = ROLE_ROOTD };
static const struct procd_endpoint driver_deviced = { .cap = 1, .kind = PROCD_EP_DRIVER, .role = ROLE_DEVICED };

START_TEST(may_call_names_each_rule)
{
	struct procd_op op = { .id = 1, .endpoints = PROCD_EP_BOOTSTRAP, .callers = { ROLE_NAMED } };
	struct procd_refusal why = { 0 };

	ck_assert_uint_eq(procd_may_call(&op, &bootstrap_rootd, &why), PROCD_E_DENIED);
	ck_assert_str_eq(why.rule, "the op does not accept this caller role");
	ck_assert_uint_eq(procd_may_call(&op, &driver_deviced, &why), PROCD_E_DENIED);
	ck_assert_str_eq(why.rule, "the op is not accepted on this endpoint");
	op.flags = PROCD_OP_DENY;
	ck_assert_uint_eq(procd_may_call(&op, &bootstrap_rootd, 0), PROCD_E_DENIED);
	op.flags = 0;
	op.callers[1] = ROLE_ROOTD;
	ck_assert_uint_eq(procd_may_call(&op, &bootstrap_rootd, 0), PROCD_OK);
	op.callers[0] = PROCD_CALLER_ANY;
	op.callers[1] = 0;
	ck_assert_uint_eq(procd_may_call(&op, &bootstrap_rootd, 0), PROCD_OK);
}
END_TEST

START_TEST(may_attach_takes_none_or_exactly_one)
{
	struct procd_op op = { .id = 1 };
	struct procd_refusal why = { 0 };

	ck_assert_uint_eq(procd_may_attach(&op, 0, 0), PROCD_OK);
	ck_assert_uint_eq(procd_may_attach(&op, 1, &why), PROCD_E_DENIED);
	ck_assert_str_eq(why.rule, "capabilities attached to an op that takes none");
	op.flags = PROCD_OP_TAKES_CAP;
	ck_assert_uint_eq(procd_may_attach(&op, 1, 0), PROCD_OK);
	ck_assert_uint_eq(procd_may_attach(&op, 0, &why), PROCD_E_INVALID);
	ck_assert_str_eq(why.rule, "the op takes exactly one capability");
	ck_assert_uint_eq(procd_may_attach(&op, 2, 0), PROCD_E_INVALID);
}
END_TEST

START_TEST(may_spawn_legacy_and_may_run_module_and_may_load)
{
	struct procd_policy policy = { .role = ROLE_TIMED, .endpoint = PROCD_EP_BOOTSTRAP, .image = "timed" };
	struct procd_refusal why = { 0 };

	ck_assert_uint_eq(procd_may_spawn_legacy(SERVICE_ROLE_EXTENSION_BASE - 1, &why), PROCD_E_DENIED);
	ck_assert_uint_eq(why.target_role, SERVICE_ROLE_EXTENSION_BASE - 1);
	ck_assert_uint_eq(procd_may_spawn_legacy(SERVICE_ROLE_EXTENSION_BASE, 0), PROCD_OK);
	ck_assert_uint_eq(procd_may_run_module(&policy, "timed", 5, 0), PROCD_OK);
	ck_assert_uint_eq(procd_may_run_module(&policy, "timedx", 6, &why), PROCD_E_DENIED);
	ck_assert_uint_eq(procd_may_run_module(&policy, "time", 4, 0), PROCD_E_DENIED);
	ck_assert_str_eq(why.rule, "the boot module is not the role's own image");
	ck_assert_uint_eq(procd_may_load(&policy, &why), PROCD_E_DENIED);
	ck_assert_str_eq(why.rule, "the role may not be started from loader-transferred bytes");
	policy.flags = PROCD_POLICY_LOADER_LAUNCH;
	ck_assert_uint_eq(procd_may_load(&policy, 0), PROCD_OK);
	policy.endpoint = PROCD_EP_DRIVER; /* a driver, even one that says it may */
	ck_assert_uint_eq(procd_may_load(&policy, 0), PROCD_E_DENIED);
}
END_TEST

START_TEST(may_use_transfer_and_may_bind_peer)
{
	struct procd_refusal why = { 0 };

	ck_assert_uint_eq(procd_may_use_transfer(4, 4, 0), PROCD_OK);
	ck_assert_uint_eq(procd_may_use_transfer(4, 5, &why), PROCD_E_DENIED);
	ck_assert_str_eq(why.rule, "the loader transfer is another sender's");
	ck_assert_uint_eq(why.target_role, ROLE_NONE);
	ck_assert_uint_eq(procd_may_bind_peer(ROLE_LOGD, 1, 0), PROCD_OK);
	ck_assert_uint_eq(procd_may_bind_peer(ROLE_LOGD, 0, &why), PROCD_E_DENIED);
	ck_assert_uint_eq(why.target_role, ROLE_LOGD);
	ck_assert(procd_is_denial(PROCD_E_DENIED) && procd_is_denial(PROCD_E_QUOTA));
	ck_assert(!procd_is_denial(PROCD_E_INVALID) && !procd_is_denial(PROCD_OK));
}
END_TEST

START_TEST(may_install_names_each_rule_in_order)
{
	struct procd_policy policy = { .role = ROLE_DEVICED, .window = SLOT_PROCD_DRIVER_ENDPOINT + 1,
				       .slots = { SLOT_NAMED_ENDPOINT, SLOT_PROCD_DRIVER_ENDPOINT, SLOT_SELF_ENDPOINT } };
	struct procd_proc p = { .policy = &policy, .state = PROCD_STATE_STAGED, .ncaps = 1,
				.cspace = { { .slot = SLOT_SELF_ENDPOINT, .cap = 7 } } };
	struct procd_refusal why = { 0 };

	ck_assert_uint_eq(procd_may_install(&p, SLOT_NAMED_ENDPOINT, 1, PROCD_CAP_ENDPOINT, 0), PROCD_OK);
	ck_assert_uint_eq(procd_may_install(&p, SLOT_NAMED_ENDPOINT, 0, PROCD_CAP_NONE, &why), PROCD_E_INVALID);
	ck_assert_str_eq(why.rule, "an install carries exactly one capability");
	ck_assert_uint_eq(procd_may_install(&p, SLOT_NAMED_ENDPOINT, 1, PROCD_CAP_IMAGE, &why), PROCD_E_DENIED);
	ck_assert_str_eq(why.rule, "the capability is of the wrong kind for this slot");
	ck_assert_uint_eq(procd_may_install(&p, SLOT_PROCD_DRIVER_ENDPOINT, 0, PROCD_CAP_NONE, 0), PROCD_OK);
	ck_assert_uint_eq(procd_may_install(&p, SLOT_PROCD_DRIVER_ENDPOINT, 1, PROCD_CAP_ENDPOINT, &why),
			  PROCD_E_DENIED);
	ck_assert_str_eq(why.rule, "procd mints this slot; nothing may be passed in");
	ck_assert_uint_eq(procd_may_install(&p, SLOT_SELF_ENDPOINT, 1, PROCD_CAP_ENDPOINT, &why), PROCD_E_EXISTS);
	ck_assert_str_eq(why.rule, "the slot is already filled");
	ck_assert_uint_eq(procd_may_install(&p, SLOT_PEER_ENDPOINT, 1, PROCD_CAP_ENDPOINT, &why), PROCD_E_DENIED);
	ck_assert_str_eq(why.rule, "the role's policy does not grant this slot");
	policy.window = SLOT_NAMED_ENDPOINT; /* granted, but outside the window */
	ck_assert_uint_eq(procd_may_install(&p, SLOT_NAMED_ENDPOINT, 1, PROCD_CAP_ENDPOINT, 0), PROCD_E_DENIED);
	policy.window = SLOT_PROCD_DRIVER_ENDPOINT + 1;
	p.ncaps = PROCD_POLICY_SLOTS;
	ck_assert_uint_eq(procd_may_install(&p, SLOT_NAMED_ENDPOINT, 1, PROCD_CAP_ENDPOINT, &why), PROCD_E_NO_SPACE);
	ck_assert_str_eq(why.rule, "the child's CSpace is full");
	p.state = PROCD_STATE_RUNNING;
	ck_assert_uint_eq(procd_may_install(&p, SLOT_NAMED_ENDPOINT, 1, PROCD_CAP_ENDPOINT, &why), PROCD_E_BUSY);
	ck_assert_str_eq(why.rule, "the child is no longer staged");
	ck_assert_uint_eq(why.target_role, ROLE_DEVICED);
}
END_TEST

START_TEST(may_manage_and_may_request_name_each_rule)
{
	struct procd_policy drv = { .role = ROLE_DRV_SERIAL, .endpoint = PROCD_EP_DRIVER,
				    .requesters = { ROLE_DEVICED } };
	struct procd_proc p = { .policy = &drv, .creator_role = ROLE_NAMED };
	struct procd_endpoint driver_rootd = driver_deviced;
	struct procd_refusal why = { 0 };

	driver_rootd.role = ROLE_ROOTD;
	ck_assert_uint_eq(procd_may_manage(&p, &bootstrap_rootd, &why), PROCD_E_DENIED);
	ck_assert_str_eq(why.rule, "the process is managed on the other endpoint");
	ck_assert_uint_eq(procd_may_manage(&p, &driver_deviced, &why), PROCD_E_DENIED);
	ck_assert_str_eq(why.rule, "the process was created by another role");
	ck_assert_uint_eq(procd_may_manage(&p, &driver_rootd, 0), PROCD_OK);
	p.creator_role = ROLE_DEVICED;
	ck_assert_uint_eq(procd_may_manage(&p, &driver_deviced, 0), PROCD_OK);
	ck_assert_uint_eq(procd_may_request(&drv, &driver_deviced, 0), PROCD_OK);
	ck_assert_uint_eq(procd_may_request(&drv, &driver_rootd, &why), PROCD_E_DENIED);
	ck_assert_str_eq(why.rule, "the caller is not among the role's requesters");
	ck_assert_uint_eq(procd_may_request(&drv, &bootstrap_rootd, &why), PROCD_E_DENIED);
	ck_assert_str_eq(why.rule, "the role is requested on the other endpoint");
	ck_assert_uint_eq(why.target_role, ROLE_DRV_SERIAL);
}
END_TEST

START_TEST(may_open_transfer_counts_transfers_and_bytes_and_rootd_is_free)
{
	const struct procd_policy *loader;
	struct procd_refusal why = { 0 };
	uint32_t n;
	uint64_t bytes;

	start_procd();
	loader = procd_policy_by_role(&d.reg, ROLE_LOADERD);
	n = loader && loader->quota.transfers ? loader->quota.transfers : PROCD_QUOTA_TRANSFERS_DEFAULT;
	bytes = (uint64_t)(loader && loader->quota.image_kib ? loader->quota.image_kib : PROCD_QUOTA_IMAGE_KIB_DEFAULT)
		* 1024u;
	ck_assert_uint_eq(procd_may_open_transfer(&d, ROLE_LOADERD, n - 1, 0, bytes, 0), PROCD_OK);
	ck_assert_uint_eq(procd_may_open_transfer(&d, ROLE_LOADERD, n, 0, 1, &why), PROCD_E_QUOTA);
	ck_assert_str_eq(why.rule, "the requester holds its quota of loader transfers");
	ck_assert_uint_eq(procd_may_open_transfer(&d, ROLE_LOADERD, 0, bytes, 1, &why), PROCD_E_QUOTA);
	ck_assert_str_eq(why.rule, "the requester's image bytes in flight would pass its quota");
	ck_assert_uint_eq(procd_may_open_transfer(&d, ROLE_ROOTD, 1000, bytes, bytes, 0), PROCD_OK);
	ck_assert_uint_eq(procd_may_open_transfer(&d, ROLE_PROCD, 1000, bytes, bytes, 0), PROCD_OK);
	/* a role with no policy has the defaults */
	ck_assert_uint_eq(procd_may_open_transfer(&d, 0x7ff0u, PROCD_QUOTA_TRANSFERS_DEFAULT, 0, 1, 0), PROCD_E_QUOTA);
	ck_assert_uint_eq(procd_may_open_transfer(&d, 0x7ff0u, 0, (uint64_t)PROCD_QUOTA_IMAGE_KIB_DEFAULT * 1024u, 1, 0),
			  PROCD_E_QUOTA);
}
END_TEST

START_TEST(may_hold_counts_a_requesters_children_against_its_quota)
{
	struct procd_refusal why = { 0 };

	start_procd();
	/* a role with no policy: the default quota */
	for (uint32_t i = 0; i < PROCD_QUOTA_CHILDREN_DEFAULT; i++)
		ck_assert_ptr_nonnull(procd_proc_alloc(&d.table, procd_policy_by_role(&d.reg, ROLE_TIMED), 0x7ff0u));
	ck_assert_uint_eq(procd_may_hold(&d, 0x7ff0u, PROCD_HOLD_CHILD, &why), PROCD_E_QUOTA);
	ck_assert_str_eq(why.rule, "the requester holds its quota of children");
	ck_assert_uint_eq(procd_may_hold(&d, 0x7ff1u, PROCD_HOLD_CHILD, 0), PROCD_OK);
	ck_assert_uint_eq(procd_may_hold(&d, 0x7ff0u, PROCD_HOLD_WAIT, 0), PROCD_OK);
}
END_TEST

START_TEST(a_denial_on_a_notify_alias_or_of_an_unknown_op_says_so)
{
	struct procd_msg_pid m = { .pid = 1 };
	uint32_t pid, notify;

	start_procd();
	ck_assert_uint_eq(create(EP_BOOTSTRAP, ROLE_PHASE0_PROBE, &pid), PROCD_OK);
	ck_assert_uint_eq(install(pid, SLOT_PROBE_NOTIFY, PROCD_NO_CAP), PROCD_OK);
	notify = 2u + PROCD_MINTED_KINDS * index_of(pid) + 2u;
	ck_assert_uint_eq(request(notify, PROCD_OP_QUERY_PROCESS, &m, sizeof m, 0), PROCD_E_DENIED);
	ck_assert_ptr_nonnull(strstr(fake_last_log_line(), "QUERY_PROCESS from phase0-probe on a notify alias"));
	ck_assert_ptr_nonnull(strstr(fake_last_log_line(), ": the op is not accepted on this endpoint"));
}
END_TEST

/* ---- the slot table ---- */

START_TEST(every_canonical_slot_is_found_with_its_row)
{
#define CHECK_ROW_(id, number, name_, kind_, cap_, server_, holder_)                 \
	do {                                                                        \
		const struct procd_slot_info *s = procd_slot_info(number);          \
		const char *role = 0;                                               \
		ck_assert_ptr_nonnull(s);                                           \
		ck_assert_uint_eq(s->slot, number);                                 \
		ck_assert_str_eq(s->name, name_);                                   \
		ck_assert_uint_eq(s->kind, kind_);                                  \
		ck_assert_int_eq(procd_slot_is_kernel(number), kind_ == PROCD_SLOT_KIND_KERNEL); \
		ck_assert_int_eq(procd_slot_is_peer(number, &role), kind_ == PROCD_SLOT_KIND_PEER); \
		if (kind_ == PROCD_SLOT_KIND_PEER)                                  \
			ck_assert_str_eq(role, server_);                            \
	} while (0);
	PROCD_SLOT_TABLE(CHECK_ROW_)
#undef CHECK_ROW_
}
END_TEST

START_TEST(only_procds_own_slots_are_minted)
{
	const char *role = "untouched";

	ck_assert_uint_eq(procd_slot_minted_endpoint(SLOT_PROCD_ENDPOINT), PROCD_EP_BOOTSTRAP);
	ck_assert_uint_eq(procd_slot_minted_endpoint(SLOT_PROCD_DRIVER_ENDPOINT), PROCD_EP_DRIVER);
	ck_assert_uint_eq(procd_slot_minted_endpoint(SLOT_PROBE_NOTIFY), PROCD_EP_NOTIFY);
	ck_assert_uint_eq(procd_slot_minted_endpoint(SLOT_NAMED_ENDPOINT), 0);
	/* not a canonical slot: no row, nothing minted, neither kernel nor peer */
	ck_assert_ptr_null(procd_slot_info(SLOT_FIRST_CAPABILITY - 1));
	ck_assert_uint_eq(procd_slot_minted_endpoint(SLOT_FIRST_CAPABILITY - 1), 0);
	ck_assert(!procd_slot_is_kernel(SLOT_FIRST_CAPABILITY - 1));
	ck_assert(!procd_slot_is_peer(SLOT_FIRST_CAPABILITY - 1, &role));
	ck_assert(!procd_slot_is_peer(SLOT_PROCD_ENDPOINT, &role));
	ck_assert_str_eq(role, "untouched");
}
END_TEST

START_TEST(a_request_on_an_entry_procd_no_longer_serves_gets_no_reply)
{
	struct procd_msg_create m = { .role = ROLE_TIMED };
	uint32_t free_entry = 2u + PROCD_MINTED_KINDS * 7u, used;

	start_procd();
	used = procd_process_count(&d);
	/* the alias of a process gone: no role, no endpoint kind, no peer */
	ck_assert_uint_eq(request(free_entry, PROCD_OP_CREATE_STAGED_PROCESS, &m, sizeof m, 0), UINT32_MAX);
	ck_assert_uint_eq(fake_nsends(), 0);
	ck_assert_uint_eq(procd_process_count(&d), used);
}
END_TEST

static Suite *make_slots_suite(void)
{
	Suite *s = suite_create("slots");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, every_canonical_slot_is_found_with_its_row);
	tcase_add_test(tc, only_procds_own_slots_are_minted);
	tcase_add_test(tc, a_request_on_an_entry_procd_no_longer_serves_gets_no_reply);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *make_malformed_suite(void)
{
	Suite *s = suite_create("malformed");
	TCase *tc = tcase_create("dispatch");

	tcase_add_test(tc, a_truncated_request_is_invalid_and_answered_under_its_tag);
	tcase_add_test(tc, a_request_shorter_than_a_header_gets_an_empty_one);
	tcase_add_test(tc, a_request_past_the_largest_message_is_invalid);
	tcase_add_test(tc, a_header_whose_length_or_status_is_wrong_is_invalid);
	tcase_add_test(tc, an_unknown_op_is_unsupported_and_not_logged_as_a_denial);
	tcase_add_test(tc, a_body_of_the_wrong_size_is_invalid);
	tcase_add_test(tc, a_chunk_shorter_than_its_body_or_longer_than_a_chunk_is_invalid);
	tcase_add_test(tc, an_op_that_takes_one_capability_refuses_none_or_two);
	suite_add_tcase(s, tc);
	tc = tcase_create("handlers");
	tcase_add_test(tc, reserved_fields_of_a_request_are_invalid);
	tcase_add_test(tc, an_unknown_role_or_process_is_not_found);
	tcase_add_test(tc, a_module_out_of_range_is_not_found_and_nothing_is_built);
	tcase_add_test(tc, a_wait_with_no_event_and_no_timeout_times_out_at_once);
	tcase_add_test(tc, restart_parameters_out_of_range_are_invalid_and_change_nothing);
	suite_add_tcase(s, tc);
	tc = tcase_create("grant");
	tcase_add_test(tc, a_malformed_install_is_invalid_and_its_capability_dropped);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *make_authority_suite(void)
{
	Suite *s = suite_create("authority");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, may_call_names_each_rule);
	tcase_add_test(tc, may_attach_takes_none_or_exactly_one);
	tcase_add_test(tc, may_spawn_legacy_and_may_run_module_and_may_load);
	tcase_add_test(tc, may_use_transfer_and_may_bind_peer);
	tcase_add_test(tc, may_install_names_each_rule_in_order);
	tcase_add_test(tc, may_manage_and_may_request_name_each_rule);
	tcase_add_test(tc, may_open_transfer_counts_transfers_and_bytes_and_rootd_is_free);
	tcase_add_test(tc, may_hold_counts_a_requesters_children_against_its_quota);
	tcase_add_test(tc, a_denial_on_a_notify_alias_or_of_an_unknown_op_says_so);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	Suite *const suites[] = { make_malformed_suite(), make_authority_suite(), make_slots_suite() };

	return rig_run(suites, sizeof suites / sizeof suites[0]);
}
