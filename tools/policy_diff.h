/* SPDX-License-Identifier: ISC */
/*
 * What authority changed between two policy models (two builds, or a build
 * and its reviewed record): one entry per changed fact, each labelled
 * widening, narrowing, neutral or image by one rule table (procd-policy(1),
 * "The rules"), so CI can gate on "anything widened" and "another program
 * now runs with a role's authority" and a reviewer reads the rest.
 */
#ifndef PROCD_TOOLS_POLICY_DIFF_H
#define PROCD_TOOLS_POLICY_DIFF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tools/policy_model.h"

enum diff_effect {
	EFFECT_NEUTRAL = 0,
	EFFECT_NARROWING = 1,
	EFFECT_WIDENING = 2,
	/* The role now runs another program: whatever it holds, that program
	 * holds, so this is neither narrower nor wider but a new trust decision. */
	EFFECT_IMAGE = 3,
};
#define DIFF_EFFECTS 4

/* Room for the summary of a whole role (16 slots, 8 named requesters). */
#define DIFF_VALUE_MAX 512

struct diff_change {
	int is_op;
	uint32_t id;
	char name[PROCD_OP_NAME_MAX + 1];   /* the new side's, else the old side's */
	char source[PROCD_SOURCE_MAX + 1];  /* roles: the new side's file, else the old side's */
	char old_source[PROCD_SOURCE_MAX + 1]; /* roles: the old side's file */
	const char *field;                  /* "slot", "window", "role", "caller", ... */
	const char *change;                 /* "added", "removed", "grown", "shrunk", "changed" */
	char old_value[DIFF_VALUE_MAX];     /* untrusted bytes: escape on output; "" for none */
	char new_value[DIFF_VALUE_MAX];
	enum diff_effect effect;
	/* What a reviewer must not miss about it ("timed now holds kernel-pager,
	 * which the ABI assigns to pagerd"); "" for none. */
	char note[DIFF_VALUE_MAX];
};

struct policy_diff {
	struct diff_change *changes;
	size_t n, cap;
	size_t count[DIFF_EFFECTS]; /* by enum diff_effect */
	int compiled_in;     /* roles NEW does not compile in were skipped */
	uint32_t *skipped;   /* those roles' ids (old side), when compiled_in */
	size_t nskipped;
	/* Ops of old that new lacks because new states role modules left out
	 * (new->roles_left_out), when compiled_in; they point into old. */
	const struct model_op **skipped_ops;
	size_t nskipped_ops;
	const struct policy_model *old, *new; /* for names; valid while both live */
};

/*
 * Compares old with new. With compiled_in, a role of old that new does not
 * declare is not a change (new is a build with fewer policies compiled in);
 * every role new declares is still compared, and one old lacks is added.
 * Likewise an op of old that new lacks, but only where new is a binary
 * that says configure left role modules out of it: an op missing from a
 * build with every module in is still a removal.
 */
int diff_models(struct policy_diff *d, const struct policy_model *old,
		const struct policy_model *new, int compiled_in);
void diff_free(struct policy_diff *d);

const char *diff_effect_name(enum diff_effect e);

/*
 * Sets the note of the changes diff_models made to one role since index
 * first (o old, n new): a slot the ABI assigns another role, newly held; a
 * requester added who may now have such a slot granted by starting it
 * (tools/policy_diff_notes.c).
 */
void diff_note_role(struct policy_diff *d, size_t first, const struct model_role *o,
		    const struct model_role *n);

/* old_label/new_label name the two sides (their paths). */
void diff_write_text(FILE *out, const struct policy_diff *d, const char *old_label,
		     const char *new_label);
void diff_write_json(FILE *out, const struct policy_diff *d, const char *old_label,
		     const char *new_label);
void diff_write_markdown(FILE *out, const struct policy_diff *d, const char *old_label,
			 const char *new_label);

#endif
