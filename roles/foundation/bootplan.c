/* SPDX-License-Identifier: ISC */
#include "core/abi/procd_status.h"
#include "core/cspace.h"
#include "core/hooks.h"
#include "core/lifecycle.h"
#include "core/log.h"
#include "core/slots.h"
#include "core/smoke.h"
#include "core/text.h"
#include "roles/foundation/bootplan.h"

/* The boot-plan child of `role`, if procd started one. */
static struct procd_proc *booted(struct procd *d, uint32_t role)
{
	struct procd_proc *p;

	for (uint32_t i = 0; (p = procd_proc_next_live(&d->table, &i)) != 0;)
		if (p->policy->role == role && p->creator_role == ROLE_PROCD &&
		    p->kept_alias != PROCD_NO_CAP)
			return p;
	return 0;
}

/* The role the slot table says serves a peer slot, if procd booted it. */
static struct procd_proc *booted_peer(struct procd *d, const char *name)
{
	const struct procd_policy *policy = procd_policy_by_name(&d->reg, name, procd_strnlen(name, PROCD_NAME_MAX));

	return policy ? booted(d, policy->role) : 0;
}

/* Installs a second hold on `cap`, if it can be had and is allowed. */
static void install_copy(struct procd *d, struct procd_proc *p, uint32_t slot, procd_cap cap)
{
	procd_cap copy = port_cap_dup(cap);

	if (copy != PROCD_NO_CAP && procd_install(d, p, slot, copy, 0) != PROCD_OK)
		port_cap_drop(copy);
}

/* Installs one allowed slot from what procd has; returns whether the slot
 * is still missing and the role cannot run without it. */
static int wire_slot(struct procd *d, struct procd_proc *p, uint32_t slot)
{
	const struct procd_transferred *t;
	struct procd_proc *peer;
	const char *peer_name;

	if (slot == SLOT_SELF_ENDPOINT || procd_cspace_get(p, slot) != PROCD_NO_CAP)
		return 0;
	if (procd_slot_minted_endpoint(slot) != 0) {
		procd_install_procd_alias(d, p, slot, 0);
		return 0;
	}
	if (procd_slot_is_peer(slot, &peer_name)) {
		peer = booted_peer(d, peer_name);
		if (peer)
			install_copy(d, p, slot, peer->kept_alias);
		return 0; /* foundation peers are optional: boot without them */
	}
	t = procd_transferred_at(&d->transferred, slot);
	if (t) {
		install_copy(d, p, slot, t->cap);
		return 0;
	}
	return procd_slot_is_kernel(slot);
}

static int wire(struct procd *d, struct procd_proc *p)
{
	int missing = 0;

	for (uint32_t i = 0; i < PROCD_POLICY_SLOTS && p->policy->slots[i] != 0; i++)
		missing |= wire_slot(d, p, p->policy->slots[i]);
	return missing;
}

static void log_missing(const struct procd_proc *p)
{
	char buf[120];
	struct procd_text t;

	procd_text_init(&t, buf, sizeof buf);
	procd_text_str(&t, ": waiting for its kernel endpoint");
	for (uint32_t i = 0; i < PROCD_POLICY_SLOTS && p->policy->slots[i] != 0; i++)
		if (procd_slot_is_kernel(p->policy->slots[i]) && procd_cspace_get(p, p->policy->slots[i]) == PROCD_NO_CAP) {
			procd_text_str(&t, " ");
			procd_text_u32(&t, p->policy->slots[i]);
		}
	procd_text_str(&t, " (UPDATE_FOUNDATION_ENDPOINTS)");
	procd_log_proc(p, "deferred", t.buf);
}

static void start(struct procd *d, struct procd_proc *p)
{
	if (procd_start(d, p, p->image_module, 0) != PROCD_OK) {
		procd_log_proc(p, "could not be started by the boot plan", "; booting on without it");
		procd_abort(d, p);
	}
}

/* Stages every boot module's role of `stage`. */
static void stage_all(struct procd *d, uint8_t stage)
{
	const struct procd_module *mod;

	for (uint32_t m = 0; (mod = procd_module_at(&d->modules, m)); m++) {
		const struct procd_policy *policy = 0;
		struct procd_proc *p;
		procd_cap alias;

		if (!(mod->flags & PROCD_MODULE_BOOT))
			continue;
		for (size_t i = 0; i < d->reg.sets.npolicies && !policy; i++)
			if (procd_field_eq(d->reg.sets.policies[i].image, PROCD_IMAGE_MAX, mod->name,
					   procd_strnlen(mod->name, PROCD_MODULE_NAME_MAX)))
				policy = &d->reg.sets.policies[i];
		if (!policy || policy->boot_stage != stage)
			continue;
		if (procd_create(d, policy, 0, ROLE_PROCD, &p, &alias, NULL) != PROCD_OK) {
			procd_log("procd: boot plan: a role could not be staged (no process entry or"
				  " endpoint left); the rest of this stage is not staged");
			return;
		}
		p->kept_alias = alias; /* nobody asked for it: procd keeps it */
		p->image_module = m;
	}
}

static void report_missing_foundation(struct procd *d)
{
	static const uint32_t roles[] = { ROLE_NAMED, ROLE_LOGD, ROLE_CRASHD };

	for (uint32_t i = 0; i < 3; i++) {
		const struct procd_policy *policy = procd_policy_by_role(&d->reg, roles[i]);
		char buf[120];
		struct procd_text t;

		if (!policy || booted(d, roles[i]))
			continue;
		procd_text_init(&t, buf, sizeof buf);
		procd_text_str(&t, "procd: boot plan: ");
		procd_text_field(&t, policy->name, sizeof policy->name);
		procd_text_str(&t, " has no boot module; booting without it");
		procd_log(t.buf);
	}
}

/* Starts every staged boot-plan child of `stage` that has what it needs. */
static void start_stage(struct procd *d, uint8_t stage)
{
	struct procd_proc *p;

	for (uint32_t i = 0; (p = procd_proc_next_live(&d->table, &i)) != 0;) {
		if (p->state != PROCD_STATE_STAGED || p->creator_role != ROLE_PROCD ||
		    p->policy->boot_stage != stage || p->own_image != PROCD_NO_CAP)
			continue;
		if (wire(d, p)) {
			p->deferred = 1;
			log_missing(p);
			continue;
		}
		start(d, p);
	}
}

static void boot_plan(struct procd *d)
{
	const struct procd_module *mod;
	int any = 0;

	for (uint32_t m = 0; (mod = procd_module_at(&d->modules, m)); m++)
		any |= (mod->flags & PROCD_MODULE_BOOT) != 0;
	if (!any)
		return;
	/* Everything is staged before anything is wired, so the foundation
	 * roles can be given each other's endpoints whatever their order. */
	stage_all(d, PROCD_STAGE_FOUNDATION);
	stage_all(d, PROCD_STAGE_RUNTIME);
	report_missing_foundation(d);
	PROCD_SMOKE("BOOT_FOUNDATION");
	start_stage(d, PROCD_STAGE_FOUNDATION);
	PROCD_SMOKE("BOOT_RUNTIME");
	start_stage(d, PROCD_STAGE_RUNTIME);
	PROCD_SMOKE("BOOT_COMPLETE");
	procd_log("procd: boot plan done; serving requests");
}

static void log_arrival(const struct procd_proc *p, uint32_t slot)
{
	char buf[80];
	struct procd_text t;

	procd_text_init(&t, buf, sizeof buf);
	procd_text_str(&t, ": kernel endpoint ");
	procd_text_u32(&t, slot);
	procd_text_str(&t, " arrived");
	procd_log_proc(p, "no longer deferred", t.buf);
}

void procd_boot_resume(struct procd *d, uint32_t slot)
{
	struct procd_proc *p;

	for (uint32_t i = 0; (p = procd_proc_next_live(&d->table, &i)) != 0;) {
		if (!p->deferred || p->state != PROCD_STATE_STAGED)
			continue;
		if (wire(d, p))
			continue;
		p->deferred = 0;
		log_arrival(p, slot);
		start(d, p);
	}
}

PROCD_HOOKS(foundation_boot_plan) = {
	.name = "foundation-boot-plan",
	.serving = boot_plan,
};
