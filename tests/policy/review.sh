#!/bin/sh
# SPDX-License-Identifier: ISC
# The review commands on this build's procd, as a reviewer runs them: a
# binary compared with itself and with its own record shows no change; a
# record reads back to the same bytes; each kind of change in a record is
# named and labelled, and sets the exit status CI gates on; a malformed
# record is refused with its line; Markdown, JSON and DOT are well formed.
. "${abs_top_srcdir}/tests/lib.sh"
# The hosted procd, or the EriX image: procd-policy reads either.
image=${procd_image:-$procd}

# A binary against itself, and against its own record, either way round.
policy_run 0 "$work/self" diff "$image" "$image"
grep -q 'no change of authority' "$work/self" || fail "self diff does not say so: $(cat "$work/self")"
policy_run 0 "$work/lock" lock "$image"
head -n 20 "$work/lock" | grep -q '^procd-policy-lock 2$' || fail "record has no format line"
# Each role's quota, as procd applies it, and whether its policy declares it.
grep -q '^role deviced quota children 8 declared$' "$work/lock" || fail "record lacks deviced's declared quota"
grep -q '^role timed quota children 16 default$' "$work/lock" || fail "record lacks timed's default quota"
[ "$(grep -c '^role timed quota ' "$work/lock")" -eq 4 ] || fail "record does not give timed's four quotas"
grep -q '^role timed slot 2128 kernel-time$' "$work/lock" || fail "record lacks timed's kernel-time slot"
grep -q '^role timed source timed.c$' "$work/lock" || fail "record does not name timed's source file"
policy_run 0 "$work/o" diff "$image" "$work/lock"
policy_run 0 "$work/o" diff "$work/lock" "$image"
policy_run 0 "$work/relock" lock "$work/lock"
cmp -s "$work/lock" "$work/relock" || fail "a record read back does not write the same bytes"
# One fact per line, in a stable order: sorted roles and ops come out the
# same from another run.
policy_run 0 "$work/lock2" lock "$image"
cmp -s "$work/lock" "$work/lock2" || fail "two records of one binary differ"

# Each kind of change, made to a copy of the record (sed: one fact each).
change() { # NAME EXPECTED-STATUS SED-SCRIPT
	sed -e "$3" "$work/lock" > "$work/$1.lock"
	cmp -s "$work/lock" "$work/$1.lock" && fail "$1: the edit changed nothing"
	policy_run "$2" "$work/$1.out" diff "$work/lock" "$work/$1.lock"
}
expect() { # NAME PATTERN
	grep -q -- "$2" "$work/$1.out" || fail "$1: no '$2' in: $(cat "$work/$1.out")"
}
# A slot timed lacks in this build (a vendor's timed may hold 22 already).
extra=$(slot_not_held "$work/lock" timed) || fail "timed holds every slot this test adds"
set -- $extra
extra_slot="$1 $2"
change slot 3 "/^role timed slot 2128 /i\\
role timed slot $extra_slot"
expect slot 'role timed (0x011), timed.c'
expect slot "widening   slot added: $extra_slot"
expect slot '^1 change: 1 widening, 0 narrowing, 0 neutral$'
change noslot 1 '/^role timed slot 2128 /d'
expect noslot 'narrowing  slot removed: 2128 kernel-time'
change window 3 's/^role timed window .*/role timed window 3000/'
expect window 'widening   window grown: 2129 -> 3000'
change requester 3 '/^role timed requester 0x001 /a\
role timed requester 0x010 deviced'
expect requester 'widening   requester added: deviced (0x010)'
change restart 1 's/^role timed restart .*/role timed restart always/'
expect restart 'neutral    restart changed: on-failure -> always'
# Another program running with timed's grant passes no gate silently.
change image 4 's/^role timed image .*/role timed image evil/'
expect image 'image      image changed: timed -> evil'
expect image '^1 change: 0 widening, 0 narrowing, 0 neutral, 1 image$'
change imageslot 4 "s/^role timed image .*/role timed image evil/
/^role timed slot 2128 /i\\
role timed slot $extra_slot"
# One role given the kernel endpoint the ABI assigns another: said by name.
change pager 3 '/^role timed slot 2128 /a\
role timed slot 2256 kernel-pager'
expect pager 'widening   slot added: 2256 kernel-pager'
expect pager '^  !  *timed now holds kernel-pager, which the ABI assigns to pagerd$'
change driverslot 3 '/^role timed slot 2128 /i\
role timed slot 2112 procd-driver'
expect driverslot 'timed now holds procd-driver, which the ABI assigns to deviced'
# ... or by a new requester who may start the role that holds one.
change starter 3 '/^role drv-serial requester /a\
role drv-serial requester 0x011 timed'
expect starter 'widening   requester added: timed (0x011)'
expect starter '^  !  *timed may now start drv-serial, which holds kernel-com1$'
change endpoint 3 's/^role timed endpoint .*/role timed endpoint driver/'
expect endpoint 'widening   endpoint changed: bootstrap -> driver'
change norole 1 '/^role probed /d'
expect norole 'narrowing  role removed: service'
change undeny 3 '/^op ADOPT_PROCESS flag deny$/d'
expect undeny 'widening   flag removed: deny'
change noop 1 '/^op STOP_PROCESS /d'
expect noop 'narrowing  op removed'
# A quota bounds what a requester may hold at once: more is wider.
change quotaup 3 's/^role deviced quota children 8 declared$/role deviced quota children 32 declared/'
expect quotaup 'widening   quota children grown: 8 (declared) -> 32 (declared)'
change quotadown 1 's/^role deviced quota waits 8 declared$/role deviced quota waits 4 declared/'
expect quotadown 'narrowing  quota waits shrunk: 8 (declared) -> 4 (declared)'
change quotadeclared 1 's/^role timed quota transfers 2 default$/role timed quota transfers 2 declared/'
expect quotadeclared 'neutral    quota transfers changed: 2 (default) -> 2 (declared)'
change quotagone 2 '/^role timed quota waits /d'
grep -q "line [0-9]*: role 'timed' has no 'quota waits' line" "$work/quotagone.out.err" ||
	fail "a record without one of a role's quotas is not refused: $(cat "$work/quotagone.out.err")"
# A build with fewer roles compared with the full record: no change.
policy_run 0 "$work/partial" diff --compiled-in "$work/lock" "$work/norole.lock"
grep -q 'not compared (not compiled into the new side): probed' "$work/partial" ||
	fail "--compiled-in does not say what it skipped: $(cat "$work/partial")"
# A build without the loader module (--disable-roles=loader) lacks its ops:
# not compared, and the module named; without --compiled-in, removed ops.
# (Only where this build has the loader: without it, its record has none
# of those ops to take out.)
if has_role loader; then
	grep -v '^op [A-Z_]*LOADER_IMAGE' "$work/lock" > "$work/noloader.lock"
	policy_run 0 "$work/noloader" diff --compiled-in "$work/lock" "$work/noloader.lock"
	grep -q '^role modules not compiled into the new side, their ops not compared: loader (BEGIN_LOADER_IMAGE_TRANSFER, ' "$work/noloader" ||
		fail "--compiled-in does not name the role module left out: $(cat "$work/noloader")"
	policy_run 1 "$work/noloader-full" diff "$work/lock" "$work/noloader.lock"
fi
# ... but a role the record lacks is a change, and widening.
policy_run 3 "$work/extra" diff --compiled-in "$work/norole.lock" "$work/lock"
grep -q 'widening   role added' "$work/extra" || fail "a role missing from the record is not flagged"

# Malformed records: refused (status 2) with the line that is wrong.
bad() { # LINE PATTERN CONTENT
	printf '%s' "$3" > "$work/bad.lock"
	policy_run 2 "$work/bad" diff "$work/bad.lock" "$image"
	grep -q "bad.lock: line $1: $2" "$work/bad.err" ||
		fail "malformed record: expected 'line $1: $2', got: $(cat "$work/bad.err")"
}
bad 1 'not a procd policy record' 'hello
'
bad 1 'this procd-policy reads .procd-policy-lock 2. records' 'procd-policy-lock 3
'
bad 1 'a .procd-policy-lock 1. record predates quotas' 'procd-policy-lock 1
'
bad 2 "unknown quota 'forks'" 'procd-policy-lock 2
role timed quota forks 8 declared
'
bad 3 "unknown role fact 'slots'" '# c
procd-policy-lock 2
role timed slots 2128
'
bad 2 "slot 2128 is kernel-time, not 'kernel-irq'" 'procd-policy-lock 2
role timed slot 2128 kernel-irq
'
bad 2 "role 'timed' has no 'class' line" 'procd-policy-lock 2
role timed id 0x011
'
bad 3 "second 'window' of role 'x' (the first is on line 2)" 'procd-policy-lock 2
role x window 32
role x window 33
'
bad 2 "a role line is 'role NAME FACT VALUE'" 'procd-policy-lock 2
role x window
'
bad 2 "window '3x' is not a number" 'procd-policy-lock 2
role x window 3x
'
bad 2 'byte 0x01 is not allowed' "$(printf 'procd-policy-lock 2\nrole x\001 id 1\n')"
sed -e 's/^role timed id 0x011$/role timed id 0x010/' "$work/lock" > "$work/bad.lock"
policy_run 2 "$work/bad" diff "$work/bad.lock" "$image"
grep -q "line [0-9]*: role 'timed' has id 0x010, like role 'deviced' (line [0-9]*)" "$work/bad.err" ||
	fail "a repeated role id is not refused: $(cat "$work/bad.err")"
# An unreadable file, and a file that is not a procd binary either way.
policy_run 2 "$work/o" diff "$work/does-not-exist" "$image"
policy_run 2 "$work/o" diff "$image" /bin/sh

# Markdown: a table whose every row has as many cells as its header.
policy_run 3 "$work/md" diff --markdown "$work/lock" "$work/slot.lock"
awk -F'|' '/^\|/ { if (n == 0) n = NF; else if (NF != n) bad = 1; rows++ }
	END { exit !(rows >= 3 && !bad) }' "$work/md" || fail "diff --markdown is not a well-formed table: $(cat "$work/md")"
grep -q "^| \\*\\*widening\\*\\* | role timed (0x011) | timed.c | slot added |  | $extra_slot |\$" "$work/md" ||
	fail "diff --markdown lacks the widening row: $(cat "$work/md")"
policy_run 0 "$work/listmd" list --markdown "$image"
for table in 'role policies' ops; do
	awk -F'|' -v t="$table" 'tolower($0) ~ "^#### " t { on = 1; n = 0; next } /^#### / { on = 0 }
		on && /^\|/ { if (n == 0) n = NF; else if (NF != n) bad = 1; rows++ }
		END { exit !(rows >= 3 && !bad) }' "$work/listmd" ||
		fail "list --markdown: the $table table is not well formed"
done

# JSON, when there is a parser to prove it.
policy_run 3 "$work/json" diff --json "$work/lock" "$work/slot.lock"
grep -q "\"field\":\"slot\",\"change\":\"added\",\"old\":null,\"new\":\"$extra_slot\",\"effect\":\"widening\"" "$work/json" ||
	fail "diff --json lacks the change: $(cat "$work/json")"
if command -v python3 > /dev/null 2>&1; then
	python3 -m json.tool "$work/json" > /dev/null || fail "diff --json is not valid JSON"
fi

# DOT: graphviz renders it when installed.
policy_run 0 "$work/dot" list --dot "$image"
grep -q '^digraph procd_authority {$' "$work/dot" || fail "list --dot is not a digraph"
grep -q 'cluster_driver' "$work/dot" || fail "the driver endpoint is not drawn apart"
grep -q 'slot_2128 -> srv_kernel' "$work/dot" || fail "kernel-time does not lead to the kernel"
grep -q 'req_0x001 -> role_0x011' "$work/dot" || fail "rootd does not request timed in the graph"
if command -v dot > /dev/null 2>&1; then
	dot -Tsvg "$work/dot" > "$work/graph.svg" 2> "$work/dot.err" || fail "dot refused the graph: $(cat "$work/dot.err")"
	grep -q '<svg' "$work/graph.svg" || fail "dot produced no SVG"
else
	echo "graphviz is not installed: DOT output not rendered"
fi

# Usage errors.
policy_run 2 "$work/o" diff "$image"
policy_run 2 "$work/o" lock --json "$image"
policy_run 2 "$work/o" show --dot "$image" timed
policy_run 2 "$work/o" list --compiled-in "$image"
policy_run 2 "$work/o" diff --json --markdown "$image" "$image"
echo "diff, lock, Markdown, JSON and DOT behave as a reviewer needs"
