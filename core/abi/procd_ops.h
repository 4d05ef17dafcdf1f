/* SPDX-License-Identifier: ISC */
/*
 * procd wire ABI: operation ids.
 *
 * Every request to procd carries one of these in its header. The numbers are
 * fixed by the EriX procd ABI; PROCD_OP_SPAWN (0x401) is assigned by this
 * implementation for the legacy generic Phase0SpawnRequestV1.
 */
#ifndef PROCD_ABI_OPS_H
#define PROCD_ABI_OPS_H

#define PROCD_OP_SPAWN                       0x401u /* legacy, extension roles only */
#define PROCD_OP_SPAWN_SERVICE               0x402u /* compatibility, lowered onto staged */
#define PROCD_OP_ADOPT_PROCESS               0x403u /* reserved, always denied */
#define PROCD_OP_STOP_PROCESS                0x404u
#define PROCD_OP_CREATE_STAGED_PROCESS       0x405u
#define PROCD_OP_START_STAGED_PROCESS        0x406u
#define PROCD_OP_ABORT_STAGED_PROCESS        0x407u
#define PROCD_OP_WAIT_PROCESS_EVENT          0x408u
#define PROCD_OP_QUERY_PROCESS               0x409u
#define PROCD_OP_SET_RESTART_POLICY          0x40Au
#define PROCD_OP_GET_RESTART_POLICY          0x40Bu
#define PROCD_OP_UPDATE_FOUNDATION_ENDPOINTS 0x40Cu /* bootstrap endpoint only */
#define PROCD_OP_LAUNCH_LOADED_IMAGE         0x40Du /* reserved, denied before mutation */
#define PROCD_OP_BEGIN_LOADER_IMAGE_TRANSFER  0x40Eu
#define PROCD_OP_SEND_LOADER_IMAGE_CHUNK      0x40Fu
#define PROCD_OP_COMMIT_LOADER_IMAGE_TRANSFER 0x410u
/* Assigned here: */
#define PROCD_OP_PUBLISH_FOUNDATION_PEER     0x411u /* named -> procd: logd's or crashd's endpoint */
#define PROCD_OP_PROBE_COMPLETE              0x412u /* a child's probe is done (its notify alias) */

/* Messages procd sends unasked (tag 0), assigned here. */
#define PROCD_NOTIFY_PROBE_COMPLETE 0x4f0u /* procd -> rootd: struct procd_msg_probe_done */
#define PROCD_PEER_LOG              0x4a0u /* procd -> logd: a lifecycle line */
#define PROCD_PEER_CRASH            0x4a1u /* procd -> crashd: struct procd_msg_crash */

/* The endpoints procd receives on; op descriptors accept a mask of them. */
#define PROCD_EP_BOOTSTRAP 0x1u /* bootstrap/service endpoint */
#define PROCD_EP_DRIVER    0x2u /* driver-lifecycle endpoint, SLOT_PROCD_DRIVER_ENDPOINT */
#define PROCD_EP_NOTIFY    0x4u /* a child's probe-notify alias, SLOT_PROBE_NOTIFY */
#define PROCD_EP_ALL       (PROCD_EP_BOOTSTRAP | PROCD_EP_DRIVER)
#define PROCD_EP_KNOWN     (PROCD_EP_ALL | PROCD_EP_NOTIFY)

#endif
