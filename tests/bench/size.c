/* SPDX-License-Identifier: ISC */
/* make size: procd's memory per managed child, beside the image's size. */
#include <stdio.h>

#include "tests/bench/entry_size.h"

int main(void)
{
	printf("procd memory per managed child (this build's structures)\n");
	entry_size_print(stdout, "  ");
	return 0;
}
