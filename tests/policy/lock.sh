#!/bin/sh
# SPDX-License-Identifier: ISC
# The built procd grants exactly what the reviewed record says (policies/
# POLICY.lock, or the vendor's --with-policy-lock record). A policy change
# therefore fails here until the record is updated with it, and the record's
# diff is what a reviewer reads. A build with fewer policies compiled in is
# compared for the roles it has; a role the record lacks is a failure.
. "${abs_top_srcdir}/tests/lib.sh"
# The hosted procd, or the EriX image: procd-policy reads either.
image=${procd_image:-$procd}

lock=${PROCD_POLICY_LOCK:-$abs_top_srcdir/policies/POLICY.lock}
[ -f "$lock" ] || fail "no policy record at $lock (configure --with-policy-lock=FILE names a vendor's)"
"$policy_tool" diff --compiled-in "$lock" "$image" > "$work/diff" 2> "$work/err"
status=$?
case $status in
0)
	echo "procd grants what $lock records"
	;;
1|3|4)
	cat "$work/diff" >&2
	fail "procd's policies differ from the reviewed record $lock (changes above);" \
		"review them, then run 'make update-policy-lock' and commit the record with the change"
	;;
*)
	cat "$work/err" >&2
	fail "could not compare procd with $lock (status $status)"
	;;
esac
