/* SPDX-License-Identifier: ISC */
/*
 * The kernel half of the model: objects, CSpaces, the system calls and
 * kernel operations of core/port/erix/erix_abi.h, the tracees, the
 * scheduler and the virtual clock.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/erix-model/model.h"

#ifndef PTRACE_SYSEMU
#define PTRACE_SYSEMU 31
#endif

uint64_t model_now_ns;
int model_verbose;
struct proc *model_procs[MODEL_MAX_PROCS];
unsigned model_nprocs;
unsigned model_nobjs;
unsigned model_nmsgs;

static unsigned next_obj_id = 1;
static struct proc *runq[MODEL_MAX_PROCS];
static unsigned runq_len;
static struct proc *current; /* the one tracee running, if any */

static void die(const char *what)
{
	fprintf(stderr, "erix-model: %s: %s\n", what, strerror(errno));
	model_kill_all();
	exit(70);
}

struct obj *obj_new(enum obj_kind kind)
{
	struct obj *o = calloc(1, sizeof *o);

	if (!o)
		die("out of memory");
	o->kind = kind;
	o->refs = 1;
	o->id = next_obj_id++;
	model_nobjs++;
	return o;
}

void obj_hold(struct obj *o)
{
	if (o)
		o->refs++;
}

static void wake_receivers(struct obj *end);

void obj_drop(struct obj *o)
{
	if (!o || --o->refs > 0)
		return;
	switch (o->kind) {
	case OBJ_END:
		while (o->head)
			msg_free(end_take(o));
		if (o->peer) {
			struct obj *peer = o->peer;

			peer->peer = NULL;
			if (peer->bound_to)
				queue_event(peer->bound_to, peer->badge, ERIX_EVENT_HANGUP, NULL, 0, NULL, 0);
			else
				wake_receivers(peer); /* they see the hang-up */
		}
		obj_drop(o->bound_to);
		break;
	case OBJ_FRAME:
		free(o->data);
		break;
	case OBJ_PROCESS:
		if (o->proc)
			o->proc->self = NULL;
		break;
	case OBJ_CONTROL:
		break;
	}
	model_nobjs--;
	free(o);
}

void endpoint_new(struct obj **a, struct obj **b)
{
	*a = obj_new(OBJ_END);
	*b = obj_new(OBJ_END);
	(*a)->peer = *b;
	(*b)->peer = *a;
}

int end_hung_up(const struct obj *end)
{
	return end->peer == NULL && end->head == NULL;
}

struct msg *msg_new(const void *bytes, size_t len)
{
	struct msg *m = calloc(1, sizeof *m);

	if (!m || !(m->bytes = malloc(len ? len : 1)))
		die("out of memory");
	if (len)
		memcpy(m->bytes, bytes, len);
	m->len = len;
	model_nmsgs++;
	return m;
}

void msg_free(struct msg *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->ncaps; i++)
		obj_drop(m->caps[i]);
	free(m->bytes);
	free(m);
	model_nmsgs--;
}

struct msg *end_take(struct obj *end)
{
	struct msg *m = end->head;

	if (!m)
		return NULL;
	end->head = m->next;
	if (!end->head)
		end->tail = NULL;
	end->queued--;
	m->next = NULL;
	return m;
}

static void complete_recv(struct proc *p);

int queue_event(struct obj *r, uint64_t badge, uint32_t event, const void *bytes, size_t len, struct msg *m,
		int limit)
{
	struct erix_event h = { badge, event, 0 };
	struct msg *e;

	if (limit && r->queued >= ERIX_RECEIVE_QUEUE_MAX) {
		msg_free(m);
		return -ERIX_EAGAIN;
	}
	e = msg_new(NULL, 0);
	free(e->bytes);
	if (!(e->bytes = malloc(sizeof h + len)))
		abort();
	memcpy(e->bytes, &h, sizeof h);
	if (len)
		memcpy(e->bytes + sizeof h, bytes, len);
	e->len = sizeof h + len;
	if (m) {
		memcpy(e->caps, m->caps, m->ncaps * sizeof m->caps[0]);
		e->ncaps = m->ncaps;
		m->ncaps = 0;
		msg_free(m);
	}
	if (r->tail)
		r->tail->next = e;
	else
		r->head = e;
	r->tail = e;
	r->queued++;
	wake_receivers(r);
	return 0;
}

int end_send(struct obj *end, struct msg *m)
{
	struct obj *to = end->peer;

	if (!to) {
		msg_free(m);
		return -ERIX_EPIPE;
	}
	if (to->bound_to)
		return queue_event(to->bound_to, to->badge, ERIX_EVENT_MESSAGE, m->bytes, m->len, m, 1);
	if (to->queued >= MODEL_QUEUE_MAX) {
		msg_free(m);
		return -ERIX_EAGAIN;
	}
	if (to->served) {
		to->served(to, m);
		return 0;
	}
	if (to->tail)
		to->tail->next = m;
	else
		to->head = m;
	to->tail = m;
	to->queued++;
	wake_receivers(to);
	return 0;
}

struct obj *frame_from_file(const char *path, const char *name)
{
	FILE *f = fopen(path, "rb");
	struct obj *o;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || (uint64_t)size > ERIX_FRAME_MAX ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	o = obj_new(OBJ_FRAME);
	o->data = calloc(1, (size_t)size + 1);
	o->size = (uint64_t)size;
	if (!o->data || fread(o->data, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		obj_drop(o);
		return NULL;
	}
	fclose(f);
	o->sealed = 1; /* boot modules are sealed by rootd */
	snprintf(o->name, sizeof o->name, "%s", name);
	return o;
}

/* ---- tracee memory and registers ---- */

static int peek(struct proc *p, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)(uintptr_t)addr, len };

	if (len == 0)
		return 0;
	return process_vm_readv(p->pid, &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -1;
}

static int poke(struct proc *p, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len }, remote = { (void *)(uintptr_t)addr, len };

	if (len == 0)
		return 0;
	return process_vm_writev(p->pid, &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -1;
}

static void get_regs(struct proc *p, struct user_regs_struct *r)
{
	if (ptrace(PTRACE_GETREGS, p->pid, 0, r) != 0)
		die("PTRACE_GETREGS");
}

static void set_regs(struct proc *p, const struct user_regs_struct *r)
{
	if (ptrace(PTRACE_SETREGS, p->pid, 0, r) != 0)
		die("PTRACE_SETREGS");
}

static void set_result(struct proc *p, long value)
{
	struct user_regs_struct r;

	get_regs(p, &r);
	r.rax = (unsigned long long)value;
	set_regs(p, &r);
}

/*
 * Makes the tracee run one real Linux system call (mmap, mprotect, munmap:
 * what FRAME_MAP needs memory for), then puts it back as it was. At a
 * SYSEMU stop the `syscall` instruction just executed is reused; at the
 * exec stop (at_syscall 0) one is written over the entry for the moment.
 */
static long inject(struct proc *p, int at_syscall, long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	struct user_regs_struct saved, r;
	long word = 0, result;
	int status, entered = 0;

	get_regs(p, &saved);
	r = saved;
	if (at_syscall) {
		r.rip -= 2;
	} else {
		errno = 0;
		word = ptrace(PTRACE_PEEKTEXT, p->pid, r.rip, 0);
		if (errno != 0)
			die("PTRACE_PEEKTEXT");
		if (ptrace(PTRACE_POKETEXT, p->pid, r.rip, (word & ~0xffffL) | 0x050f) != 0)
			die("PTRACE_POKETEXT");
	}
	r.rax = r.orig_rax = (unsigned long long)nr;
	r.rdi = (unsigned long long)a0;
	r.rsi = (unsigned long long)a1;
	r.rdx = (unsigned long long)a2;
	r.r10 = (unsigned long long)a3;
	r.r8 = (unsigned long long)a4;
	r.r9 = (unsigned long long)a5;
	set_regs(p, &r);
	for (;;) {
		struct __ptrace_syscall_info info;

		if (ptrace(PTRACE_SYSCALL, p->pid, 0, 0) != 0)
			die("PTRACE_SYSCALL");
		if (waitpid(p->pid, &status, __WALL) != p->pid || !WIFSTOPPED(status))
			die("the tracee vanished during an injected call");
		if (WSTOPSIG(status) != (SIGTRAP | 0x80))
			continue;
		if (ptrace(PTRACE_GET_SYSCALL_INFO, p->pid, sizeof info, &info) <= 0)
			die("PTRACE_GET_SYSCALL_INFO");
		if (info.op == PTRACE_SYSCALL_INFO_ENTRY)
			entered = 1;
		else if (info.op == PTRACE_SYSCALL_INFO_EXIT && entered)
			break;
	}
	get_regs(p, &r);
	result = (long)r.rax;
	if (!at_syscall && ptrace(PTRACE_POKETEXT, p->pid, saved.rip, word) != 0)
		die("PTRACE_POKETEXT");
	set_regs(p, &saved);
	return result;
}

/* Read-only memory in the tracee holding bytes; 0 on failure. */
static uint64_t map_into(struct proc *p, int at_syscall, const void *bytes, size_t len)
{
	size_t span = (len + 4095) & ~(size_t)4095;
	long addr;

	if (span == 0)
		span = 4096;
	addr = inject(p, at_syscall, SYS_mmap, 0, (long)span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (addr < 0 && addr > -4096)
		return 0;
	if (poke(p, (uint64_t)addr, bytes, len) != 0 ||
	    inject(p, at_syscall, SYS_mprotect, addr, (long)span, PROT_READ, 0, 0, 0) != 0) {
		inject(p, at_syscall, SYS_munmap, addr, (long)span, 0, 0, 0, 0);
		return 0;
	}
	for (size_t i = 0; i < sizeof p->maps / sizeof p->maps[0]; i++)
		if (p->maps[i].addr == 0) {
			p->maps[i] = (struct mapping){ (uint64_t)addr, span };
			break;
		}
	return (uint64_t)addr;
}

/* ---- CSpaces ---- */

static struct obj *slot_obj(struct proc *p, uint64_t slot)
{
	if (slot < ERIX_SLOT_FIRST || slot >= p->window)
		return NULL;
	return p->cspace[slot];
}

/* Installs o (taking a new hold) in the lowest free slot; -1 if full. */
static long install_free(struct proc *p, struct obj *o)
{
	for (uint32_t s = ERIX_SLOT_FIRST; s < p->window; s++)
		if (!p->cspace[s]) {
			obj_hold(o);
			p->cspace[s] = o;
			p->received[s] = 1;
			return s;
		}
	return -1;
}

static int delete_slot(struct proc *p, uint64_t slot)
{
	struct obj *o = slot_obj(p, slot);

	if (!o)
		return -ERIX_EBADF;
	p->cspace[slot] = NULL;
	p->received[slot] = 0;
	obj_drop(o);
	return 0;
}

static const char *kind_name(const struct obj *o)
{
	switch (o->kind) {
	case OBJ_END:
		return "endpoint";
	case OBJ_FRAME:
		return "frame";
	case OBJ_PROCESS:
		return "process";
	default:
		return "control";
	}
}

void model_print_cspaces(FILE *out)
{
	for (unsigned i = 0; i < model_nprocs; i++) {
		struct proc *p = model_procs[i];

		if (p->state == P_DEAD)
			continue;
		unsigned received = 0;

		/* What it was started with, by slot; what it received since
		 * (landing wherever was free), as a count. */
		fprintf(out, "cspace %s %u window %u:", p->name, p->id, p->window);
		for (uint32_t s = 0; s < p->window; s++) {
			if (p->cspace[s] && p->received[s])
				received++;
			else if (p->cspace[s])
				fprintf(out, " %u=%s", s, kind_name(p->cspace[s]));
		}
		if (received)
			fprintf(out, " received=%u", received);
		fputc('\n', out);
	}
	fflush(out);
}

/* ---- the run queue ---- */

static void runnable(struct proc *p)
{
	p->state = P_RUNNABLE;
	if (p != current && !p->in_runq && runq_len < MODEL_MAX_PROCS) {
		runq[runq_len++] = p;
		p->in_runq = 1;
	}
}

static void block_recv(struct proc *p, struct obj *end, uint64_t buf, uint64_t size, uint64_t caps_out,
		       uint64_t maxcaps, uint64_t call_caps, uint64_t timeout_ms)
{
	p->state = P_BLOCKED_RECV;
	obj_hold(end);
	p->recv_on = end;
	p->buf = buf;
	p->size = size;
	p->caps_out = caps_out;
	p->maxcaps = maxcaps;
	p->call_caps = call_caps;
	p->deadline_ns = timeout_ms == ERIX_TIMEOUT_NEVER ? UINT64_MAX : model_now_ns + timeout_ms * 1000000u;
}

static void wake_receivers(struct obj *end)
{
	for (unsigned i = 0; i < model_nprocs; i++) {
		struct proc *p = model_procs[i];

		if (p->state == P_BLOCKED_RECV && p->recv_on == end)
			complete_recv(p);
	}
}

/* Delivers the first message at `end` to p's receive, or the hang-up. */
static long deliver(struct proc *p, struct obj *end, uint64_t buf, uint64_t size, uint64_t caps_out,
		    uint64_t maxcaps, uint64_t call_caps)
{
	struct msg *m = end_take(end);
	uint32_t landed[MODEL_MSG_CAPS];
	uint32_t accepted = 0;

	if (!m)
		return -ERIX_EPIPE;
	if (poke(p, buf, m->bytes, m->len < size ? m->len : size) != 0) {
		msg_free(m);
		return -ERIX_EFAULT;
	}
	size_t offered = 0;

	for (size_t i = 0; i < m->ncaps && i < maxcaps && i < MODEL_MSG_CAPS; i++) {
		long s = install_free(p, m->caps[i]);

		landed[offered++] = s < 0 ? ERIX_NO_SLOT : (uint32_t)s;
		accepted += s >= 0;
	}
	if (offered)
		poke(p, caps_out, landed, offered * sizeof landed[0]);
	if (call_caps)
		poke(p, call_caps + offsetof(struct erix_call_caps, nrecv), &accepted, sizeof accepted);
	long result = (long)((uint64_t)m->ncaps << 32 | (uint64_t)m->len);

	msg_free(m);
	return result;
}

static void finish_recv(struct proc *p, long result)
{
	obj_drop(p->recv_on);
	p->recv_on = NULL;
	set_result(p, result);
	if (model_verbose)
		fprintf(stderr, "[%8.3f] %s %u: ... -> %ld\n", model_now_ns / 1e6, p->name, p->id, result);
	runnable(p);
}

static void complete_recv(struct proc *p)
{
	struct obj *end = p->recv_on;

	if (end->head)
		finish_recv(p, deliver(p, end, p->buf, p->size, p->caps_out, p->maxcaps, p->call_caps));
	else if (end_hung_up(end))
		finish_recv(p, -ERIX_EPIPE);
}

/* ---- process ends ---- */

static void send_end_notice(struct proc *p)
{
	struct erix_end e = { 0, p->how, p->code, 0 };
	struct obj *r = p->notify;

	if (!r)
		return;
	p->notify = NULL;
	queue_event(r, p->notify_badge, ERIX_EVENT_END, &e, sizeof e, NULL, 0);
	obj_drop(r);
}

static void reap(struct proc *p)
{
	int status;

	if (p->pid <= 0)
		return;
	kill(p->pid, SIGKILL);
	while (waitpid(p->pid, &status, __WALL) == p->pid && !WIFEXITED(status) && !WIFSIGNALED(status))
		;
}

static void proc_ended(struct proc *p, uint32_t how, int32_t code)
{
	if (p->state == P_DEAD)
		return;
	reap(p);
	p->state = P_DEAD;
	p->ended = 1;
	p->how = how;
	p->code = code;
	if (model_verbose)
		fprintf(stderr, "[%8.3f] %s %u: ended (how %u, code %d)\n", model_now_ns / 1e6, p->name, p->id, how, code);
	if (p->recv_on) {
		obj_drop(p->recv_on);
		p->recv_on = NULL;
	}
	if (p->collect_on) {
		obj_drop(p->collect_on);
		p->collect_on = NULL;
	}
	for (uint32_t s = 0; s < p->window; s++)
		if (p->cspace[s]) {
			struct obj *o = p->cspace[s];

			p->cspace[s] = NULL;
			p->received[s] = 0;
			obj_drop(o);
		}
	send_end_notice(p);
	/* A COLLECT waiting for it is answered. */
	for (unsigned i = 0; i < model_nprocs; i++) {
		struct proc *w = model_procs[i];

		if (w->state == P_BLOCKED_COLLECT && w->collect_on && w->collect_on->proc == p) {
			struct erix_end e = { 0, p->how, p->code, 0 };

			p->collected = 1;
			poke(w, w->reply, &e, sizeof e < w->reply_size ? sizeof e : w->reply_size);
			obj_drop(w->collect_on);
			w->collect_on = NULL;
			set_result(w, sizeof e);
			runnable(w);
		}
	}
}

/*
 * An ended process whose process capability nobody holds any more is
 * named by nothing: its slots went at its end, a COLLECT waiting for it
 * holds that capability, its end notice was sent at its end. Only the run
 * queue and the table still list it, and it leaves both; the table closes
 * up, so every walk of it (the CSpace dump, who is woken first) keeps the
 * order of spawning. Done between steps and at a spawn, never while a walk
 * of the table or the queue is under way, nor for the process that runs.
 */
static int releasable(const struct proc *p)
{
	return p->state == P_DEAD && !p->self && p != current;
}

static void release_dead(void)
{
	unsigned kept = 0;

	for (unsigned i = 0; i < runq_len; i++) {
		if (releasable(runq[i]))
			runq[i]->in_runq = 0;
		else
			runq[kept++] = runq[i];
	}
	runq_len = kept;
	kept = 0;
	for (unsigned i = 0; i < model_nprocs; i++) {
		struct proc *p = model_procs[i];

		if (!releasable(p)) {
			model_procs[kept++] = p;
			continue;
		}
		if (model_verbose)
			fprintf(stderr, "[%8.3f] %s %u: released\n", model_now_ns / 1e6, p->name, p->id);
		free(p->cspace);
		free(p->received);
		free(p);
	}
	model_nprocs = kept;
}

void proc_fault(struct proc *p, int32_t fault)
{
	proc_ended(p, ERIX_END_FAULTED, fault);
}

void proc_kill(struct proc *p)
{
	proc_ended(p, ERIX_END_KILLED, ERIX_KILLED_BY_KILL);
}

void model_kill_all(void)
{
	for (unsigned i = 0; i < model_nprocs; i++)
		if (model_procs[i]->state != P_DEAD)
			reap(model_procs[i]);
}

/* ---- spawning ---- */

static int image_is_exec(const struct obj *image)
{
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)image->data;

	return image->size >= sizeof *h && memcmp(h->e_ident, ELFMAG, SELFMAG) == 0 &&
	       h->e_ident[EI_CLASS] == ELFCLASS64 && h->e_type == ET_EXEC && h->e_machine == EM_X86_64;
}

struct proc *proc_spawn(struct obj *image, uint32_t window, const uint32_t *slots, struct obj **caps,
			size_t ncaps, const void *envelope, size_t envelope_len)
{
	static unsigned next_id = 1;
	struct proc *p;
	int fd, status;
	pid_t pid;

	errno = EINVAL;
	if (!image_is_exec(image) || window > ERIX_WINDOW_MAX || window < ERIX_SLOT_FIRST)
		return NULL;
	for (size_t i = 0; i < ncaps; i++) {
		if (slots[i] < ERIX_SLOT_FIRST || slots[i] >= window)
			return NULL;
		for (size_t j = 0; j < i; j++)
			if (slots[j] == slots[i])
				return NULL;
	}
	release_dead();
	if (model_nprocs >= MODEL_MAX_PROCS) {
		fprintf(stderr, "erix-model: no process for %s: the process table is full (%u entries, each running "
			"or named by a process capability)\n", image->name[0] ? image->name : "image", model_nprocs);
		errno = ENOMEM;
		return NULL;
	}
	fd = memfd_create(image->name[0] ? image->name : "image", MFD_CLOEXEC);
	if (fd < 0 || write(fd, image->data, image->size) != (ssize_t)image->size) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		char *argv[] = { NULL }, *envp[] = { NULL };

		if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0)
			_exit(127);
		syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
		_exit(127);
	}
	close(fd);
	if (waitpid(pid, &status, __WALL) != pid || !WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, __WALL);
		return NULL;
	}
	if (ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL) != 0)
		die("PTRACE_SETOPTIONS");
	p = calloc(1, sizeof *p);
	if (!p || !(p->cspace = calloc(window, sizeof *p->cspace)) || !(p->received = calloc(window, 1)))
		die("out of memory");
	p->pid = pid;
	p->id = next_id++;
	p->window = window;
	snprintf(p->name, sizeof p->name, "%s", image->name[0] ? image->name : "image");
	p->self = obj_new(OBJ_PROCESS);
	p->self->proc = p;
	p->self->refs = 0; /* the caller takes the first hold */
	for (size_t i = 0; i < ncaps; i++) {
		obj_hold(caps[i]);
		p->cspace[slots[i]] = caps[i];
	}
	model_procs[model_nprocs++] = p;
	if (envelope) {
		uint64_t at = map_into(p, 0, envelope, envelope_len);
		struct user_regs_struct r;

		if (at == 0)
			die("cannot map the envelope into procd");
		get_regs(p, &r);
		r.rdi = at;
		set_regs(p, &r);
	}
	runnable(p);
	return p;
}

/* ---- kernel operations ---- */

struct kop_out {
	struct erix_kop_reply reply;
	struct obj *caps[2];
	size_t ncaps;
	int block; /* the call does not complete now */
};

static struct proc *process_at(struct proc *p, uint32_t slot)
{
	struct obj *o = slot_obj(p, slot);

	return o && o->kind == OBJ_PROCESS ? o->proc : NULL;
}

static struct obj *frame_at(struct proc *p, uint32_t slot)
{
	struct obj *o = slot_obj(p, slot);

	return o && o->kind == OBJ_FRAME ? o : NULL;
}

static const char *kop_name(uint32_t op)
{
	static const char *const names[] = { "?", "LOG", "TIME_MS", "ENDPOINT", "COPY_CAP", "(retired)", "SPAWN",
					     "KILL", "COLLECT", "LIST_LOCAL", "FRAME", "FRAME_WRITE", "FRAME_SEAL",
					     "FRAME_MAP", "FRAME_UNMAP", "FRAME_ZERO", "FRAME_TRIM", "SAME_CAP",
					     "NOTIFY_END", "BIND" };

	return op < sizeof names / sizeof names[0] ? names[op] : "?";
}


static int32_t kop(struct proc *p, const unsigned char *req, size_t len, struct obj **sent, size_t nsent,
		   struct kop_out *out)
{
	struct erix_kop k;

	if (len < sizeof k)
		return -ERIX_EINVAL;
	memcpy(&k, req, sizeof k);
	if (model_verbose)
		fprintf(stderr, "[%8.3f] %s %u: kop %s arg %u value %llu\n", model_now_ns / 1e6, p->name, p->id,
			kop_name(k.op), k.arg, (unsigned long long)k.value);
	switch (k.op) {
	case ERIX_KOP_LOG:
		if (k.arg > ERIX_LOG_MAX || len != sizeof k + k.arg)
			return -ERIX_EINVAL;
		model_log_line((const char *)req + sizeof k, k.arg);
		return 0;
	case ERIX_KOP_TIME_MS:
		out->reply.value = model_now_ns / 1000000u;
		return 0;
	case ERIX_KOP_ENDPOINT:
		endpoint_new(&out->caps[0], &out->caps[1]);
		out->ncaps = 2;
		return 0;
	case ERIX_KOP_COPY_CAP: {
		struct obj *o = slot_obj(p, k.arg);

		if (!o)
			return -ERIX_EBADF;
		obj_hold(o);
		out->caps[0] = o;
		out->ncaps = 1;
		return 0;
	}
	case ERIX_KOP_SPAWN: {
		struct erix_spawn s;
		struct proc *child;

		if (len != sizeof s)
			return -ERIX_EINVAL;
		memcpy(&s, req, sizeof s);
		if (s.ncaps > ERIX_SPAWN_MAX_CAPS || nsent != s.ncaps + 1)
			return -ERIX_EINVAL;
		if (sent[0]->kind != OBJ_FRAME || !sent[0]->sealed)
			return -ERIX_EBADF;
		child = proc_spawn(sent[0], s.window, s.slots, sent + 1, s.ncaps, NULL, 0);
		if (!child)
			return errno == ENOMEM ? -ERIX_ENOMEM : -ERIX_EINVAL;
		obj_hold(child->self);
		out->caps[0] = child->self;
		out->ncaps = 1;
		out->reply.value = child->id;
		return 0;
	}
	case ERIX_KOP_KILL: {
		struct proc *c = process_at(p, k.arg);

		if (!c)
			return -ERIX_EBADF;
		proc_kill(c);
		return 0;
	}
	case ERIX_KOP_COLLECT: {
		struct proc *c = process_at(p, k.arg);

		if (!c)
			return -ERIX_EBADF;
		if (c->collected)
			return -ERIX_EINVAL;
		if (!c->ended) {
			if (!k.value)
				return -ERIX_EAGAIN;
			out->block = 1;
			return 0;
		}
		c->collected = 1;
		out->reply.reserved = c->how;
		out->reply.value = (uint64_t)(uint32_t)c->code;
		return 0;
	}
	case ERIX_KOP_LIST_LOCAL:
		out->reply.value = UINT64_MAX;
		for (uint32_t s = k.arg; s < p->window; s++)
			if (s >= ERIX_SLOT_FIRST && p->cspace[s]) {
				out->reply.value = s;
				break;
			}
		return 0;
	case ERIX_KOP_FRAME: {
		struct obj *f;

		if (k.value > ERIX_FRAME_MAX)
			return -ERIX_ENOMEM;
		f = obj_new(OBJ_FRAME);
		f->data = calloc(1, (size_t)k.value + 1);
		if (!f->data) {
			obj_drop(f);
			return -ERIX_ENOMEM;
		}
		f->size = k.value;
		snprintf(f->name, sizeof f->name, "frame%u", f->id);
		out->caps[0] = f;
		out->ncaps = 1;
		return 0;
	}
	case ERIX_KOP_FRAME_WRITE:
	case ERIX_KOP_FRAME_ZERO: {
		struct erix_frame_io io;
		struct obj *f;
		uint64_t count;

		if (len < sizeof io)
			return -ERIX_EINVAL;
		memcpy(&io, req, sizeof io);
		f = frame_at(p, io.kop.arg);
		if (!f)
			return -ERIX_EBADF;
		if (f->sealed)
			return -ERIX_EPERM;
		if (io.length > ERIX_FRAME_IO_MAX || len != sizeof io + io.length || io.reserved != 0)
			return -ERIX_EINVAL;
		if (k.op == ERIX_KOP_FRAME_ZERO) {
			if (io.length != sizeof count)
				return -ERIX_EINVAL;
			memcpy(&count, req + sizeof io, sizeof count);
		} else {
			count = io.length;
		}
		if (io.kop.value > f->size || count > f->size - io.kop.value)
			return -ERIX_EINVAL;
		if (k.op == ERIX_KOP_FRAME_ZERO)
			memset(f->data + io.kop.value, 0, count);
		else
			memcpy(f->data + io.kop.value, req + sizeof io, count);
		return 0;
	}
	case ERIX_KOP_FRAME_SEAL: {
		struct obj *f = frame_at(p, k.arg);

		if (!f)
			return -ERIX_EBADF;
		f->sealed = 1;
		return 0;
	}
	case ERIX_KOP_FRAME_TRIM: {
		struct obj *f = frame_at(p, k.arg);

		if (!f)
			return -ERIX_EBADF;
		if (f->sealed)
			return -ERIX_EPERM;
		if (k.value > f->size)
			return -ERIX_EINVAL;
		f->size = k.value;
		return 0;
	}
	case ERIX_KOP_FRAME_MAP: {
		struct obj *f = frame_at(p, k.arg);

		if (!f)
			return -ERIX_EBADF;
		if (k.value > f->size || k.value == 0)
			return -ERIX_EINVAL;
		out->reply.value = map_into(p, 1, f->data, (size_t)k.value);
		return out->reply.value ? 0 : -ERIX_ENOMEM;
	}
	case ERIX_KOP_FRAME_UNMAP:
		for (size_t i = 0; i < sizeof p->maps / sizeof p->maps[0]; i++)
			if (p->maps[i].addr != 0 && p->maps[i].addr == k.value) {
				inject(p, 1, SYS_munmap, (long)p->maps[i].addr, (long)p->maps[i].len, 0, 0, 0, 0);
				p->maps[i].addr = 0;
				return 0;
			}
		return -ERIX_EINVAL;
	case ERIX_KOP_SAME_CAP: {
		struct obj *a = slot_obj(p, k.arg), *b = k.value < p->window ? slot_obj(p, k.value) : NULL;

		if (!a || !b)
			return -ERIX_EBADF;
		out->reply.value = a == b;
		return 0;
	}
	case ERIX_KOP_NOTIFY_END: {
		struct proc *c = process_at(p, k.arg);

		if (!c || nsent != 1 || sent[0]->kind != OBJ_END)
			return !c ? -ERIX_EBADF : -ERIX_EINVAL;
		if (k.value == 0 || sent[0]->bound_to)
			return -ERIX_EINVAL;
		obj_drop(c->notify);
		obj_hold(sent[0]);
		c->notify = sent[0];
		c->notify_badge = k.value;
		if (c->ended)
			send_end_notice(c);
		return 0;
	}
	case ERIX_KOP_BIND: {
		struct obj *e = slot_obj(p, k.arg), *r;

		if (!e || e->kind != OBJ_END || nsent != 1 || sent[0]->kind != OBJ_END)
			return -ERIX_EBADF;
		r = sent[0];
		if (k.value == 0 || e->bound_to || r->bound_to || r == e)
			return -ERIX_EINVAL;
		obj_hold(r);
		e->bound_to = r;
		e->badge = k.value;
		while (e->head) {
			struct msg *m = end_take(e);

			queue_event(r, e->badge, ERIX_EVENT_MESSAGE, m->bytes, m->len, m, 0);
		}
		if (!e->peer)
			queue_event(r, e->badge, ERIX_EVENT_HANGUP, NULL, 0, NULL, 0);
		return 0;
	}
	default:
		return -ERIX_EINVAL;
	}
}

/* ---- system calls ---- */

/* The slots of a capability list in the caller, as held objects (not
 * held again here); -ERIX_EBADF if one is empty. */
static int read_cap_list(struct proc *p, uint64_t addr, uint64_t n, struct obj **objs)
{
	uint32_t slots[MODEL_MSG_CAPS];

	if (n > MODEL_MSG_CAPS)
		return -ERIX_EMSGSIZE;
	if (n && peek(p, addr, slots, n * sizeof slots[0]) != 0)
		return -ERIX_EFAULT;
	for (uint64_t i = 0; i < n; i++)
		if (!(objs[i] = slot_obj(p, slots[i])))
			return -ERIX_EBADF;
	return 0;
}

static long sys_send(struct proc *p, uint64_t slot, uint64_t buf, uint64_t len, uint64_t caps, uint64_t ncaps)
{
	struct obj *end = slot_obj(p, slot), *objs[MODEL_MSG_CAPS];
	struct msg *m;
	int st;

	if (!end || end->kind != OBJ_END)
		return -ERIX_EBADF;
	if (len > ERIX_MSG_MAX || ncaps > ERIX_MSG_CAPS)
		return -ERIX_EMSGSIZE;
	if ((st = read_cap_list(p, caps, ncaps, objs)) != 0)
		return st;
	if (!end->peer)
		return -ERIX_EPIPE;
	m = msg_new(NULL, 0);
	free(m->bytes);
	m->bytes = malloc(len ? len : 1);
	m->len = len;
	if (!m->bytes || peek(p, buf, m->bytes, len) != 0) {
		msg_free(m);
		return -ERIX_EFAULT;
	}
	for (uint64_t i = 0; i < ncaps; i++) {
		obj_hold(objs[i]);
		m->caps[m->ncaps++] = objs[i];
	}
	return end_send(end, m);
}

static long sys_recv(struct proc *p, uint64_t slot, uint64_t buf, uint64_t size, uint64_t caps_out,
		     uint64_t maxcaps, uint64_t timeout, uint64_t call_caps)
{
	struct obj *end = slot_obj(p, slot);

	if (!end || end->kind != OBJ_END)
		return -ERIX_EBADF;
	if (end->bound_to)
		return -ERIX_EINVAL;
	if (end->head)
		return deliver(p, end, buf, size, caps_out, maxcaps, call_caps);
	if (end_hung_up(end))
		return -ERIX_EPIPE;
	if ((uint32_t)timeout == 0)
		return -ERIX_ETIMEDOUT;
	block_recv(p, end, buf, size, caps_out, maxcaps, call_caps, (uint32_t)timeout);
	return 0;
}

static long sys_call(struct proc *p, uint64_t slot, uint64_t msg, uint64_t len, uint64_t reply, uint64_t size,
		     uint64_t caps_addr)
{
	struct obj *target = slot_obj(p, slot), *sent[MODEL_MSG_CAPS];
	struct erix_call_caps cc = { 0 };
	int st;

	if (!target)
		return -ERIX_EBADF;
	if (caps_addr && peek(p, caps_addr, &cc, sizeof cc) != 0)
		return -ERIX_EFAULT;
	if (target->kind == OBJ_CONTROL) {
		static unsigned char req[sizeof(struct erix_frame_io) + ERIX_FRAME_IO_MAX];
		struct kop_out out;

		memset(&out, 0, sizeof out);
		uint32_t landed[2], accepted = 0;

		if (len > sizeof req)
			return -ERIX_EMSGSIZE;
		if (peek(p, msg, req, len) != 0)
			return -ERIX_EFAULT;
		if ((st = read_cap_list(p, cc.send, cc.nsend, sent)) != 0)
			return st;
		if (len >= sizeof(struct erix_kop)) {
			/* Room for what the op returns is checked before it runs,
			 * so no op happens whose result would be lost. */
			uint32_t op = ((struct erix_kop *)req)->op, need = 0, free = 0;

			need = op == ERIX_KOP_ENDPOINT ? 2 : op == ERIX_KOP_COPY_CAP || op == ERIX_KOP_SPAWN ||
			       op == ERIX_KOP_FRAME ? 1 : 0;
			for (uint32_t s = ERIX_SLOT_FIRST; s < p->window && free < need; s++)
				free += p->cspace[s] == NULL;
			if (free < need || cc.max_recv < need)
				return -ERIX_ENOSPC;
		}
		out.reply.status = kop(p, req, len, sent, cc.nsend, &out);
		if (out.block) {
			struct erix_kop k;

			memcpy(&k, req, sizeof k);
			p->state = P_BLOCKED_COLLECT;
			p->collect_on = slot_obj(p, k.arg);
			obj_hold(p->collect_on);
			p->reply = reply;
			p->reply_size = size;
			return 0;
		}
		if (out.reply.status == 0 && ((struct erix_kop *)req)->op == ERIX_KOP_COLLECT) {
			struct erix_end e = { 0, out.reply.reserved, (int32_t)out.reply.value, 0 };

			memcpy(&out.reply, &e, sizeof e);
		}
		for (size_t i = 0; i < out.ncaps; i++) {
			long s = accepted < cc.max_recv ? install_free(p, out.caps[i]) : -1;

			if (s >= 0)
				landed[accepted++] = (uint32_t)s;
			obj_drop(out.caps[i]);
		}
		if (accepted)
			poke(p, cc.recv, landed, accepted * sizeof landed[0]);
		if (caps_addr)
			poke(p, caps_addr + offsetof(struct erix_call_caps, nrecv), &accepted, sizeof accepted);
		if (poke(p, reply, &out.reply, size < sizeof out.reply ? size : sizeof out.reply) != 0)
			return -ERIX_EFAULT;
		return (long)((uint64_t)out.ncaps << 32 | sizeof out.reply);
	}
	st = (int)sys_send(p, slot, msg, len, cc.send, cc.nsend);
	if (st != 0)
		return st;
	return sys_recv(p, slot, reply, size, cc.recv, cc.max_recv, ERIX_TIMEOUT_NEVER, caps_addr);
}

static void on_syscall(struct proc *p)
{
	struct user_regs_struct r;
	long result;

	get_regs(p, &r);
	p->calls++;
	switch (r.orig_rax) {
	case ERIX_SYS_SEND:
		result = sys_send(p, r.rdi, r.rsi, r.rdx, r.r10, r.r8);
		break;
	case ERIX_SYS_RECV:
		result = sys_recv(p, r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9, 0);
		break;
	case ERIX_SYS_CALL:
		result = sys_call(p, r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9);
		break;
	case ERIX_SYS_QUERY_LOCAL_CAP: {
		struct obj *o = slot_obj(p, r.rdi);

		result = !o ? ERIX_CAP_EMPTY : o->kind == OBJ_END || o->kind == OBJ_CONTROL ? ERIX_CAP_ENDPOINT :
			 o->kind == OBJ_FRAME ? ERIX_CAP_FRAME : o->kind == OBJ_PROCESS ? ERIX_CAP_PROCESS :
			 ERIX_CAP_OTHER;
		break;
	}
	case ERIX_SYS_EXIT:
		if (model_verbose)
			fprintf(stderr, "[%8.3f] %s %u: EXIT %d\n", model_now_ns / 1e6, p->name, p->id, (int)r.rdi);
		proc_ended(p, ERIX_END_EXITED, (int32_t)r.rdi);
		return;
	case ERIX_SYS_DEBUG_WRITE: {
		char buf[4096];
		size_t n = r.rsi < sizeof buf ? r.rsi : sizeof buf;

		if (peek(p, r.rdi, buf, n) != 0) {
			result = -ERIX_EFAULT;
			break;
		}
		model_say("%.*s", (int)(n && buf[n - 1] == '\n' ? n - 1 : n), buf);
		result = (long)n;
		break;
	}
	case ERIX_SYS_WINDOW:
		result = p->window;
		break;
	case ERIX_SYS_DELETE:
		result = delete_slot(p, r.rdi);
		break;
	default:
		result = -ERIX_ENOSYS;
		break;
	}
	if (model_verbose && r.orig_rax != ERIX_SYS_CALL)
		fprintf(stderr, "[%8.3f] %s %u: sys %llu (%llu, 0x%llx, %llu, 0x%llx, %llu, %llu) -> %ld%s\n",
			model_now_ns / 1e6, p->name, p->id, r.orig_rax, r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9, result,
			p->state == P_BLOCKED_RECV ? " (blocked)" : "");
	if (p->state == P_BLOCKED_RECV || p->state == P_BLOCKED_COLLECT)
		return;
	set_result(p, result);
	runnable(p);
}

static int fault_code(int sig)
{
	switch (sig) {
	case SIGILL:
		return ERIX_FAULT_INSTRUCTION;
	case SIGTRAP:
		return ERIX_FAULT_BREAKPOINT;
	case SIGFPE:
		return ERIX_FAULT_ARITHMETIC;
	case SIGBUS:
		return ERIX_FAULT_BUS;
	default:
		return ERIX_FAULT_MEMORY;
	}
}

/* Runs p until its next system call (or its end). */
static void run(struct proc *p)
{
	int status;

	if (ptrace(PTRACE_SYSEMU, p->pid, 0, 0) != 0)
		die("PTRACE_SYSEMU");
	if (waitpid(p->pid, &status, __WALL) != p->pid)
		die("waitpid");
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		/* Gone without a word: nothing it did reached Linux, so
		 * something outside the model killed it. */
		p->pid = -1;
		p->state = P_RUNNABLE;
		proc_ended(p, ERIX_END_KILLED, ERIX_KILLED_BY_KILL);
		return;
	}
	if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
		on_syscall(p);
		return;
	}
	if (model_verbose)
		fprintf(stderr, "[%8.3f] %s %u: fault (signal %d)\n", model_now_ns / 1e6, p->name, p->id,
			WSTOPSIG(status));
	proc_ended(p, ERIX_END_FAULTED, fault_code(WSTOPSIG(status)));
}

int model_probe(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0)
			_exit(3);
		raise(SIGSTOP);
		syscall(SYS_getppid);
		_exit(0);
	}
	if (waitpid(pid, &status, __WALL) != pid || !WIFSTOPPED(status)) {
		waitpid(pid, &status, __WALL);
		return WIFEXITED(status) && WEXITSTATUS(status) == 3 ? -2 : -1;
	}
	if (ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL) != 0 ||
	    ptrace(PTRACE_SYSEMU, pid, 0, 0) != 0 || waitpid(pid, &status, __WALL) != pid ||
	    !WIFSTOPPED(status) || WSTOPSIG(status) != (SIGTRAP | 0x80)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, __WALL);
		return -3;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, __WALL);
	return 0;
}

int model_step(uint64_t until_ns)
{
	uint64_t next = until_ns;

	release_dead();
	while (runq_len > 0) {
		struct proc *p = runq[0];

		memmove(runq, runq + 1, --runq_len * sizeof runq[0]);
		p->in_runq = 0;
		if (p->state != P_RUNNABLE)
			continue;
		/* It runs until it blocks or ends: one process at a time. */
		current = p;
		while (p->state == P_RUNNABLE)
			run(p);
		current = NULL;
		return 1;
	}
	for (unsigned i = 0; i < model_nprocs; i++) {
		struct proc *p = model_procs[i];

		if (p->state == P_BLOCKED_RECV && p->deadline_ns < next)
			next = p->deadline_ns;
	}
	if (next == UINT64_MAX)
		return 0;
	if (next > model_now_ns)
		model_now_ns = next;
	for (unsigned i = 0; i < model_nprocs; i++) {
		struct proc *p = model_procs[i];

		if (p->state == P_BLOCKED_RECV && p->deadline_ns <= model_now_ns)
			finish_recv(p, -ERIX_ETIMEDOUT);
	}
	return next < until_ns;
}
