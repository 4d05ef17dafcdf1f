#!/bin/sh
# SPDX-License-Identifier: ISC
# The other compiler registers the same set: clang (with LTO) when the main
# build used gcc, gcc when it used clang.
. "${abs_top_srcdir}/tests/lib.sh"

if $CC --version 2>/dev/null | grep -q clang; then other=gcc; else other=clang; fi
command -v "$other" > /dev/null 2>&1 || skip "$other is not installed"
flags=
[ "$other" = clang ] && flags="-O2 -flto"
"$policy_tool" list --json "$procd_image" > "$work/main.json" || fail "list of the main build failed"
variant_build "$other" CC="$other" CFLAGS="-g $flags -O2" LDFLAGS="$flags" ||
	fail "$other build failed: $(tail -5 "$work/$other/make.log")"
"$work/$other/procd-policy" list --json "$work/$other/procd" > "$work/other.json" || fail "list failed"
cmp -s "$work/main.json" "$work/other.json" ||
	{ diff "$work/main.json" "$work/other.json" >&2; fail "$other build registers a different set"; }
echo "$other build registers the same set"
