/* SPDX-License-Identifier: ISC */
#include "core/daemon.h"
#include "tests/bench/entry_size.h"

#define MEMBER_SIZE(type, member) sizeof(((type *)0)->member)

double entry_bytes_per_child(void)
{
	return (double)(sizeof(struct procd_proc) + PROCD_MINTED_KINDS * sizeof(struct procd_endpoint) +
			MEMBER_SIZE(struct procd_proc_table, generation[0])) + 1.0 / 8.0;
}

void entry_size_print(FILE *out, const char *indent)
{
	size_t proc = sizeof(struct procd_proc);
	size_t cspace = MEMBER_SIZE(struct procd_proc, cspace);
	size_t sup = MEMBER_SIZE(struct procd_proc, sup);
	size_t ring = MEMBER_SIZE(struct procd_supervision, recent);
	size_t events = MEMBER_SIZE(struct procd_proc, event_code) + MEMBER_SIZE(struct procd_proc, event_kind);
	size_t ep = sizeof(struct procd_endpoint);

	fprintf(out, "%sprocess entry (struct procd_proc)        %5zu bytes\n", indent, proc);
	fprintf(out, "%s  its CSpace, kept to start each instance %5zu (%u slots)\n", indent, cspace,
		(unsigned)PROCD_POLICY_SLOTS);
	fprintf(out, "%s  restart supervision                     %5zu (of which the restart-time ring %zu)\n",
		indent, sup, ring);
	fprintf(out, "%s  latest events for WAIT                  %5zu (%u kinds and codes)\n", indent, events,
		(unsigned)PROCD_EVENT_HISTORY);
	fprintf(out, "%s  ids, state, policy, capabilities, times %5zu\n", indent, proc - cspace - sup - events);
	fprintf(out, "%sendpoint entries (%u x struct procd_endpoint) %zu bytes\n", indent,
		(unsigned)PROCD_MINTED_KINDS, PROCD_MINTED_KINDS * ep);
	fprintf(out, "%sgeneration counter and busy bit           %zu bytes + 1 bit\n", indent,
		MEMBER_SIZE(struct procd_proc_table, generation[0]));
	fprintf(out, "%sper child                                 %.0f bytes (table of %u entries: %zu bytes in all)\n",
		indent, entry_bytes_per_child(), (unsigned)PROCD_MAX_PROCESSES,
		sizeof(struct procd_proc_table) + (size_t)PROCD_MAX_PROCESSES * PROCD_MINTED_KINDS * ep);
}
