/* SPDX-License-Identifier: ISC */
/*
 * Node ids are ours (role_0x011, slot_2128, ...), never a string from the
 * file, so only labels need escaping. Every role sits in one column
 * (rank=same), slots in the next and what serves them in the last, so each
 * role's authority reads left to right on one row: requested by, role,
 * holds, reaches. A slot served by a role points back into the role column
 * without moving it (constraint=false).
 *
 * Slot 16, each role's own endpoint, is left out: every role holds it, and
 * drawing it would hide the grants that differ.
 */
#include <inttypes.h>

#include "tools/abi_names.h"
#include "tools/policy_graph.h"

/* Fill colours by role class (index = enum procd_role_class). */
static const char *const class_fill[] = { "#eeeeee", "#cfe2f3", "#d9ead3", "#f4cccc", "#fff2cc" };

#define DRIVER_COLOUR "#c0392b"
#define KERNEL_FILL   "#ead1dc"

/* A DOT string body: quote and backslash escaped, other bytes a renderer
 * could misread shown as a literal \xNN. */
static void dot_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\\\x%02x", c);
		else
			fputc(c, out);
	}
}

static int is_driver_side(const struct model_role *r)
{
	return r->endpoint == PROCD_EP_DRIVER;
}

/*
 * Edge and slot colours: the slots many roles hold get one colour each, so
 * the bundle into each stays traceable; kernel endpoints share one.
 */
static const char *slot_colour(uint32_t slot)
{
	uint32_t role;

	switch (slot) {
	case SLOT_NAMED_ENDPOINT:
		return "#3465a4";
	case SLOT_LOGD_ENDPOINT:
		return "#4e9a06";
	case SLOT_CRASHD_ENDPOINT:
		return "#75507b";
	case SLOT_PROCD_DRIVER_ENDPOINT:
		return DRIVER_COLOUR;
	default:
		return abi_slot_server(slot, &role) == ABI_SERVER_KERNEL ? "#8f5902" : "#000000";
	}
}

/* The label says the whole grant, so a role reads on its own: name, id,
 * class, window, the slots it may hold, and the file that declared it. */
static void role_node(FILE *out, const struct model_role *r)
{
	const char *cls = model_class_name(r->role_class);
	int shown = 0;

	fprintf(out, "    role_0x%03" PRIx32 " [label=\"", r->id);
	dot_escaped(out, r->name);
	fprintf(out, "  0x%03" PRIx32 "\\n%s, window %" PRIu32 "\\nholds", r->id,
		cls ? cls : "unknown class", r->window);
	for (size_t i = 0; i < r->nslots; i++)
		if (r->slots[i] != SLOT_SELF_ENDPOINT)
			fprintf(out, "%s %" PRIu32, shown++ ? "," : "", r->slots[i]);
	fprintf(out, "%s\\n", shown ? "" : " only its own endpoint");
	dot_escaped(out, r->source[0] ? r->source : "(no origin record)");
	fprintf(out, "\", fillcolor=\"%s\"];\n",
		r->role_class < sizeof class_fill / sizeof class_fill[0] ? class_fill[r->role_class]
									 : class_fill[0]);
}

/* A requester that has no policy of its own here (rootd, procd, or a role
 * left out of this build): a node of its own at the far left. */
static void requester_nodes(FILE *out, const struct policy_model *m)
{
	uint32_t seen[MODEL_MAX_ENTRIES];
	size_t nseen = 0;

	fputs("  subgraph requesters {\n    rank=source;\n"
	      "    node [shape=house, style=filled, fillcolor=\"#dddddd\"];\n", out);
	for (size_t i = 0; i < m->nroles; i++)
		for (size_t k = 0; k < m->roles[i].nrequesters; k++) {
			uint32_t id = m->roles[i].requesters[k];
			const char *name = model_role_name(m, id);

			if (model_role_by_id(m, id) || model_has_id(seen, nseen, id) ||
			    nseen == MODEL_MAX_ENTRIES)
				continue;
			seen[nseen++] = id;
			fprintf(out, "    req_0x%03" PRIx32 " [label=\"", id);
			if (name)
				dot_escaped(out, name);
			else
				fprintf(out, "0x%03" PRIx32, id);
			fputs("\"];\n", out);
		}
	fputs("  }\n", out);
}

/* Every slot some role may hold (16 aside), once. */
static size_t held_slots(const struct policy_model *m, uint32_t *slots, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nroles; i++)
		for (size_t k = 0; k < m->roles[i].nslots; k++) {
			uint32_t s = m->roles[i].slots[k];

			if (s != SLOT_SELF_ENDPOINT && !model_has_id(slots, n, s) && n < max)
				slots[n++] = s;
		}
	return model_sort_ids(slots, n);
}

static void slot_node(FILE *out, uint32_t slot)
{
	const char *name = abi_slot_name(slot);

	fprintf(out, "    slot_%" PRIu32 " [color=\"%s\", label=\"%" PRIu32 "%s%s\"];\n", slot,
		slot_colour(slot), slot, name ? " " : "", name ? name : "");
}

/* The driver endpoint, the roles requested on it and procd behind it. */
static void driver_cluster(FILE *out, const struct policy_model *m, int holds_2112)
{
	fputs("  subgraph cluster_driver {\n"
	      "    label=\"driver endpoint (slot 2112): driver roles are requested here\";\n"
	      "    style=\"rounded,filled\"; fillcolor=\"#fdf0ee\"; color=\"" DRIVER_COLOUR "\";\n"
	      "    fontcolor=\"" DRIVER_COLOUR "\"; penwidth=2;\n"
	      "    node [shape=box, style=\"rounded,filled\"];\n", out);
	if (holds_2112) {
		fputs("    slot_2112 [shape=ellipse, style=filled, fillcolor=white,"
		      " color=\"" DRIVER_COLOUR "\", label=\"2112 procd-driver\"];\n"
		      "    srv_procd_driver [shape=component, fillcolor=white,"
		      " color=\"" DRIVER_COLOUR "\", label=\"procd\\ndriver endpoint\"];\n", out);
	}
	for (size_t i = 0; i < m->nroles; i++)
		if (is_driver_side(&m->roles[i]))
			role_node(out, &m->roles[i]);
	fputs("  }\n", out);
}

static void server_nodes(FILE *out, const struct policy_model *m, const uint32_t *slots,
			 size_t nslots)
{
	int want_procd = 0, want_kernel = 0;
	uint32_t absent[PROCD_POLICY_SLOTS * 4];
	size_t nabsent = 0;

	for (size_t i = 0; i < nslots; i++) {
		uint32_t role = 0;

		switch (abi_slot_server(slots[i], &role)) {
		case ABI_SERVER_PROCD:
			want_procd = 1;
			break;
		case ABI_SERVER_KERNEL:
			want_kernel = 1;
			break;
		case ABI_SERVER_ROLE:
			if (!model_role_by_id(m, role) && !model_has_id(absent, nabsent, role) &&
			    nabsent < sizeof absent / sizeof absent[0])
				absent[nabsent++] = role;
			break;
		case ABI_SERVER_NONE:
		case ABI_SERVER_PROCD_DRIVER:
			break;
		}
	}
	fputs("  subgraph servers {\n    rank=sink;\n", out);
	if (want_procd)
		fputs("    srv_procd [shape=component, style=filled, fillcolor=white,"
		      " label=\"procd\\nbootstrap and notify endpoints\"];\n", out);
	if (want_kernel)
		fputs("    srv_kernel [shape=doubleoctagon, style=filled, fillcolor=\"" KERNEL_FILL
		      "\", label=\"kernel\"];\n", out);
	/* A serving role this build does not compile in still serves the slot. */
	for (size_t i = 0; i < nabsent; i++) {
		const char *name = abi_role_name(absent[i]);

		fprintf(out, "    role_0x%03" PRIx32 " [style=dashed, label=\"%s\\n(no policy in"
			" this build)\"];\n", absent[i], name ? name : "?");
	}
	fputs("  }\n", out);
}

static void request_edges(FILE *out, const struct policy_model *m)
{
	for (size_t i = 0; i < m->nroles; i++) {
		const struct model_role *r = &m->roles[i];

		for (size_t k = 0; k < r->nrequesters; k++) {
			uint32_t q = r->requesters[k];

			fprintf(out, "  %s_0x%03" PRIx32 " -> role_0x%03" PRIx32
				" [style=dashed, color=\"%s\"];\n",
				model_role_by_id(m, q) ? "role" : "req", q, r->id,
				is_driver_side(r) ? DRIVER_COLOUR : "#888888");
		}
	}
}

static void hold_edges(FILE *out, const struct policy_model *m)
{
	for (size_t i = 0; i < m->nroles; i++) {
		const struct model_role *r = &m->roles[i];

		for (size_t k = 0; k < r->nslots; k++) {
			uint32_t s = r->slots[k];

			if (s == SLOT_SELF_ENDPOINT)
				continue;
			fprintf(out, "  role_0x%03" PRIx32 " -> slot_%" PRIu32 " [color=\"%s\"%s];\n",
				r->id, s, slot_colour(s),
				s == SLOT_PROCD_DRIVER_ENDPOINT ? ", penwidth=2" : "");
		}
	}
}

static void serve_edges(FILE *out, const uint32_t *slots, size_t nslots)
{
	for (size_t i = 0; i < nslots; i++) {
		uint32_t role = 0;

		switch (abi_slot_server(slots[i], &role)) {
		case ABI_SERVER_ROLE:
			fprintf(out, "  slot_%" PRIu32 " -> role_0x%03" PRIx32
				" [style=dotted, constraint=false];\n", slots[i], role);
			break;
		case ABI_SERVER_PROCD:
			fprintf(out, "  slot_%" PRIu32 " -> srv_procd [style=dotted];\n", slots[i]);
			break;
		case ABI_SERVER_PROCD_DRIVER:
			fprintf(out, "  slot_%" PRIu32 " -> srv_procd_driver [style=dotted,"
				" color=\"" DRIVER_COLOUR "\"];\n", slots[i]);
			break;
		case ABI_SERVER_KERNEL:
			fprintf(out, "  slot_%" PRIu32 " -> srv_kernel [style=dotted];\n", slots[i]);
			break;
		case ABI_SERVER_NONE:
			break;
		}
	}
}

void graph_write_dot(FILE *out, const struct policy_model *m, const char *title)
{
	uint32_t slots[MODEL_MAX_ENTRIES];
	size_t nslots = held_slots(m, slots, MODEL_MAX_ENTRIES);
	int holds_2112 = model_has_id(slots, nslots, SLOT_PROCD_DRIVER_ENDPOINT);

	fputs("digraph procd_authority {\n"
	      "  graph [rankdir=LR, newrank=true, fontname=\"Helvetica\", fontsize=12,"
	      " labelloc=t, nodesep=0.08, ranksep=1.1, label=\"", out);
	dot_escaped(out, title);
	fputs(": who may request each role (dashed), the slots it may hold (solid),"
	      " who serves them (dotted).\\nSlot 16, each role's own endpoint, is not drawn.\"];\n"
	      "  node [fontname=\"Helvetica\", fontsize=10, margin=\"0.08,0.03\"];\n"
	      "  edge [arrowsize=0.6];\n", out);
	requester_nodes(out, m);
	fputs("  subgraph roles {\n    rank=same;\n"
	      "    node [shape=box, style=\"rounded,filled\"];\n", out);
	for (size_t i = 0; i < m->nroles; i++)
		if (!is_driver_side(&m->roles[i]))
			role_node(out, &m->roles[i]);
	fputs("  }\n", out);
	driver_cluster(out, m, holds_2112);
	fputs("  subgraph slots {\n    node [shape=ellipse, style=filled, fillcolor=white];\n", out);
	for (size_t i = 0; i < nslots; i++)
		if (slots[i] != SLOT_PROCD_DRIVER_ENDPOINT)
			slot_node(out, slots[i]);
	fputs("  }\n", out);
	server_nodes(out, m, slots, nslots);
	request_edges(out, m);
	hold_edges(out, m);
	serve_edges(out, slots, nslots);
	fputs("}\n", out);
}
