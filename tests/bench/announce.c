/* SPDX-License-Identifier: ISC */
/*
 * bench-announce: phase0-exit that first says it runs. One record goes out
 * on its endpoint the moment it is executing, so the bench sees each exec
 * the same way whoever started it (procd, s6, or a bare clone); then it
 * waits to be told to exit, or for the peer to close, as phase0-exit does.
 * A peer already gone just fails that send (no SIGPIPE).
 */
#include "helpers/helper.h"

int helper_main(void)
{
	static const unsigned char running = 'r';

	rt_send(SLOT_SELF_ENDPOINT, &running, sizeof running);
	return helper_serve_exit("bench-announce");
}
