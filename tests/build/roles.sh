#!/bin/sh
# SPDX-License-Identifier: ISC
# Role modules are chosen at configure time, and a variant build carries the
# main build's choice: variant_build from a tree configured with
# --disable-roles=loader makes a procd without the loader's ops, which
# procd-policy shows absent and names the module for, and which the full
# record still holds for everything it has. An unknown module is a
# configure error that lists the known ones.
. "${abs_top_srcdir}/tests/lib.sh"

loader_ops='BEGIN_LOADER_IMAGE_TRANSFER SEND_LOADER_IMAGE_CHUNK COMMIT_LOADER_IMAGE_TRANSFER'
lock=${PROCD_POLICY_LOCK:-$abs_top_srcdir/policies/POLICY.lock}

# As if the main build had been configured without the loader, whatever it
# was: the variant must get that from the environment, not from its caller.
PROCD_ROLES_CONFIG=--disable-roles=loader variant_targets='procd procd-policy' variant_build noloader ||
	fail "the variant build failed: $(tail -5 "$work/noloader/make.log")"
v="$work/noloader"
image="$v/procd"
[ -f "$image" ] || image="$v/procd.elf"
[ -f "$image" ] || fail "the variant built neither procd nor procd.elf"
grep -q '^#define PROCD_ROLES_LEFT_OUT "loader"$' "$v/config.h" ||
	fail "the variant was not configured without the loader (config.h: $(grep PROCD_ROLES "$v/config.h"))"

"$v/procd-policy" list "$image" > "$work/list" || fail "procd-policy list of the variant failed"
for op in $loader_ops; do
	! grep -q "^$op " "$work/list" || fail "the variant without the loader still lists $op"
done
grep -q '^STOP_PROCESS ' "$work/list" || fail "the variant lists no core op: $(cat "$work/list")"
grep -q '^role modules left out loader$' "$work/list" || fail "procd-policy list does not say the loader is left out"

# Held to the full record: the loader's ops are absent, not removed ...
"$v/procd-policy" diff --compiled-in "$lock" "$image" > "$work/diff" 2>&1 ||
	fail "the variant fails the record it was built from: $(cat "$work/diff")"
grep -q "^role modules not compiled into the new side, their ops not compared: loader ($(echo $loader_ops | sed 's/ /, /g'))\$" \
	"$work/diff" || fail "the record check does not name the loader's ops: $(cat "$work/diff")"
# ... which a plain diff still reports as the narrowing it is.
"$v/procd-policy" diff "$lock" "$image" > "$work/plain.diff" 2>&1
status=$?
[ "$status" -eq 1 ] || fail "a plain diff of the variant exited $status, not 1: $(cat "$work/plain.diff")"
[ "$(grep -c 'narrowing  op removed' "$work/plain.diff")" -eq 3 ] ||
	fail "a plain diff does not show the three loader ops removed: $(cat "$work/plain.diff")"

vsrc=$(variant_srcdir) || exit 1
mkdir -p "$work/unknown"
if (cd "$work/unknown" && "$vsrc/configure" -q --disable-roles=nosuch > out 2>&1); then
	fail "configure accepted an unknown role module"
fi
grep -q "unknown role module 'nosuch'; known modules: foundation loader probe" "$work/unknown/out" ||
	fail "the configure error does not list the known modules: $(tail -3 "$work/unknown/out")"
echo "a variant from a tree without the loader has none of its ops, and procd-policy says so"
