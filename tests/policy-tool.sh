#!/bin/sh
# SPDX-License-Identifier: ISC
# procd-policy as a reviewer uses it, on the binary this build produced and
# on files that are not what they claim to be.
. "${abs_top_srcdir}/tests/lib.sh"

policy_run 0 "$work/list" list "$procd_image"
grep -q '^ *timed ' "$work/list" || grep -q 'timed' "$work/list" || fail "list does not show timed"
policy_run 0 "$work/json" list --json "$procd_image"
grep -q '"name":"timed"' "$work/json" || fail "JSON list has no timed"
policy_run 0 "$work/show" show "$procd_image" timed
grep -q 2128 "$work/show" || fail "show timed does not name slot 2128"
grep -q 'timed.c' "$work/show" || fail "show timed does not name its source file"
# Each quota as procd applies it: deviced declares two, the rest are defaults.
policy_run 0 "$work/showq" show "$procd_image" deviced
grep -q '^quota       children   8 (declared)$' "$work/showq" || fail "show deviced lacks its declared quota: $(cat "$work/showq")"
grep -q '^            transfers  2 (default)$' "$work/showq" || fail "show deviced lacks its default transfer quota"
policy_run 0 "$work/showq.json" show --json "$procd_image" deviced
grep -q '"quota":{"children":{"value":8,"declared":true},"waits":{"value":8,"declared":true},' "$work/showq.json" ||
	fail "show --json deviced lacks its quota: $(cat "$work/showq.json")"
policy_run 1 "$work/unknown" show "$procd_image" no-such-role
# The reviewed record where the binary belongs is named as such.
policy_run 2 "$work/record" show "$abs_top_srcdir/policies/POLICY.lock" timed
grep -q 'POLICY.lock: a policy record, not a binary; list, show and lint read the binary' "$work/record.err" ||
	fail "show of a record does not say it is one: $(cat "$work/record.err")"
grep -q 'deviced' "$work/unknown.err" || fail "unknown role error does not list the known roles"
policy_run 0 "$work/lint" lint "$procd_image"

# Not procd binaries, or not ELF at all: a clear error (status 2), no crash.
printf 'not an elf file\n' > "$work/text"
policy_run 2 "$work/o" lint "$work/text"
[ -s "$work/o.err" ] || fail "no message for a non-ELF file"
policy_run 2 "$work/o" list "$work/does-not-exist"
policy_run 2 "$work/o" list /bin/sh
grep -q 'procd_registry_layout' "$work/o.err" || fail "a foreign ELF is not named as such: $(cat "$work/o.err")"
size=$(wc -c < "$procd_image")
for cut in 16 64 200 4096 $((size / 2)) $((size - 1)); do
	head -c "$cut" "$procd_image" > "$work/cut"
	"$policy_tool" list "$work/cut" > /dev/null 2>&1
	status=$?
	[ "$status" -lt 128 ] || fail "procd-policy crashed (status $status) on procd cut to $cut bytes"
done
policy_run 2 "$work/o" frobnicate "$procd_image"
echo "procd-policy lists, shows, lints, and refuses malformed files cleanly"
