/* SPDX-License-Identifier: ISC */
/* procd wire ABI: reply status codes. */
#ifndef PROCD_ABI_STATUS_H
#define PROCD_ABI_STATUS_H

#define PROCD_OK              0u
#define PROCD_E_DENIED        1u /* policy refuses the request; nothing changed */
#define PROCD_E_INVALID       2u /* malformed message or field */
#define PROCD_E_NOT_FOUND     3u /* no such process, role or transfer */
#define PROCD_E_EXISTS        4u
#define PROCD_E_NO_SPACE      5u /* a fixed table is full */
#define PROCD_E_BUSY          6u
#define PROCD_E_STALE         7u /* superseded id or transfer */
#define PROCD_E_UNSUPPORTED   8u /* op not served by this build */
#define PROCD_E_IO            9u /* the platform refused an operation */
#define PROCD_E_TIMEOUT      10u
#define PROCD_E_QUOTA        11u /* the requester holds its quota; nothing changed */

#endif
