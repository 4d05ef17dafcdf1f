/* SPDX-License-Identifier: ISC */
/*
 * named (stand-in): discovery reduced to what a default boot needs.
 *
 * procd boots without logd and crashd and binds them late, through named:
 * named holds their endpoints (installed at SLOT_LOGD_ENDPOINT and
 * SLOT_CRASHD_ENDPOINT) and publishes each to procd over its bootstrap
 * alias (SLOT_PROCD_ENDPOINT): PROCD_OP_PUBLISH_FOUNDATION_PEER with the
 * role in the body and that endpoint attached. procd answers with a header
 * and binds the endpoint only if it really is that role's. named does this
 * at start and again on HELPER_OP_REPUBLISH (after logd or crashd was
 * restarted and reinstalled, say):
 *
 *   named: published logd: status 0
 *
 * On its own endpoint it answers HELPER_OP_LOOKUP (found: one of the seed
 * roles that serve others, which it knows by name; PROCD_E_NOT_FOUND
 * otherwise; PROCD_E_INVALID for a name without its NUL). HELPER_OP_EXIT
 * ends it with the code sent, the peer closing with 0, anything else with
 * HELPER_EXIT_MALFORMED.
 */
#include "helpers/helper.h"

#define NAME "named"

/* What named publishes to procd: the slot it holds it at, the role procd
 * is to bind it as. */
static const struct {
	unsigned slot;
	uint32_t role;
	const char *name;
} peers[] = {
	{ SLOT_LOGD_ENDPOINT, ROLE_LOGD, "logd" },
	{ SLOT_CRASHD_ENDPOINT, ROLE_CRASHD, "crashd" },
};

/* The seed roles a lookup finds: the foundation and the services. Drivers
 * serve only deviced and are not discoverable. */
static const char *const known[] = {
	"rootd", "procd", "named", "logd", "crashd",
	"deviced", "timed", "irqd", "hotplugd", "probed", "fbcond", "memd",
	"vspaced", "pagerd", "loaderd", "e2fsd", "fatd", "keyd",
};

static uint32_t next_tag = 1;

static void publish(void)
{
	if (!rt_fd_open(SLOT_PROCD_ENDPOINT)) {
		rt_say(NAME ": no procd endpoint at slot %u: nothing published\n", SLOT_PROCD_ENDPOINT);
		return;
	}
	for (size_t i = 0; i < sizeof peers / sizeof peers[0]; i++) {
		struct {
			struct procd_msg_header h;
			struct procd_msg_peer p;
		} req;
		struct procd_msg_header reply;

		if (!rt_fd_open((int)peers[i].slot)) {
			rt_say(NAME ": holds no %s endpoint (slot %u): not published\n", peers[i].name,
			       peers[i].slot);
			continue;
		}
		req.h = (struct procd_msg_header){ PROCD_OP_PUBLISH_FOUNDATION_PEER, sizeof req, next_tag++, 0 };
		req.p = (struct procd_msg_peer){ peers[i].role, 0 };
		if (helper_call_cap(NAME, SLOT_PROCD_ENDPOINT, &req, (int)peers[i].slot, &reply, sizeof reply) !=
		    HELPER_EXIT_OK) {
			rt_say(NAME ": publishing %s failed\n", peers[i].name);
			continue;
		}
		rt_say(NAME ": published %s: status %u\n", peers[i].name, reply.status);
	}
}

/* Whether name, NUL-terminated, is a role named knows. */
static int is_known(const char *name)
{
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		const char *a = known[i], *b = name;

		while (*a != '\0' && *a == *b)
			a++, b++;
		if (*a == '\0' && *b == '\0')
			return 1;
	}
	return 0;
}

/* Answer one LOOKUP with a header; returns 0, or the status to exit with. */
static int lookup(const union helper_record *r)
{
	struct helper_lookup_msg q;
	struct procd_msg_header reply = { HELPER_OP_LOOKUP, sizeof reply, r->h.tag, PROCD_E_INVALID };
	int terminated = 0;

	memcpy(&q, r, sizeof q);
	for (size_t i = 0; i < sizeof q.name; i++)
		if (q.name[i] == '\0')
			terminated = 1;
	if (terminated)
		reply.status = is_known(q.name) ? PROCD_OK : PROCD_E_NOT_FOUND;
	rt_say(NAME ": lookup of %s: status %u\n", terminated ? q.name : "(unterminated name)",
	       reply.status);
	if (rt_send(SLOT_SELF_ENDPOINT, &reply, sizeof reply) != (long)sizeof reply) {
		rt_say(NAME ": cannot reply on slot %u\n", SLOT_SELF_ENDPOINT);
		return HELPER_EXIT_FAILED;
	}
	return 0;
}

int helper_main(void)
{
	publish();
	for (;;) {
		union helper_record r;
		size_t len;
		int status = helper_receive(NAME, &r, &len);

		if (status != HELPER_MORE)
			return status;
		if (r.h.op == HELPER_OP_LOOKUP && len == sizeof(struct helper_lookup_msg)) {
			status = lookup(&r);
			if (status != 0)
				return status;
			continue;
		}
		if (r.h.op == HELPER_OP_REPUBLISH && len == sizeof r.h) {
			publish();
			continue;
		}
		status = helper_exit_code(NAME, &r, len);
		if (status != HELPER_MORE)
			return status;
		return helper_unexpected(NAME, &r, len, "LOOKUP (0x502, 48 bytes), REPUBLISH (0x506, 16) or EXIT");
	}
}
