#!/bin/sh
# SPDX-License-Identifier: ISC
# procd-policy verify: the default manifest routes every grant (its open
# routes accepted with a reason); a manifest that leaves a grant without a
# supplier, or hands over what no policy grants, fails naming the role,
# the slot and the line.
. "${abs_top_srcdir}/tests/lib.sh"
default="$abs_top_srcdir/boot/default.manifest"

"$policy_tool" verify "$procd_image" "$default" > "$work/default.out" 2>&1 ||
	{ cat "$work/default.out" >&2; fail "the default manifest does not verify"; }
grep -q ' 0 unrouted$' "$work/default.out" || { cat "$work/default.out" >&2; fail "no clean summary"; }

# fails_with "TEXT" SED-SCRIPT: the default manifest edited by the script
# must fail verification (exit 1) with TEXT in the report.
fails_with() {
	sed "$2" "$default" > "$work/edited.manifest"
	"$policy_tool" verify "$procd_image" "$work/edited.manifest" > "$work/out" 2>&1
	rc=$?
	[ "$rc" -eq 1 ] || { cat "$work/out" >&2; fail "exit $rc, expected 1, for: $2"; }
	grep -qF -- "$1" "$work/out" || { cat "$work/out" >&2; fail "no '$1' for: $2"; }
}

line=$(grep -n '^module timed' "$default" | cut -d: -f1)
fails_with "edited.manifest:$line: timed (boot plan): granted slot 2128 (kernel-time), but nothing supplies it" \
	'/^kernel kernel-time/d'
fails_with "pagerd (boot plan): granted slot 2256 (kernel-pager)" '/^late *kernel-pager/d'
fails_with "timed (boot plan): granted slot 19 (logd), but nothing supplies it: logd, which serves it, is not booted" \
	'/^module logd/d'
fails_with "kernel kernel-acpi-read: slot 2180 is handed to procd, but no role it boots is granted it" \
	'$a kernel kernel-acpi-read'
fails_with "spawn phase1-time-client install kernel-irq: phase1-time-client's policy does not grant slot 2144" \
	's/^spawn phase1-time-client .*/spawn phase1-time-client install kernel-irq/'
fails_with "phase1-time-client (spawn): granted slot 2128 (kernel-time), but nothing supplies it" \
	's/^spawn phase1-time-client .*/spawn phase1-time-client/'
fails_with "drv-serial (driver): granted slot 2184 (kernel-com1), but nothing supplies it" '/^kernel kernel-log/d'
fails_with "driver drv-serial: deviced, which starts drivers, is not booted" '/^module deviced/d'
fails_with "accept timed 2128: no such open route" '$a accept timed 2128 stale'
fails_with "e2fsd (boot plan): granted slot 34 (fs-block), but nothing supplies it" '/^accept e2fsd/d'

"$policy_tool" verify "$procd_image" > /dev/null 2>&1 && fail "verify without a manifest succeeded"
printf 'kernel kernel-iqr\n' > "$work/bad.manifest"
"$policy_tool" verify "$procd_image" "$work/bad.manifest" > "$work/out" 2>&1
[ $? -eq 2 ] || fail "a manifest mistake is not a usage error (2)"
grep -q "bad.manifest:1: kernel kernel-iqr: unknown kernel endpoint" "$work/out" || { cat "$work/out" >&2; fail "no manifest message"; }
echo "verify routes the default manifest and names each unrouted grant"
