/* SPDX-License-Identifier: ISC */
#include "core/abi/procd_status.h"
#include "core/authority.h"
#include "core/elf64.h"
#include "core/elf_check.h"
#include "core/fault.h"
#include "core/endpoints.h"
#include "core/hooks.h"
#include "core/lifecycle.h"
#include "core/log.h"
#include "core/text.h"
#include "roles/loader/transfer.h"

/* Every image procd starts keeps at least this much stack at its end. */
#define STACK_RESERVE 65536u

struct procd_loader procd_loader;
#define L procd_loader

static struct procd_transfer *find(uint32_t id, uint32_t ep, uint32_t *status, struct procd_refusal *why)
{
	struct procd_transfer *t;

	if (id == 0) {
		*status = PROCD_E_NOT_FOUND;
		return 0;
	}
	t = &L.transfers[(id - 1) % PROCD_MAX_TRANSFERS];
	if (t->id != id) {
		/* An id of an older generation of this slot named a transfer
		 * that was superseded or reclaimed: its chunks are stale. */
		uint32_t generation = (id - 1) / PROCD_MAX_TRANSFERS;

		*status = generation < L.generation[(id - 1) % PROCD_MAX_TRANSFERS] ? PROCD_E_STALE
											 : PROCD_E_NOT_FOUND;
		return 0;
	}
	*status = procd_may_use_transfer(t->ep, ep, why);
	return *status == PROCD_OK ? t : 0;
}

static void release(struct procd_transfer *t)
{
	uint32_t i = (uint32_t)(t - L.transfers);

	port_cap_drop(t->staging);
	procd_bytes_zero(t, sizeof *t);
	t->staging = PROCD_NO_CAP;
	L.generation[i]++;
}

static void log_transfer(const struct procd_transfer *t, const char *what, const char *why)
{
	char buf[200];
	struct procd_text line;

	procd_text_init(&line, buf, sizeof buf);
	procd_text_str(&line, "procd: loader transfer ");
	procd_text_u32(&line, t->id);
	procd_text_str(&line, " (");
	procd_text_field(&line, t->policy->name, sizeof t->policy->name);
	procd_text_str(&line, ") ");
	procd_text_str(&line, what);
	if (why) {
		procd_text_str(&line, ": ");
		procd_text_str(&line, why);
	}
	procd_log(line.buf);
}

static uint32_t refuse_begin(const struct procd_policy *policy, const char *why)
{
	char buf[200];
	struct procd_text line;

	procd_text_init(&line, buf, sizeof buf);
	procd_text_str(&line, "procd: loader transfer for ");
	procd_text_field(&line, policy->name, sizeof policy->name);
	procd_text_str(&line, " refused at BEGIN: ");
	procd_text_str(&line, why);
	procd_log(line.buf);
	return PROCD_E_INVALID;
}

/* Counts what the sender's role holds, for its quota. */
static uint32_t may_open(const struct procd *d, uint32_t role, uint64_t bytes, struct procd_refusal *why)
{
	uint64_t open_bytes = 0;
	uint32_t open = 0;

	for (uint32_t i = 0; i < PROCD_MAX_TRANSFERS; i++)
		if (L.transfers[i].id != 0 && procd_endpoint_at(&d->endpoints, L.transfers[i].ep)->role == role) {
			open++;
			open_bytes += L.transfers[i].size;
		}
	return procd_may_open_transfer(d, role, open, open_bytes, bytes, why);
}

uint32_t procd_transfer_begin(struct procd *d, uint32_t ep, const struct procd_policy *policy,
			      const struct procd_msg_transfer_begin *m, uint32_t *id, struct procd_refusal *why)
{
	struct procd_transfer *t = 0;
	procd_cap staging;
	uint32_t i, status;

	if (m->size == 0)
		return refuse_begin(policy, "the image is empty");
	if (m->size > PROCD_LOADER_IMAGE_MAX)
		return refuse_begin(policy, "the image is larger than PROCD_LOADER_IMAGE_MAX");
	if (m->nsegments == 0 || m->nsegments > PROCD_LOADER_SEGMENTS_MAX)
		return refuse_begin(policy, "the segment count is outside 1..PROCD_LOADER_SEGMENTS_MAX");
	status = may_open(d, procd_endpoint_at(&d->endpoints, ep)->role, m->size, why);
	if (status != PROCD_OK)
		return status;
	/* The frames: memory procd alone holds, where the bytes land as they
	 * arrive and from which the child will run once shaped and sealed.
	 * Allocated first, so that a BEGIN that fails changes nothing. */
	staging = port_image_create(m->size);
	if (staging == PROCD_NO_CAP)
		return PROCD_E_IO;
	/* The newest BEGIN for a role wins: an older transfer for it is
	 * reclaimed, and its id goes stale. */
	for (i = 0; i < PROCD_MAX_TRANSFERS; i++)
		if (L.transfers[i].id != 0 && L.transfers[i].policy == policy) {
			log_transfer(&L.transfers[i], "superseded", 0);
			release(&L.transfers[i]);
		}
	for (i = 0; i < PROCD_MAX_TRANSFERS && !t; i++)
		if (L.transfers[i].id == 0)
			t = &L.transfers[i];
	if (!t) {
		port_cap_drop(staging);
		return PROCD_E_NO_SPACE;
	}
	i = (uint32_t)(t - L.transfers);
	t->staging = staging;
	t->id = (uint32_t)L.generation[i] * PROCD_MAX_TRANSFERS + i + 1;
	t->ep = ep;
	t->policy = policy;
	t->size = m->size;
	t->entry = m->entry;
	t->nsegments = m->nsegments;
	t->last_ms = port_now_ms();
	if (PROCD_FAULT(PROCD_FAULT_LOADER_AFTER_FRAMES)) {
		log_transfer(t, "failed; everything it built is taken back", 0);
		release(t);
		return PROCD_E_IO;
	}
	*id = t->id;
	return PROCD_OK;
}

uint32_t procd_transfer_chunk(struct procd *d, uint32_t ep, const struct procd_msg_transfer_chunk *m,
			      const unsigned char *bytes, uint32_t len, uint64_t *received, struct procd_refusal *why)
{
	uint32_t status;
	struct procd_transfer *t = find(m->transfer, ep, &status, why);

	(void)d;
	if (!t)
		return status;
	/* In order, no overlap, no gap, nothing past the declared size. */
	if (m->length != len || len == 0 || m->offset != t->received || len > t->size - t->received)
		return PROCD_E_INVALID;
	/* A failed copy leaves the image unknowable: the transfer ends. */
	if (port_image_write(t->staging, m->offset, bytes, len) != 0 ||
	    PROCD_FAULT(PROCD_FAULT_LOADER_PARTIAL_COPY)) {
		log_transfer(t, "failed; everything it built is taken back", 0);
		release(t);
		return PROCD_E_IO;
	}
	t->received += len;
	t->last_ms = port_now_ms();
	*received = t->received;
	return PROCD_OK;
}

/* The caller's plan, in the validator's terms. */
static int plan_from_message(const struct procd_msg_transfer_commit *m, struct procd_segment *segs)
{
	if (m->nsegments == 0 || m->nsegments > PROCD_LOADER_SEGMENTS_MAX)
		return -1;
	for (uint32_t i = 0; i < m->nsegments; i++) {
		if (m->seg[i].reserved != 0)
			return -1;
		segs[i].offset = m->seg[i].offset;
		segs[i].vaddr = m->seg[i].vaddr;
		segs[i].filesz = m->seg[i].filesz;
		segs[i].memsz = m->seg[i].memsz;
		segs[i].flags = m->seg[i].flags;
	}
	for (uint32_t i = m->nsegments; i < PROCD_LOADER_SEGMENTS_MAX; i++) {
		const struct procd_msg_segment *z = &m->seg[i];

		if (z->offset || z->vaddr || z->filesz || z->memsz || z->flags || z->reserved)
			return -1;
	}
	return 0;
}

/*
 * Shapes the received bytes into the image the child runs from: what
 * validation accepted stays (the ELF header and program headers, each
 * loaded segment's file bytes); every other byte is zeroed (section
 * headers, symbols, anything loaderd sent that the plan does not load) and
 * the image ends with its last loaded byte; bss is the loader's zero fill
 * beyond filesz. Then sealed: nobody, procd included, writes it again.
 */
static uint32_t shape(procd_cap image, const struct procd_elf_plan *plan)
{
	/* What stays: the ELF header, the program header table (wherever the
	 * header put it) and each segment's file bytes, sorted by offset. */
	struct range {
		uint64_t start, end;
	} keep[2 + PROCD_ELF_MAX_SEGMENTS];
	uint32_t n = 0;
	uint64_t at = 0;

	keep[n++] = (struct range){ 0, PROCD_ELF64_EHDR_SIZE };
	keep[n++] = (struct range){ plan->phdr_offset, plan->phdr_end };
	for (uint32_t i = 0; i < plan->nsegments; i++)
		if (plan->seg[i].filesz != 0)
			keep[n++] = (struct range){ plan->seg[i].offset, plan->seg[i].offset + plan->seg[i].filesz };
	/* A few ranges, once: insertion sort by start. */
	for (uint32_t i = 1; i < n; i++)
		for (uint32_t j = i; j > 0 && keep[j].start < keep[j - 1].start; j--) {
			struct range t = keep[j];

			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	for (uint32_t i = 0; i < n; i++) {
		if (keep[i].start > at && port_image_zero(image, at, keep[i].start - at) != 0)
			return PROCD_E_IO;
		if (i == 1 && PROCD_FAULT(PROCD_FAULT_LOADER_PARTIAL_MAP))
			return PROCD_E_IO;
		if (keep[i].end > at)
			at = keep[i].end;
	}
	if (port_image_trim(image, at) != 0)
		return PROCD_E_IO;
	return port_image_seal(image) == 0 ? PROCD_OK : PROCD_E_IO;
}

/* Checks the received bytes and the caller's plan against each other. */
static uint32_t validate(struct procd_transfer *t, const struct procd_msg_transfer_commit *m,
			 const unsigned char *bytes, struct procd_elf_plan *plan)
{
	struct procd_segment segs[PROCD_LOADER_SEGMENTS_MAX];
	const char *why = 0;

	if (procd_elf_check(bytes, (size_t)t->size, STACK_RESERVE, plan, &why) != PROCD_OK) {
		log_transfer(t, "refused", why);
		return PROCD_E_INVALID;
	}
	if (plan_from_message(m, segs) != 0 || m->nsegments != t->nsegments ||
	    !procd_elf_plan_matches(plan, segs, m->nsegments)) {
		log_transfer(t, "refused", "the segment plan is not the image's");
		return PROCD_E_INVALID;
	}
	if (plan->entry != t->entry) {
		log_transfer(t, "refused", "the entry is not the image's");
		return PROCD_E_INVALID;
	}
	/* Each segment's file bytes follow the previous one's, as linkers lay
	 * them out: no byte of the file is loaded into two segments. */
	for (uint32_t i = 1, prev = 0; i < plan->nsegments; i++) {
		if (plan->seg[i].filesz == 0)
			continue;
		if (plan->seg[prev].filesz != 0 &&
		    plan->seg[i].offset < plan->seg[prev].offset + plan->seg[prev].filesz) {
			log_transfer(t, "refused", "segments' file bytes are not in ascending order");
			return PROCD_E_INVALID;
		}
		prev = i;
	}
	return PROCD_OK;
}

uint32_t procd_transfer_commit(struct procd *d, uint32_t ep, const struct procd_msg_transfer_commit *m,
			       uint32_t *pid, struct procd_refusal *why)
{
	static struct procd_elf_plan plan;
	struct procd_proc *p = 0;
	procd_cap alias = PROCD_NO_CAP;
	const unsigned char *bytes;
	uint32_t status;
	struct procd_transfer *t = find(m->transfer, ep, &status, why);

	if (!t)
		return status;
	if (t->received != t->size)
		return PROCD_E_INVALID;
	bytes = port_image_map(t->staging, t->size);
	if (!bytes)
		return PROCD_E_IO;
	status = validate(t, m, bytes, &plan);
	if (status == PROCD_OK && PROCD_FAULT(PROCD_FAULT_LOADER_AFTER_TRANSFER))
		status = PROCD_E_IO;
	/* procd starts it on its own authority: the child's manager is procd
	 * (and rootd), never loaderd, which gets only its id. */
	if (status == PROCD_OK)
		status = procd_create(d, t->policy, ep, ROLE_PROCD, &p, &alias, NULL);
	if (status == PROCD_OK) {
		p->kept_alias = alias;
		if (PROCD_FAULT(PROCD_FAULT_LOADER_AFTER_CHILD))
			status = PROCD_E_IO;
	}
	if (status == PROCD_OK)
		status = shape(t->staging, &plan);
	port_image_unmap(bytes, t->size);
	if (status == PROCD_OK) {
		/* The image is the record's from here, whatever happens. */
		status = procd_start_image(d, p, t->staging);
		t->staging = PROCD_NO_CAP;
	}
	if (status == PROCD_OK && PROCD_FAULT(PROCD_FAULT_LOADER_AFTER_EVENTS))
		status = PROCD_E_IO;
	if (status != PROCD_OK) {
		/* Take back everything: the child (killed and collected if it
		 * ran), its record and image, the transfer's memory. */
		if (p)
			procd_stop(d, p);
		log_transfer(t, "failed; everything it built is taken back", 0);
		release(t);
		return status;
	}
	*pid = p->pid;
	log_transfer(t, "materialized and started", 0);
	release(t);
	return PROCD_OK;
}

/* Every transfer that came through endpoint ep dies with its sender. */
static void abandon(struct procd *d, uint32_t ep)
{
	(void)d;
	for (uint32_t i = 0; i < PROCD_MAX_TRANSFERS; i++)
		if (L.transfers[i].id != 0 && L.transfers[i].ep == ep) {
			log_transfer(&L.transfers[i], "abandoned by its sender; reclaimed", 0);
			release(&L.transfers[i]);
		}
}

static uint64_t reclaim_idle(struct procd *d, uint64_t now)
{
	uint64_t next = UINT64_MAX;

	(void)d;
	for (uint32_t i = 0; i < PROCD_MAX_TRANSFERS; i++) {
		struct procd_transfer *t = &L.transfers[i];
		uint64_t due = t->last_ms + PROCD_TRANSFER_IDLE_MS;

		if (t->id == 0)
			continue;
		if (now >= due) {
			log_transfer(t, "idle too long; reclaimed", 0);
			release(t);
		} else if (due < next) {
			next = due;
		}
	}
	return next;
}

uint32_t procd_transfers_open(void)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < PROCD_MAX_TRANSFERS; i++)
		n += L.transfers[i].id != 0;
	return n;
}

static void reset(struct procd *d)
{
	(void)d;
	procd_bytes_zero(&L, sizeof L);
	for (uint32_t i = 0; i < PROCD_MAX_TRANSFERS; i++)
		L.transfers[i].staging = PROCD_NO_CAP;
}

/* A process's transfers (sent through its minted aliases) die with it. */
static void sender_gone(struct procd *d, const struct procd_proc *p)
{
	procd_endpoints_of(d, p, abandon);
}

static void sender_ended(struct procd *d, const struct procd_proc *p, uint32_t kind, int32_t code)
{
	(void)kind;
	(void)code;
	sender_gone(d, p);
}

static void abandon_all(struct procd *d)
{
	for (uint32_t i = 0; i < PROCD_MAX_TRANSFERS; i++)
		if (L.transfers[i].id != 0)
			abandon(d, L.transfers[i].ep);
}

PROCD_HOOKS(loader) = {
	.name = "loader",
	.init = reset,
	.tick = reclaim_idle,
	.ended = sender_ended,
	.retiring = sender_gone,
	.endpoint_closed = abandon,
	.shutdown = abandon_all,
};
