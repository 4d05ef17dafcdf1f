/* SPDX-License-Identifier: ISC */
/*
 * Inside the record reader (tools/lock_parse.c reads it line by line,
 * tools/lock_check.c checks the whole and builds the model): the facts
 * collected so far, per role and per op, keyed by the name on the line.
 */
#ifndef PROCD_TOOLS_LOCK_PARSER_H
#define PROCD_TOOLS_LOCK_PARSER_H

#include <stddef.h>
#include <stdint.h>

#include "tools/elf_sections.h"
#include "tools/policy_model.h"


/* The single-valued facts of a role, as bits of pending_role.seen. */
enum role_fact {
	RF_ID,
	RF_SOURCE,
	RF_CLASS,
	RF_ENDPOINT,
	RF_STAGE,
	RF_RESTART,
	RF_WINDOW,
	RF_IMAGE,
	RF_COUNT,
};

extern const char *const role_fact_names[RF_COUNT];

/* Every single-valued fact but source (a policy may lack an origin record). */
#define RF_REQUIRED (((1u << RF_COUNT) - 1) & ~(1u << RF_SOURCE))

struct pending_role {
	struct model_role r;
	unsigned seen;
	size_t first_line;
	size_t fact_line[RF_COUNT];
	unsigned quota_seen; /* bit 1 << enum model_quota */
	size_t quota_line[MODEL_QUOTAS];
};

struct pending_op {
	struct model_op o;
	int have_id;
	size_t first_line;
	size_t id_line;
};

/* A name a line gives a role id ("requester 0x010 deviced"). */
struct pending_name {
	uint32_t id;
	char name[PROCD_NAME_MAX + 1];
	size_t line;
};

struct parser {
	struct elf_error *err;
	size_t line;
	int have_magic;
	struct pending_role *roles;
	size_t nroles, caproles, last_role;
	struct pending_op *ops;
	size_t nops, capops, last_op;
	struct pending_name *names;
	size_t nnames, capnames;
};

#define MAX_TOKENS 6

struct tokens {
	char *t[MAX_TOKENS];
	size_t n;
};


/* Sets ps->err to "line N: " and the message; returns -1. */
int lock_fail(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The values of a line (tools/lock_tokens.c); each returns 0, or -1 with
 * ps->err set. lock_grow makes room for one more than n entries. */
int lock_grow(struct parser *ps, void **v, size_t *cap, size_t n, size_t esize);
int lock_unescape(struct parser *ps, const char *tok, char *out, size_t max, const char *what);
int lock_number(struct parser *ps, const char *tok, const char *what, uint32_t *v);
int lock_list_id(struct parser *ps, const char *tok, const char *what, uint32_t *v);
int lock_enumeration(struct parser *ps, const char *tok, const char *what,
		       const char *(*namer)(uint32_t), uint32_t *v);
int lock_bit(struct parser *ps, const char *tok, const char *what,
	       const char *(*namer)(uint32_t), uint32_t *set);
int lock_tokenize(struct parser *ps, char *s, struct tokens *tk);

/* One line of the record (without its newline) into the pending facts. */
int lock_parse_line(struct parser *ps, const char *text, size_t len);

#endif
