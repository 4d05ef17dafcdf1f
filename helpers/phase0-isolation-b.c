/* SPDX-License-Identifier: ISC */
/*
 * phase0-isolation-b: the bystander of the isolation tests. It does what
 * phase0-exit does (serves its endpoint until told to exit); the tests
 * check that phase0-isolation-a, started beside it, cannot reach it.
 */
#include "helpers/helper.h"

int helper_main(void)
{
	return helper_serve_exit("phase0-isolation-b");
}
