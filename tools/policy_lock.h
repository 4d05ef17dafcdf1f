/* SPDX-License-Identifier: ISC */
/*
 * The reviewed policy record (policies/POLICY.lock): a policy model as
 * text, one fact per line, so that a change of authority reads as a
 * one-line change in a review.
 *
 *     procd-policy-lock 2
 *     role timed id 0x011
 *     role timed window 2129
 *     role timed requester 0x001 rootd
 *     role timed slot 2128 kernel-time
 *     role timed quota children 16 default
 *     op STOP_PROCESS caller any
 *
 * The writer's output is canonical (roles by id, ops by id, facts in one
 * fixed order, lists sorted), so writing what was read gives the same bytes.
 * The reader is strict and names the line of anything it does not accept:
 * a record is a security review, and a typo must not pass as a grant.
 * Names are tokens: bytes outside '!'..'~', and '\' and '"', are written
 * as \xNN, and an empty string as "".
 */
#ifndef PROCD_TOOLS_POLICY_LOCK_H
#define PROCD_TOOLS_POLICY_LOCK_H

#include <stddef.h>
#include <stdio.h>

#include "tools/elf_sections.h"
#include "tools/policy_model.h"

#define LOCK_MAGIC   "procd-policy-lock"
/* 2: each role's quota (version 1 records had none, and are refused). */
#define LOCK_VERSION 2
#define LOCK_VERSION_TEXT "2"

/* A record of MODEL_MAX_ENTRIES roles is well under this. */
#define LOCK_FILE_MAX ((size_t)4 << 20)
#define LOCK_LINE_MAX 512

void lock_write(FILE *out, const struct policy_model *m);

/* Parses size bytes of a record. On failure m is left empty and err says
 * "line N: what is wrong". */
int lock_parse(struct policy_model *m, const char *text, size_t size, struct elf_error *err);

/*
 * The model of the file at path, whichever it is: an ELF file (a procd
 * built for any platform) is read as a binary, anything else as a record.
 */
int model_load(struct policy_model *m, const char *path, struct elf_error *err);

#endif
