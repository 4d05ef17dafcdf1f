#!/bin/sh
# SPDX-License-Identifier: ISC
# check-image.sh [--helper] IMAGE: what the EriX loader and a reviewer rely
# on in procd's freestanding image (or, with --helper, in a helper image,
# which has no registries), read from the file (no EriX kernel runs here).
set -u
registries=yes
if [ "$1" = --helper ]; then
	registries=no
	shift
fi
image=$1
READELF=${READELF:-readelf}
NM=${NM:-nm}
bad() { echo "FAIL: $image: $*" >&2; exit 1; }

[ -f "$image" ] || bad "no such image"
$READELF -hlSW "$image" > "$image.readelf" 2>&1 || bad "readelf cannot read it"
grep -q 'Class:.*ELF64' "$image.readelf" || bad "not ELF64"
grep -q 'Machine:.*X86-64' "$image.readelf" || bad "not x86-64"
grep -q 'Type:.*EXEC' "$image.readelf" || bad "not a static executable (ET_EXEC)"
grep -q 'INTERP' "$image.readelf" && bad "has a PT_INTERP: it would need a dynamic loader"
grep -q 'DYNAMIC' "$image.readelf" && bad "has a dynamic section"
undefined=$($NM -u "$image")
[ -z "$undefined" ] || bad "undefined symbols: $undefined"

# The entry lies in .text.service_entry, and is _start.
entry=$(sed -n 's/^ *Entry point address: *0x\([0-9a-f]*\).*/\1/p' "$image.readelf")
set -- $(sed -n 's/^ *\[ *[0-9]*\] \.text\.service_entry *PROGBITS *\([0-9a-f]*\) [0-9a-f]* \([0-9a-f]*\).*/\1 \2/p' "$image.readelf")
[ $# -eq 2 ] || bad "no .text.service_entry section"
e=$((0x$entry)) lo=$((0x$1)) size=$((0x$2))
[ "$e" -ge "$lo" ] && [ "$e" -lt $((lo + size)) ] || bad "entry 0x$entry is outside .text.service_entry"
start=$($NM "$image" | sed -n 's/^\([0-9a-f]*\) T _start$/\1/p')
[ -n "$start" ] && [ $((0x$start)) -eq "$e" ] || bad "the entry is not _start"

# The registries are there, whole, and not empty.
[ "$registries" = yes ] && for sec in procd_registry_layout procd_policies procd_policy_origins procd_ops; do
	sz=$(sed -n "s/^ *\[ *[0-9]*\] $sec  *PROGBITS *[0-9a-f]* [0-9a-f]* \([0-9a-f]*\).*/\1/p" "$image.readelf")
	[ -n "$sz" ] && [ $((0x$sz)) -gt 0 ] || bad "section $sec is missing or empty"
done

# W^X: no loaded segment both writable and executable.
grep -E '^ *LOAD' "$image.readelf" | awk '{print $NF, $(NF-1)}' | grep -q 'RWE\|WE' && bad "a segment is writable and executable"
awk '/^ *LOAD/ { f = $(NF-1); if (f ~ /W/ && f ~ /E/) exit 1 }' "$image.readelf" || bad "a segment is writable and executable"

# .stack_reserve is the last section of the last loaded segment, NOBITS and
# writable, and stack_top is its end.
last_load=$(grep -E '^ *LOAD' "$image.readelf" | tail -1)
set -- $last_load
vaddr=$((${3})) memsz=$((${6}))
flags=$(echo "$last_load" | awk '{print $(NF-1)}')
case $flags in *W*) ;; *) bad "the final loaded segment is not writable" ;; esac
case $flags in *E*) bad "the final loaded segment is executable" ;; esac
set -- $(sed -n 's/^ *\[ *[0-9]*\] \.stack_reserve *NOBITS *\([0-9a-f]*\) [0-9a-f]* \([0-9a-f]*\) [0-9a-f]* *\([A-Z]*\).*/\1 \2 \3/p' "$image.readelf")
[ $# -eq 3 ] || bad "no NOBITS .stack_reserve section"
case $3 in *W*) ;; *) bad ".stack_reserve is not writable" ;; esac
[ $((0x$1 + 0x$2)) -eq $((vaddr + memsz)) ] || bad ".stack_reserve does not end the final loaded segment"
top=$($NM "$image" | sed -n 's/^\([0-9a-f]*\) [A-Za-z] stack_top$/\1/p')
[ -n "$top" ] && [ $((0x$top)) -eq $((vaddr + memsz)) ] || bad "stack_top is not the end of the final loaded segment"
[ $((0x$2)) -ge 65536 ] || bad ".stack_reserve is smaller than 64 KiB"
rm -f "$image.readelf"
what="registries present, "
[ "$registries" = yes ] || what=
echo "$image: static x86-64, entry _start in .text.service_entry, ${what}W^X, .stack_reserve last"
