#!/bin/sh
# SPDX-License-Identifier: ISC
# The installed ABI headers stand alone: each compiles by itself, strictly,
# as a client would include it, and needs no other procd header.
. "${abs_top_srcdir}/tests/lib.sh"

n=0
for h in "$abs_top_srcdir"/core/abi/*.h; do
	n=$((n + 1))
	name=$(basename "$h")
	grep '^#include' "$h" | grep -v -q '^#include <stdint.h>$' &&
		fail "$name includes another header; ABI headers stand alone (stdint.h aside)"
	mkdir -p "$work/procd"
	cp "$h" "$work/procd/"
	printf '#include <procd/%s>\n#include <procd/%s>\nint main(void) { return 0; }\n' "$name" "$name" > "$work/use.c"
	$CC -std=c11 -pedantic -Wall -Wextra -Werror -I"$work" -c "$work/use.c" -o "$work/use.o" ||
		fail "$name does not compile on its own (or twice)"
done
[ "$n" -ge 4 ] || fail "expected the four ABI headers, found $n"
echo "$n ABI headers compile standalone"
