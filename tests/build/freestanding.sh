#!/bin/sh
# SPDX-License-Identifier: ISC
# core/, roles/ and policies/ must build with no libc at all: every file is
# compiled with -ffreestanding and no system headers, and the linked result
# may need nothing but the port interface (and the mem* functions a compiler
# may call even in freestanding code).
. "${abs_top_srcdir}/tests/lib.sh"

compiler_include=$($CC -print-file-name=include)
[ -d "$compiler_include" ] || skip "$CC has no freestanding header directory"

objs=
n=0
for src in "$abs_top_srcdir"/core/*.c "$abs_top_srcdir"/roles/*/*.c "$abs_top_srcdir"/policies/*.c; do
	[ -f "$src" ] || continue
	n=$((n + 1))
	obj="$work/$n.o"
	$CC -std=c11 -ffreestanding -fno-builtin -fno-pie -fno-stack-protector -nostdinc -isystem "$compiler_include" \
		-DPROCD_SMOKE_REPORTS=1 -DPROCD_FAULT_INJECTION=1 \
		-include "$abs_top_builddir/config.h" -I"$abs_top_srcdir" \
		-Wall -Wextra -Werror -c "$src" -o "$obj" 2> "$work/cc.err" ||
		{ cat "$work/cc.err" >&2; fail "${src#$abs_top_srcdir/} does not compile freestanding"; }
	objs="$objs $obj"
done
[ "$n" -gt 0 ] || fail "found no freestanding sources"

ld -r -o "$work/all.o" $objs || fail "ld -r failed"
$NM -u "$work/all.o" > "$work/undefined" || fail "$NM -u failed"
undefined=$(awk '{print $NF}' "$work/undefined" |
	grep -v -E '^(port_[a-z_]+|memcpy|memset|memmove|memcmp|__start_procd_[a-z_]+|__stop_procd_[a-z_]+)$' || true)
[ -z "$undefined" ] || fail "freestanding code needs symbols outside core/port.h: $undefined"
echo "$n freestanding files compiled; undefined symbols limited to the port interface"
