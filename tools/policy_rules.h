/* SPDX-License-Identifier: ISC */
/*
 * Reviewer rules: statements a maintainer checks in and every build is
 * held to, each with its own justification, one per line:
 *
 *     # comments and blank lines are ignored
 *     only deviced may hold procd-driver  # why: deviced alone decides which drivers run
 *     no driver may hold named            # why: a driver serves deviced, never discovery
 *     no extension may reach kernel-mem   # why: test helpers never touch memory authority
 *
 * RULE is "only WHO may VERB SLOT" or "no WHO may VERB SLOT". WHO is a
 * comma-separated list of role names, role name prefixes ending in '*'
 * (drv-*), classes (foundation, service, driver, extension) or, after
 * "no", the word "role" for every role. VERB is "hold" (the role's policy
 * lists the slot) or "reach" (the role, or a role it may start directly or
 * through others, holds it: tools/policy_reach.h). SLOT is read as by
 * who-holds (tools/slot_query.h). The "# why:" text is required: a rule
 * nobody can explain is not a review.
 *
 * The parser is strict and names file and line of anything it does not
 * take; names are resolved against the build when checked, so a misspelt
 * role is an error there rather than a rule that silently matches nothing.
 */
#ifndef PROCD_TOOLS_POLICY_RULES_H
#define PROCD_TOOLS_POLICY_RULES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tools/policy_model.h"
#include "tools/slot_query.h"

#define RULES_FILE_MAX  ((size_t)256 << 10)
#define RULES_MAX       512
#define RULES_LINE_MAX  512
#define RULES_WHO_MAX   16

enum rule_who_kind { WHO_ROLE, WHO_PREFIX, WHO_CLASS, WHO_ANY };

struct rule_who {
	enum rule_who_kind kind;
	char name[PROCD_NAME_MAX + 1]; /* role name, or prefix without its '*' */
	uint32_t role_class;           /* WHO_CLASS */
};

struct rule {
	unsigned line;
	int only;  /* "only WHO may ..." (else "no WHO may ...") */
	int reach; /* "... may reach" (else "... may hold") */
	struct rule_who who[RULES_WHO_MAX];
	size_t nwho;
	struct slot_query slot;
	char text[RULES_LINE_MAX]; /* the rule as written, trimmed */
	char why[RULES_LINE_MAX];
};

struct rules {
	char path[256]; /* for messages, cut if longer */
	struct rule *rules;
	size_t n;
};

/* Reads the rules file at path. On failure err holds "PATH:LINE: what is
 * wrong" (or "PATH: ..." for the file as a whole) and r is left empty. */
int rules_load(struct rules *r, const char *path, char *err, size_t errlen);
int rules_parse(struct rules *r, const char *path, const char *text, size_t size, char *err,
		size_t errlen);
void rules_free(struct rules *r);

/*
 * Holds m to every rule. Writes each broken rule, its justification and
 * what breaks it (text, or one JSON document with json; nothing in text when
 * every rule holds), and returns the
 * number of rules broken; -1 (err says why, nothing written) when a rule
 * names a role or prefix the build and the ABI do not know, or memory
 * runs out.
 */
int rules_check(FILE *out, const struct rules *r, const struct policy_model *m, int json,
		char *err, size_t errlen);

#endif
