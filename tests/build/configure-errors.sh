#!/bin/sh
# SPDX-License-Identifier: ISC
# A packager's mistyped option stops configure with a message naming the
# option and what it takes, rather than building something else quietly
# (an unknown --enable-werror value used to mean no -Werror, an empty
# module list a procd with no policies).
. "${abs_top_srcdir}/tests/lib.sh"

vsrc=$(variant_srcdir) || exit 1
refused() { # WANT OPTION...
	want=$1
	shift
	rm -rf "$work/c" && mkdir -p "$work/c"
	if (cd "$work/c" && "$vsrc/configure" -q "$@" > out 2>&1); then
		fail "configure accepted $*"
	fi
	grep -q -- "error: $want" "$work/c/out" || fail "configure $* did not say '$want': $(tail -n 2 "$work/c/out")"
}
refused "--enable-werror takes yes or no, not 'maybe'" --enable-werror=maybe
refused "--with-check takes yes or no, not 'bogus'" --with-check=bogus
refused "--enable-sanitizers takes yes or no" --enable-sanitizers=bogus
refused "--enable-policies needs all or a LIST of policy modules" --enable-policies=
refused "--enable-roles needs all or a LIST of role modules" --enable-roles=
refused "--disable-roles needs a LIST of role modules, not an empty value" --disable-roles=
refused "--disable-policies needs a LIST of policy modules, not an empty value" --disable-policies=
refused "--enable-policies: unknown policy module 'nosuchd'" --enable-policies=timed,nosuchd
refused "--with-policy-rules=/nonexist/rules: no such file" --with-policy-rules=/nonexist/rules

# A record at the top of the tree is named with one slash, as given.
rm -rf "$work/c" && mkdir -p "$work/c"
(cd "$work/c" && "$vsrc/configure" -q --with-policy-lock=/procd-test-no-such.lock > out 2>&1) ||
	fail "configure refused a record that does not exist yet: $(tail -n 2 "$work/c/out")"
grep -q '^  policy record         /procd-test-no-such.lock$' "$work/c/out" ||
	fail "the record's path is not as given: $(grep 'policy record' "$work/c/out")"
echo "bad options refused by name"
