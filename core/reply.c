/* SPDX-License-Identifier: ISC */
#include "core/daemon.h"
#include "core/reply.h"
#include "core/text.h"

int procd_send_reply(struct procd *d, uint32_t ep, uint32_t op, uint32_t tag, uint32_t status,
		     const void *body, uint32_t len, const procd_cap *caps, uint32_t ncaps)
{
	const struct procd_endpoint *e = procd_endpoint_open(&d->endpoints, ep);
	uint64_t buf[PROCD_MSG_MAX / 8];
	struct procd_msg_header h = { .op = op, .length = (uint32_t)sizeof h + len, .tag = tag,
				      .status = status };

	if (!e || h.length > PROCD_MSG_MAX)
		return -1;
	procd_bytes_copy(buf, &h, sizeof h);
	if (len)
		procd_bytes_copy((unsigned char *)buf + sizeof h, body, len);
	return port_send(e->cap, buf, h.length, caps, ncaps);
}
