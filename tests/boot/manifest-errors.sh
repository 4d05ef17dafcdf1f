#!/bin/sh
# SPDX-License-Identifier: ISC
# A manifest mistake stops procd-boot before procd is launched, with the
# file, the line, the word that is wrong and what was expected.
. "${abs_top_srcdir:?run through make check}/tests/lib.sh"
need_hosted_procd
boot="$abs_top_builddir/procd-boot"
m="$work/bad.manifest"
cd "$abs_top_builddir" || fail "no build directory"

# refused LINE-NUMBER "EXPECTED TEXT" MANIFEST-LINE...
refused() {
	line=$1 want=$2
	shift 2
	printf '%s\n' "$@" > "$m"
	"$boot" --procd "$procd" "$m" > "$work/out" 2>&1 && { cat "$work/out" >&2; fail "accepted: $*"; }
	grep -q 'rootd: launching' "$work/out" && { cat "$work/out" >&2; fail "procd was launched for: $*"; }
	grep -qF "$m:$line: " "$work/out" || { cat "$work/out" >&2; fail "no '$m:$line:' for: $*"; }
	grep -qF -- "$want" "$work/out" || { cat "$work/out" >&2; fail "no '$want' for: $*"; }
}

refused 1 "no role of procd has the image 'timd'" 'module timd helpers/service boot'
refused 1 "images of the boot plan: named" 'module timd helpers/service boot'
refused 2 "procd has no role named 'phase0-exitt'" 'module phase0-exit helpers/phase0-exit' 'spawn phase0-exitt'
refused 1 "'one' is not a number of seconds" 'late kernel-pager one'
refused 1 "unknown kernel endpoint 'kernel-iqr' (expected one of: kernel-time kernel-irq" 'kernel kernel-iqr'
refused 3 "module timed: declared twice (first on line 1)" \
	'module timed helpers/service boot' '# again' 'module timed helpers/service'
refused 1 "drv-serial is a driver, and drivers are not in the boot plan" 'module drv-serial helpers/service boot'
refused 1 "no module named 'phase0-exit'" 'spawn phase0-exit'
refused 2 "exit-with x: expected an exit code from 0 to 255" \
	'module phase0-exit helpers/phase0-exit' 'spawn phase0-exit exit-with x'
refused 1 "install kernel-tim: unknown service 'kernel-tim'" 'spawn phase0-exit install kernel-tim'
refused 1 "driver timed: timed is not a driver role" 'driver timed'
refused 1 "unknown directive 'modul'" 'modul timed helpers/service'

printf 'module timed helpers/service boot\n' > "$m"
"$boot" --procd "$procd" --run-for abc "$m" > "$work/out" 2>&1 && fail "--run-for abc accepted"
grep -q -- "--run-for abc: expected a number of seconds" "$work/out" || { cat "$work/out" >&2; fail "--run-for abc: no message"; }
grep -q 'rootd: launching' "$work/out" && fail "procd was launched with --run-for abc"
echo "every manifest mistake is refused with file, line and the word"
