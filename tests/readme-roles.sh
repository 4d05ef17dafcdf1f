#!/bin/sh
# SPDX-License-Identifier: ISC
# README's role table says what each role may hold; it must say what the
# built procd grants: for every role in the table, the same window and the
# same slots as procd-policy reads from the binary, and a row for every
# role the build grants from policies/.
. "${abs_top_srcdir}/tests/lib.sh"

"$policy_tool" list "$procd_image" > "$work/list" || fail "procd-policy list failed"
# "| role | class | requested by | window | slots |": role names may be a
# comma-separated list sharing one row.
sed -n 's/^| \([a-z0-9, -]*\) | \(foundation\|service\|driver\|extension\) | [^|]* | \([0-9]*\) | \([^|]*\) |$/\1|\3|\4/p' \
	"$abs_top_srcdir/README.md" > "$work/rows"
[ -s "$work/rows" ] || fail "no role table found in README.md"
checked=0
documented=
while IFS='|' read -r names window slots; do
	# "2184 com1": each comma item starts with the slot, then maybe its name.
	want=$(echo "$slots" | tr ',' '\n' | sed -n 's/^ *\([0-9][0-9]*\).*/\1/p' | tr '\n' ',' | sed 's/,$//')
	for role in $(echo "$names" | tr ',' ' '); do
		line=$(awk -v r="$role" '$1 == r && NF > 8 { print $7, $NF }' "$work/list")
		[ -n "$line" ] || continue # not compiled into this build
		set -- $line
		[ "$1" = "$window" ] || fail "README says $role has window $window; the build grants $1"
		[ "$2" = "$want" ] || fail "README says $role may hold $want; the build grants $2"
		checked=$((checked + 1))
		documented="$documented $role"
	done
done < "$work/rows"
# And the other way: every role this build grants from the project's own
# policies/ has its row (a vendor's drop-in roles are the vendor's to
# document).
"$policy_tool" list --json "$procd_image" > "$work/list.json" || fail "procd-policy list --json failed"
own=0
missing=
for pair in $(sed -n 's/^ *{"name":"\([^"]*\)".*"source":"\([^"]*\)".*/\1:\2/p' "$work/list.json"); do
	role=${pair%%:*}
	[ -f "$abs_top_srcdir/policies/${pair#*:}" ] || continue
	own=$((own + 1))
	case " $documented " in *" $role "*) ;; *) missing="$missing $role (${pair#*:})" ;; esac
done
[ "$own" -gt 0 ] || fail "found no role of policies/ in the build"
# Name the roles without a row: the one who just dropped in a policy is
# told which row to add, not only that a count is off.
[ "$checked" -eq "$own" ] || fail "README's role table covers $checked of the $own roles this build grants from policies/; no row for:$missing"
echo "README role table matches the build for all $checked roles"
