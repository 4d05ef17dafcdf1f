/* SPDX-License-Identifier: ISC */
/*
 * Inside procd-policy's renderers (tools/output_*.c): the bounded labels,
 * names and escapes every format shares. Every string comes from an
 * untrusted file: it is read only up to its fixed field size.
 */
#ifndef PROCD_TOOLS_OUTPUT_COMMON_H
#define PROCD_TOOLS_OUTPUT_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/text.h"
#include "tools/policy_model.h"
#include "tools/registry_file.h"

/* Big enough that no cell is ever cut: the widest is 8 requester names,
 * each a full 24-byte field escaped as \xNN (8 * 96), plus their commas. */
#define CELL_MAX 1024

/* A bounded field from the file, or one of our own strings (max = SIZE_MAX). */
struct label {
	const char *s;
	size_t max;
};

struct hexbuf {
	char s[24];
};

/* Names of a value, or of one bit of a set: policy_model.c has them all. */
typedef const char *(*name_of_fn)(uint32_t);

/* The longest id list in a descriptor. */
#define LIST_MAX 16
_Static_assert(PROCD_POLICY_SLOTS <= LIST_MAX && PROCD_POLICY_REQUESTERS <= LIST_MAX &&
	       PROCD_OP_CALLERS <= LIST_MAX, "an id list is longer than LIST_MAX");

const char *out_value_name(name_of_fn name_of, uint32_t v, struct hexbuf *hb);
void out_each_bit(name_of_fn name_of, uint32_t v, void (*emit)(void *ctx, const char *name), void *ctx);
size_t out_sorted_list(const uint32_t *v, size_t max, uint32_t *out);
struct label out_role_label(const struct registry_file *rf, uint32_t role, int any_ok,
			       struct hexbuf *hb);
struct label out_source_label(const struct registry_file *rf, const struct procd_policy *p);
void out_cell_escaped(struct procd_text *t, struct label l);
void out_md_label(FILE *out, struct label l);
void out_put_label(FILE *out, struct label l);
void out_json_string(FILE *out, struct label l);
void out_json_str(FILE *out, const char *s);

#endif
