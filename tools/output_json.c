/* SPDX-License-Identifier: ISC */
/*
 * `list --json` and `show --json` for tools: straight to the stream, one
 * element per line.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "tools/abi_names.h"
#include "tools/output_common.h"
#include "tools/policy_model.h"
#include "tools/policy_output.h"
#include "tools/policy_reach.h"

struct json_list {
	FILE *out;
	int any;
};

static void json_emit(void *ctx, const char *name)
{
	struct json_list *j = ctx;

	if (j->any++)
		fputc(',', j->out);
	out_json_str(j->out, name);
}

static void json_bits(FILE *out, name_of_fn names, uint32_t v)
{
	struct json_list j = { out, 0 };

	fputc('[', out);
	out_each_bit(names, v, json_emit, &j);
	fputc(']', out);
}

static void json_roles(FILE *out, const struct registry_file *rf, const uint32_t *list, size_t max,
		       int any_ok)
{
	uint32_t ids[LIST_MAX];
	size_t n = out_sorted_list(list, max, ids);
	struct hexbuf hb;

	fputc('[', out);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		out_json_string(out, out_role_label(rf, ids[i], any_ok, &hb));
	}
	fputc(']', out);
}

static void json_slots(FILE *out, const struct procd_policy *p)
{
	uint32_t slots[LIST_MAX];
	size_t n = out_sorted_list(p->slots, PROCD_POLICY_SLOTS, slots);

	fputc('[', out);
	for (size_t i = 0; i < n; i++) {
		const char *name = abi_slot_name(slots[i]);

		fprintf(out, "%s{\"slot\":%" PRIu32 ",\"name\":", i ? "," : "", slots[i]);
		if (name)
			out_json_str(out, name);
		else
			fputs("null", out);
		fputc('}', out);
	}
	fputc(']', out);
}

/* Without its closing brace, so `show` can add to it. */
static void json_policy_fields(FILE *out, const struct registry_file *rf,
			       const struct procd_policy *p)
{
	struct label src = out_source_label(rf, p);
	struct hexbuf hb;

	fputs("{\"name\":", out);
	out_json_string(out, (struct label){ p->name, sizeof p->name });
	fprintf(out, ",\"role\":%" PRIu32 ",\"class\":", p->role);
	out_json_str(out, out_value_name(model_class_name, p->role_class, &hb));
	fputs(",\"endpoint\":", out);
	out_json_str(out, out_value_name(model_endpoint_name, p->endpoint, &hb));
	fputs(",\"boot_stage\":", out);
	out_json_str(out, out_value_name(model_stage_name, p->boot_stage, &hb));
	fputs(",\"restart\":", out);
	out_json_str(out, out_value_name(model_restart_name, p->restart, &hb));
	fprintf(out, ",\"window\":%" PRIu32 ",\"flags\":", p->window);
	json_bits(out, model_policy_flag_name, p->flags);
	fputs(",\"requesters\":", out);
	json_roles(out, rf, p->requesters, PROCD_POLICY_REQUESTERS, 0);
	fputs(",\"slots\":", out);
	json_slots(out, p);
	fputs(",\"image\":", out);
	out_json_string(out, (struct label){ p->image, sizeof p->image });
	fputs(",\"source\":", out);
	if (src.s)
		out_json_string(out, src);
	else
		fputs("null", out);
}

static void json_policy(FILE *out, const struct registry_file *rf, const struct procd_policy *p)
{
	json_policy_fields(out, rf, p);
	fputc('}', out);
}

static void json_op(FILE *out, const struct registry_file *rf, const struct procd_op *op)
{
	fputs("{\"name\":", out);
	out_json_string(out, (struct label){ op->name, sizeof op->name });
	fprintf(out, ",\"id\":%" PRIu32 ",\"endpoints\":", op->id);
	json_bits(out, model_op_endpoint_name, op->endpoints);
	fputs(",\"callers\":", out);
	json_roles(out, rf, op->callers, PROCD_OP_CALLERS, 1);
	fprintf(out, ",\"deny\":%s,\"flags\":", (op->flags & PROCD_OP_DENY) ? "true" : "false");
	json_bits(out, model_op_flag_name, op->flags);
	fputc('}', out);
}

/* One element per line, so that a diff of two outputs names the role that changed. */
static void json_array_open(FILE *out, const char *key, size_t n)
{
	fprintf(out, "  \"%s\": [%s", key, n ? "\n" : "");
}

static void json_array_close(FILE *out, size_t n, int last)
{
	fprintf(out, "%s]%s\n", n ? "\n  " : "", last ? "" : ",");
}

static void json_elem_sep(FILE *out, size_t i)
{
	fputs(i ? ",\n    " : "    ", out);
}

void output_list_json(FILE *out, const struct registry_file *rf)
{
	fprintf(out, "{\n  \"max_processes\": %" PRIu32 ",\n", rf->layout.max_processes);
	json_array_open(out, "policies", rf->npolicies);
	for (size_t i = 0; i < rf->npolicies; i++) {
		json_elem_sep(out, i);
		json_policy(out, rf, &rf->policies[i]);
	}
	json_array_close(out, rf->npolicies, 0);
	json_array_open(out, "ops", rf->nops);
	for (size_t i = 0; i < rf->nops; i++) {
		json_elem_sep(out, i);
		json_op(out, rf, &rf->ops[i]);
	}
	json_array_close(out, rf->nops, 1);
	fputs("}\n", out);
}

void output_show_json(FILE *out, const struct registry_file *rf, const struct policy_model *m,
		      const struct procd_policy *p)
{
	uint32_t quota[MODEL_QUOTAS], declared;

	json_policy_fields(out, rf, p);
	reach_write_starts_json(out, m, p->role);
	model_quota_of(p, quota, &declared);
	fputs(",\"quota\":{", out);
	for (unsigned q = 0; q < MODEL_QUOTAS; q++)
		fprintf(out, "%s\"%s\":{\"value\":%" PRIu32 ",\"declared\":%s}", q ? "," : "",
			/* JSON keys use '_', as boot_stage does. */
			q == QUOTA_IMAGE_KIB ? "image_kib" : model_quota_name(q), quota[q], declared & (1u << q) ? "true" : "false");
	fputs("}}\n", out);
}
