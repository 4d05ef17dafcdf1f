/* SPDX-License-Identifier: ISC */
/*
 * The authority graph of a policy model, in Graphviz DOT: who may request
 * each role (dashed edges into it), the slots each role may hold (solid
 * edges out of it) and who serves what a slot reaches (dotted edges on, to
 * a role, procd's endpoints or the kernel). The driver endpoint and the
 * roles requested on it are drawn apart, in their own cluster.
 */
#ifndef PROCD_TOOLS_POLICY_GRAPH_H
#define PROCD_TOOLS_POLICY_GRAPH_H

#include <stdio.h>

#include "tools/policy_model.h"

/* title names what is drawn (the binary's path); it is escaped. */
void graph_write_dot(FILE *out, const struct policy_model *m, const char *title);

#endif
