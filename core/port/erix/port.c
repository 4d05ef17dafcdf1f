/* SPDX-License-Identifier: ISC */
/*
 * core/port.h on EriX: each function is one kernel operation on the
 * process-control endpoint, or one IPC system call.
 */
#include "core/abi/procd_envelope.h"
#include "core/abi/procd_msg.h"
#include "core/abi/procd_slots.h"
#include "core/port.h"
#include "core/port/erix/sys.h"
#include "core/text.h"

#define kop_reply erix_kop_reply

static long simple_kop(uint32_t op, uint32_t arg, uint64_t value, struct kop_reply *out, struct erix_call_caps *caps)
{
	struct erix_kop req = { .op = op, .arg = arg, .value = value };
	struct kop_reply scratch;

	return erix_kop(&req, sizeof req, out ? out : &scratch, sizeof scratch, caps);
}

void port_log_line(const char *line, size_t len)
{
	struct {
		struct erix_kop kop;
		char text[200];
	} req = { .kop = { .op = ERIX_KOP_LOG } };
	struct kop_reply reply;

	if (len > sizeof req.text)
		len = sizeof req.text;
	procd_bytes_copy(req.text, line, len);
	req.kop.arg = (uint32_t)len;
	erix_kop(&req, sizeof req.kop + len, &reply, sizeof reply, 0);
}

uint64_t port_now_ms(void)
{
	struct kop_reply reply = { 0 };

	return simple_kop(ERIX_KOP_TIME_MS, 0, 0, &reply, 0) == 0 ? reply.value : 0;
}

uint32_t port_cap_kind(procd_cap cap)
{
	switch (erix_syscall(ERIX_SYS_QUERY_LOCAL_CAP, cap, 0, 0, 0, 0, 0)) {
	case ERIX_CAP_EMPTY:
		return PROCD_CAP_NONE;
	case ERIX_CAP_ENDPOINT:
		return PROCD_CAP_ENDPOINT;
	case ERIX_CAP_FRAME:
		return PROCD_CAP_IMAGE;
	default:
		return 0xffu; /* held, but nothing procd hands out */
	}
}

int port_has_residual_caps(const procd_cap *declared, size_t n, procd_cap *residual)
{
	struct kop_reply reply;
	uint32_t from = SLOT_FIRST_CAPABILITY;

	/* Walk the occupied slots of procd's own CSpace, bounded by its size. */
	for (uint32_t steps = 0; steps < PROCD_WINDOW_MAX * 4; steps++) {
		int declared_slot = 0;

		if (simple_kop(ERIX_KOP_LIST_LOCAL, from, 0, &reply, 0) != 0)
			break; /* the walk failed: nothing is proven */
		if ((int64_t)reply.value < 0)
			return 0; /* no occupied slot left: none beyond the declared */
		for (size_t i = 0; i < n && !declared_slot; i++)
			declared_slot = (uint64_t)(uint32_t)declared[i] == reply.value;
		if (!declared_slot) {
			*residual = (procd_cap)reply.value;
			return 1;
		}
		from = (uint32_t)reply.value + 1;
	}
	*residual = PROCD_NO_CAP;
	return 1; /* could not finish the walk: cannot prove there is none */
}

int port_endpoint_pair(procd_cap *server, procd_cap *client)
{
	procd_cap got[2];
	struct erix_call_caps caps = erix_caps(0, 0, got, 2);

	if (simple_kop(ERIX_KOP_ENDPOINT, 0, 0, 0, &caps) != 0 || caps.nrecv != 2)
		return -1;
	*server = got[0];
	*client = got[1];
	return 0;
}

int port_cap_same(procd_cap a, procd_cap b)
{
	struct kop_reply reply = { 0 };

	return simple_kop(ERIX_KOP_SAME_CAP, (uint32_t)a, (uint64_t)(uint32_t)b, &reply, 0) == 0 && reply.value == 1;
}

procd_cap port_cap_dup(procd_cap cap)
{
	procd_cap got;
	struct erix_call_caps caps = erix_caps(0, 0, &got, 1);

	if (simple_kop(ERIX_KOP_COPY_CAP, (uint32_t)cap, 0, 0, &caps) != 0 || caps.nrecv != 1)
		return PROCD_NO_CAP;
	return got;
}

void port_cap_drop(procd_cap cap)
{
	if (cap >= 0)
		erix_syscall(ERIX_SYS_DELETE, cap, 0, 0, 0, 0, 0);
}

int port_send(procd_cap endpoint, const void *msg, size_t len, const procd_cap *caps, size_t ncaps)
{
	return erix_syscall(ERIX_SYS_SEND, endpoint, (long)msg, (long)len, (long)caps, (long)ncaps, 0) == 0 ? 0 : -1;
}

int port_process_start(const struct port_child *spec, procd_cap *handle, int64_t *os_id)
{
	struct erix_spawn req = { .kop = { .op = ERIX_KOP_SPAWN } };
	procd_cap in[ERIX_SPAWN_MAX_CAPS + 1], got;
	struct erix_call_caps caps = erix_caps(in, (uint32_t)spec->ncaps + 1, &got, 1);
	struct kop_reply reply;

	if (spec->ncaps > ERIX_SPAWN_MAX_CAPS)
		return -1;
	req.window = spec->window;
	req.ncaps = (uint32_t)spec->ncaps;
	in[0] = spec->image;
	for (size_t i = 0; i < spec->ncaps; i++) {
		req.slots[i] = spec->slots[i];
		in[i + 1] = spec->caps[i];
	}
	if (erix_kop(&req, sizeof req, &reply, sizeof reply, &caps) != 0 || caps.nrecv != 1)
		return -1;
	*handle = got;
	*os_id = (int64_t)reply.value;
	return 0;
}

int port_process_kill(procd_cap handle)
{
	return simple_kop(ERIX_KOP_KILL, (uint32_t)handle, 0, 0, 0) == 0 ? 0 : -1;
}

int port_process_collect(procd_cap handle, int wait, uint32_t *kind, int32_t *code)
{
	struct erix_kop req = { .op = ERIX_KOP_COLLECT, .arg = (uint32_t)handle, .value = (uint64_t)wait };
	struct erix_end end;
	long status = erix_kop(&req, sizeof req, &end, sizeof end, 0);

	if (status == -ERIX_EAGAIN)
		return 1;
	if (status != 0)
		return -1;
	*code = end.code;
	*kind = end.how == ERIX_END_EXITED ? PROCD_EVENT_EXITED :
		end.how == ERIX_END_FAULTED ? PROCD_EVENT_FAULTED : PROCD_EVENT_KILLED;
	return 0;
}

procd_cap port_image_create(uint64_t size)
{
	procd_cap got;
	struct erix_call_caps caps = erix_caps(0, 0, &got, 1);

	if (simple_kop(ERIX_KOP_FRAME, 0, size, 0, &caps) != 0 || caps.nrecv != 1)
		return PROCD_NO_CAP;
	return got;
}

int port_image_write(procd_cap image, uint64_t offset, const void *bytes, size_t len)
{
	static struct {
		struct erix_frame_io io;
		unsigned char data[ERIX_FRAME_IO_MAX];
	} req;
	struct kop_reply reply;
	const unsigned char *p = bytes;

	/* In pieces the kernel's message takes, each an IPC call. */
	while (len > 0) {
		uint32_t n = len > ERIX_FRAME_IO_MAX ? ERIX_FRAME_IO_MAX : (uint32_t)len;

		req.io = (struct erix_frame_io){ .kop = { ERIX_KOP_FRAME_WRITE, (uint32_t)image, offset }, .length = n };
		procd_bytes_copy(req.data, p, n);
		if (erix_kop(&req, sizeof req.io + n, &reply, sizeof reply, 0) != 0)
			return -1;
		p += n;
		offset += n;
		len -= n;
	}
	return 0;
}

int port_image_zero(procd_cap image, uint64_t offset, uint64_t len)
{
	struct {
		struct erix_frame_io io;
		uint64_t len;
	} req = { { { ERIX_KOP_FRAME_ZERO, (uint32_t)image, offset }, 8, 0 }, len };
	struct kop_reply reply;

	return erix_kop(&req, sizeof req, &reply, sizeof reply, 0) == 0 ? 0 : -1;
}

int port_image_trim(procd_cap image, uint64_t size)
{
	return simple_kop(ERIX_KOP_FRAME_TRIM, (uint32_t)image, size, 0, 0) == 0 ? 0 : -1;
}

int port_image_seal(procd_cap image)
{
	return simple_kop(ERIX_KOP_FRAME_SEAL, (uint32_t)image, 0, 0, 0) == 0 ? 0 : -1;
}

const void *port_image_map(procd_cap image, uint64_t size)
{
	struct kop_reply reply;

	if (simple_kop(ERIX_KOP_FRAME_MAP, (uint32_t)image, size, &reply, 0) != 0)
		return 0;
	return (const void *)(uintptr_t)reply.value;
}

void port_image_unmap(const void *bytes, uint64_t size)
{
	(void)size;
	simple_kop(ERIX_KOP_FRAME_UNMAP, 0, (uint64_t)(uintptr_t)bytes, 0, 0);
}
