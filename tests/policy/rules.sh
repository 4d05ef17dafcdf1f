#!/bin/sh
# SPDX-License-Identifier: ISC
# The reviewer rules: this build holds to the rules file it is configured
# with (policies/REVIEW.rules, or the vendor's --with-policy-rules file);
# a build in which another role is given 2112 fails "only deviced may hold
# 2112", quoting the rule and its justification and naming the role; a rule
# broken through a role another may start is caught by "reach"; and a
# malformed rules file is refused naming its file and line.
. "${abs_top_srcdir}/tests/lib.sh"
# The hosted procd, or the EriX image: procd-policy reads either.
image=${procd_image:-$procd}
rules=${PROCD_POLICY_RULES:-$abs_top_srcdir/policies/REVIEW.rules}
shipped=$abs_top_srcdir/policies/REVIEW.rules


[ -f "$rules" ] || fail "no rules file at $rules (configure --with-policy-rules=FILE names a vendor's)"
policy_run 0 "$work/build" check-rules "$rules" "$image"
has "$work/build" 'rules of .* hold$'

cat > "$work/only.rules" <<'RULES'
# a maintainer's rules
only deviced may hold 2112  # why: deviced alone decides which drivers run
only deviced,driver may reach kernel-com1  # why: only deviced may bring a driver into being
RULES
policy_run 0 "$work/o" check-rules "$work/only.rules" "$image"

# A record of this build with one fact changed reads into the same model a
# binary does (tools/policy_model.h).
policy_run 0 "$work/lock" lock "$image"
sed -e '/^role timed slot 2128 /i\
role timed slot 2112 procd-driver' "$work/lock" > "$work/given.lock"
policy_run 1 "$work/given" check-rules "$work/only.rules" "$work/given.lock"
has "$work/given" 'only.rules:2: broken: only deviced may hold 2112$'
has "$work/given" '^  why: deviced alone decides which drivers run$'
has "$work/given" '^  timed (0x011, timed.c) holds 2112 procd-driver$'
has "$work/given.err" '1 of 2 rules broken'
if [ "$rules" = "$shipped" ]; then
	policy_run 1 "$work/shipped" check-rules "$shipped" "$work/given.lock"
	has "$work/shipped" 'broken: only deviced may hold procd-driver$'
fi

# timed named as a requester of drv-serial may start it, and so reaches its device.
sed -e '/^role drv-serial requester /a\
role drv-serial requester 0x011 timed' "$work/lock" > "$work/starts.lock"
policy_run 1 "$work/starts" check-rules "$work/only.rules" "$work/starts.lock"
has "$work/starts" 'only.rules:3: broken: only deviced,driver may reach kernel-com1$'
has "$work/starts" 'timed (0x011, timed.c) reaches 2184 kernel-com1: drv-serial, which it may start, holds it'

policy_run 1 "$work/json" check-rules --json "$work/only.rules" "$work/given.lock"
has "$work/json" '"line":2,"rule":"only deviced may hold 2112","why":"deviced alone decides which drivers run","role":"timed"'
if command -v python3 > /dev/null 2>&1; then
	python3 -m json.tool "$work/json" > /dev/null || fail "check-rules --json is not valid JSON"
fi

# Malformed rules: refused (status 2) naming file and line, nothing judged.
bad() { # LINE PATTERN CONTENT
	printf '%s\n' "$3" > "$work/bad.rules"
	policy_run 2 "$work/bad" check-rules "$work/bad.rules" "$image"
	has "$work/bad.err" "bad.rules:$1: $2"
}
bad 2 "the rule has no justification" '# c
only deviced may hold 2112'
bad 1 "a rule's comment is its justification and starts with 'why:'" 'only deviced may hold 2112 # because'
bad 1 "the justification after 'why:' is empty" 'only deviced may hold 2112 # why:'
bad 1 "a rule starts with 'only' or 'no', not 'just'" 'just deviced may hold 2112 # why: x'
bad 1 "'may' is followed by 'hold' or 'reach', not 'keep'" 'only deviced may keep 2112 # why: x'
bad 1 "a rule is 'only|no WHO may hold|reach SLOT" 'only deviced, timed may hold 2112 # why: x'
bad 1 "no slot is named 'kernel-memory'" 'no driver may hold kernel-memory # why: x'
bad 1 "no slot name starts with 'kernal-'" 'no driver may hold kernal-* # why: x'
bad 1 "slot '99999' is not a number" 'no driver may hold 99999 # why: x'
bad 1 "an empty name in the role list" 'only deviced,,timed may hold 2112 # why: x'
bad 1 "'only role may ...' allows everything" 'only role may hold 2112 # why: x'
bad 3 "no role 'devcied' in this build or the procd ABI" '
# a typo must not make a rule about nobody
no devcied may hold 2112 # why: x'
bad 1 "no role of this build has a name starting with 'dvr-'" 'no dvr-* may hold named # why: x'
printf '# nothing but comments\n' > "$work/empty.rules"
policy_run 2 "$work/empty" check-rules "$work/empty.rules" "$image"
has "$work/empty.err" 'empty.rules: no rules'
policy_run 2 "$work/missing" check-rules "$work/does-not-exist.rules" "$image"
has "$work/missing.err" 'does-not-exist.rules: cannot open'
# The arguments the other way round: the binary is not taken for rules.
policy_run 2 "$work/swapped" check-rules "$image" "$work/empty.rules"
has "$work/swapped.err" 'is an ELF file, not reviewer rules (the rules come first'
policy_run 2 "$work/o" check-rules "$work/only.rules"

# A real build in which timed is given 2112 (a vendor's edited timed.c),
# configured with the maintainer's rules: make check-policy-rules fails,
# quoting the rule and its justification.
mkdir -p "$work/vendor"
sed -e 's/SLOT_KERNEL_TIME_ENDPOINT }/SLOT_KERNEL_TIME_ENDPOINT, SLOT_PROCD_DRIVER_ENDPOINT }/' \
	"$abs_top_srcdir/policies/timed.c" > "$work/vendor/timed.c"
grep -q 'SLOT_PROCD_DRIVER_ENDPOINT' "$work/vendor/timed.c" || fail "could not give timed 2112 (has its slot list changed?)"
vsrc=$(variant_srcdir) || exit 1
mkdir -p "$work/given-build"
(
	cd "$work/given-build" &&
	"$vsrc/configure" -q --without-check $PROCD_ROLES_CONFIG --disable-policies=timed --with-policy-dir="$work/vendor" \
		--with-policy-rules="$work/only.rules" > configure.log 2>&1 ||
	{ cat configure.log >&2; exit 90; }
	$MAKE -j2 procd procd-policy > make.log 2>&1
) || fail "the build that gives timed 2112 failed: $(tail -5 "$work/given-build/make.log")"
if $MAKE -s -C "$work/given-build" check-policy-rules > "$work/given-build.check" 2>&1; then
	fail "a build that gives timed 2112 passes 'only deviced may hold 2112'"
fi
has "$work/given-build.check" 'only.rules:2: broken: only deviced may hold 2112$'
has "$work/given-build.check" '^  why: deviced alone decides which drivers run$'
has "$work/given-build.check" '^  timed (0x011, timed.c) holds 2112 procd-driver$'
echo "the build holds to $rules; broken and malformed rules are named with their line"
