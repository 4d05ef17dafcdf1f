/* SPDX-License-Identifier: ISC */
/*
 * procd-policy verify BINARY MANIFEST: the routes of a boot. For each role
 * the manifest has started (procd's boot plan, rootd's spawn and load
 * lines, the drivers deviced is told of), every slot its policy grants
 * must be supplied by something the manifest starts or hands over, and
 * everything the manifest hands over must be granted to someone.
 */
#ifndef PROCD_TOOLS_POLICY_VERIFY_H
#define PROCD_TOOLS_POLICY_VERIFY_H

/* argv[0] is "verify". Returns the exit status: 0 every route holds, 1 some
 * grant or hand-over is unrouted (each printed), 2 usage or unreadable input. */
int policy_verify_main(int argc, char **argv);

#endif
