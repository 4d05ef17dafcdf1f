#!/bin/sh
# SPDX-License-Identifier: ISC
# Every helper program is an image procd's loader accepts: a static x86_64
# executable with nothing to resolve, no page both writable and executable,
# its entry (_start) inside .text.service_entry, and a 64 KiB NOBITS
# .stack_reserve that ends its final loaded segment, with stack_top at that
# end (the module's vaddr_end), after .data and .bss.
. "${abs_top_srcdir}/tests/lib.sh"

helpers="phase0-exit phase0-fault-kill phase0-isolation-a phase0-isolation-b
phase0-probe phase1-lookup-client phase1-time-client phase2-irq-client
loaderd named logd crashd deviced service"

# section NAME FILE: "type address size flags" of section NAME, or nothing.
section() {
	sed -n 's/^ *\[ *[0-9]*\] //p' "$2" | awk -v n="$1" '$1 == n {
		flags = (NF >= 10) ? $7 : ""
		print $2, "0x" $3, "0x" $5, flags
	}'
}

# symbol NAME FILE: the address of symbol NAME, as 0x..., or nothing.
symbol() {
	awk -v n="$1" '$3 == n { print "0x" $1 }' "$2"
}

for h in $helpers; do
	elf="$abs_top_builddir/helpers/$h"
	[ -f "$elf" ] || fail "$h was not built"
	$READELF -W -h "$elf" > "$work/$h.h" &&
	$READELF -W -S "$elf" > "$work/$h.S" &&
	$READELF -W -l "$elf" > "$work/$h.l" &&
	$NM "$elf" > "$work/$h.nm" || fail "$h: readelf or nm failed"

	grep -q 'Type: *EXEC' "$work/$h.h" || fail "$h is not a static (non-PIE) executable"
	grep -q 'Machine: *Advanced Micro Devices X86-64' "$work/$h.h" || fail "$h is not x86_64"
	undefined=$($NM -u "$elf")
	[ -z "$undefined" ] || fail "$h has undefined symbols: $undefined"
	grep -q -E '^ *(INTERP|DYNAMIC) ' "$work/$h.l" && fail "$h has a PT_INTERP or PT_DYNAMIC segment"
	grep -q -E '\] \.(interp|dynamic) ' "$work/$h.S" && fail "$h has an .interp or .dynamic section"

	# No segment both writable and executable. The flags are the columns
	# between MemSiz and Align ("R E", "RW", ...).
	wx=$(awk '/^ *[A-Z_]+ +0x/ { f = ""; for (i = 7; i < NF; i++) f = f $i; if (f ~ /W/ && f ~ /E/) print $1 }' "$work/$h.l")
	[ -z "$wx" ] || fail "$h has a segment that is writable and executable: $wx"

	# The entry lies in .text.service_entry, and it is _start.
	entry=$(awk '/Entry point address:/ { print $NF }' "$work/$h.h")
	set -- $(section .text.service_entry "$work/$h.S")
	[ $# -eq 4 ] || fail "$h has no .text.service_entry section"
	[ "$1" = PROGBITS ] && case $4 in *X*) true ;; *) false ;; esac ||
		fail "$h: .text.service_entry is not executable code ($1 $4)"
	[ $((entry)) -ge $(($2)) ] && [ $((entry)) -lt $(($2 + $3)) ] ||
		fail "$h: entry $entry lies outside .text.service_entry ($2, size $3)"
	start=$(symbol _start "$work/$h.nm")
	[ -n "$start" ] && [ $((start)) -eq $((entry)) ] || fail "$h: entry $entry is not _start ($start)"

	# The stack reserve: 64 KiB, NOBITS, writable, after .data and .bss.
	set -- $(section .stack_reserve "$work/$h.S")
	[ $# -eq 4 ] || fail "$h has no .stack_reserve section"
	[ "$1" = NOBITS ] || fail "$h: .stack_reserve is $1, not NOBITS"
	case $4 in *W*A*|*A*W*) ;; *) fail "$h: .stack_reserve is not writable and allocated ($4)" ;; esac
	[ $(($3)) -eq 65536 ] || fail "$h: .stack_reserve is $(($3)) bytes, not 64 KiB"
	reserve_start=$(($2))
	reserve_end=$(($2 + $3))
	for s in .data .bss; do
		set -- $(section $s "$work/$h.S")
		[ $# -eq 0 ] && continue
		[ $(($2 + $3)) -le $reserve_start ] || fail "$h: $s does not end before .stack_reserve"
	done

	# ... in the final PT_LOAD, which it ends; stack_top is that end.
	set -- $(awk '$1 == "LOAD" { v = $3; m = $6 } END { print v, m }' "$work/$h.l")
	[ $# -eq 2 ] || fail "$h has no PT_LOAD segment"
	segment_start=$(($1))
	segment_end=$(($1 + $2))
	[ $reserve_start -ge $segment_start ] && [ $reserve_end -eq $segment_end ] ||
		fail "$h: .stack_reserve does not end the final loaded segment ($1 + $2)"
	top=$(symbol stack_top "$work/$h.nm")
	[ -n "$top" ] || fail "$h has no stack_top symbol"
	[ $((top)) -eq $segment_end ] || fail "$h: stack_top $top is not the end of the final segment"
	[ $((top % 16)) -eq 0 ] || fail "$h: stack_top $top is not 16-byte aligned"
	n=$((${n:-0} + 1))
done
echo "$n helpers: entry in .text.service_entry, 64 KiB stack reserve ending the last segment, W^X, static"
