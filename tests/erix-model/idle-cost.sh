#!/bin/sh
# SPDX-License-Identifier: ISC
# An idle procd's kernel calls per (virtual) second do not grow with its
# children: aliases, grants and process ends arrive as events on one
# receive end, so a turn is the same few calls with 10 children or 200.
# A count of calls under the deterministic model, not a timing.
. "${abs_top_srcdir}/tests/lib.sh"
. "${abs_top_srcdir}/tests/erix-model/lib.sh"

calls() {
	{
		echo "module phase0-isolation-a helpers/phase0-isolation-a"
		i=0
		while [ "$i" -lt "$1" ]; do
			echo "spawn phase0-isolation-a"
			i=$((i + 1))
		done
	} > "$work/idle-$1.manifest"
	boot_model "$work/idle-$1.manifest" --run-for 3 --idle-calls
	[ "$boot_status" -eq 0 ] || { cat "$work/boot.log" >&2; fail "the model exited with status $boot_status"; }
	[ "$(grep -c '^phase0-isolation-a: isolated' "$work/boot.log")" -eq "$1" ] ||
		{ cat "$work/boot.log" >&2; fail "not all $1 children ran"; }
	sed -n "s/^erix-model: procd made \([0-9]*\) kernel calls in the last idle second, $1 processes running$/\1/p" \
		"$work/boot.log"
}

few=$(calls 10)
many=$(calls 200)
[ -n "$few" ] && [ -n "$many" ] || fail "no idle count (10 children: '$few', 200: '$many')"
[ "$few" -eq "$many" ] || fail "idle kernel calls per second grow with the children: $few with 10, $many with 200"
echo "idle procd: $few kernel calls per second with 10 children and with 200"
