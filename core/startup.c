/* SPDX-License-Identifier: ISC */
#include "core/fault.h"
#include "core/port.h"
#include "core/smoke.h"
#include "core/startup.h"

static void log_text(const struct procd_text *t)
{
	port_log_line(t->buf, t->len);
}

static void refuse_finding(void *ctx, const struct procd_finding *f)
{
	char buf[320];
	struct procd_text t;

	(void)ctx;
	procd_text_init(&t, buf, sizeof buf);
	procd_text_str(&t, "procd: registry invariant violated: ");
	procd_finding_format(f, &t);
	log_text(&t);
}

int procd_startup_registry(struct procd_registry *reg)
{
	struct procd_sets sets;
	char buf[160];
	struct procd_text t;
	unsigned findings;

	procd_sets_linked(&sets);
	findings = procd_registry_init(reg, &sets, refuse_finding, 0);
	procd_text_init(&t, buf, sizeof buf);
	if (findings != 0) {
		procd_text_str(&t, "procd: refusing to start: ");
		procd_text_u32(&t, findings);
		procd_text_str(&t, " registry invariant(s) violated");
		log_text(&t);
		return -1;
	}
	if (PROCD_FAULT(PROCD_FAULT_REGISTRY_INDEX)) {
		procd_text_str(&t, "procd: refusing to start: injected fault at registry-index");
		log_text(&t);
		return -1;
	}
	PROCD_SMOKE("REGISTRY_READY");
	procd_text_str(&t, "procd: registry ready: ");
	procd_text_u32(&t, (uint32_t)sets.npolicies);
	procd_text_str(&t, " policies, ");
	procd_text_u32(&t, (uint32_t)sets.nops);
	procd_text_str(&t, " ops");
	log_text(&t);
	return 0;
}
