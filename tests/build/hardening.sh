#!/bin/sh
# SPDX-License-Identifier: ISC
# A distribution's hardening flags harden procd and the tools and leave the
# freestanding programs freestanding. A hosted build is configured with the
# flags Debian's dpkg-buildflags gives with all hardening on, and more
# (-D_FORTIFY_SOURCE=3, -fcf-protection, -flto=auto, -fPIE -pie): the
# helpers must still link with no libc (no __stack_chk_fail, no *_chk
# call, static ET_EXEC), and procd must carry what was asked for (PIE,
# RELRO, BIND_NOW, a stack guard). The main build's own images are held to
# the same: procd.elf and the helpers stay static ET_EXEC images with
# nothing undefined.
. "${abs_top_srcdir}/tests/lib.sh"

# A static, freestanding image: ET_EXEC, no interpreter, no undefined
# symbol, nothing of a hardening runtime.
freestanding() { # FILE
	f=$1
	$READELF -h "$f" | grep -q 'Type: *EXEC' || fail "${f#$work/}: not ET_EXEC: $($READELF -h "$f" | grep Type:)"
	! $READELF -l "$f" | grep -q INTERP || fail "${f#$work/}: has a program interpreter"
	undef=$($NM -u "$f" 2> /dev/null | awk '{print $NF}')
	[ -z "$undef" ] || fail "${f#$work/}: undefined symbols: $undef"
	chk=$($NM "$f" 2> /dev/null | awk '{print $NF}' | grep -E '^__stack_chk_fail$|_chk$' || true)
	[ -z "$chk" ] || fail "${f#$work/}: hardening runtime symbols in a freestanding image: $chk"
}

images=0
for f in "$abs_top_builddir"/procd.elf "$abs_top_builddir"/helpers/*; do
	[ -f "$f" ] || continue
	case $f in
	*.elf) ;;
	*.c|*.h|*.o) continue ;;
	*) [ -x "$f" ] || continue ;;
	esac
	freestanding "$f"
	images=$((images + 1))
done
[ "$images" -gt 0 ] || fail "found no freestanding image in the build"
echo "$images freestanding images of this build checked"

[ -n "$procd" ] && [ -x "$abs_top_builddir/helpers/service" ] ||
	skip "the hardened variant builds the hosted helpers (x86_64 Linux)"

cflags="-g -O2 -fstack-protector-strong -fstack-clash-protection -fcf-protection -flto=auto -fPIE -Wformat -Werror=format-security"
cppflags="-Wdate-time -D_FORTIFY_SOURCE=3"
ldflags="-Wl,-z,relro -Wl,-z,now -pie -flto=auto"
if command -v dpkg-buildflags > /dev/null 2>&1; then
	cflags="$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CFLAGS) $cflags"
fi
vsrc=$(variant_srcdir) || exit 1
mkdir -p "$work/hard"
(
	cd "$work/hard" &&
	"$vsrc/configure" -q --without-check $PROCD_ROLES_CONFIG CFLAGS="$cflags" CPPFLAGS="$cppflags" LDFLAGS="$ldflags" \
		> configure.log 2>&1 || { cat configure.log >&2; exit 90; }
	$MAKE -j2 procd helpers/service helpers/deviced helpers/loaderd > make.log 2>&1
) || fail "the hardened build failed: $(grep -m3 -E 'error|undefined' "$work/hard/make.log")"

for h in service deviced loaderd; do
	freestanding "$work/hard/helpers/$h"
done
p="$work/hard/procd"
$READELF -h "$p" | grep -q 'Type: *DYN' || fail "procd is not PIE under -fPIE -pie"
$READELF -l "$p" | grep -q GNU_RELRO || fail "procd has no RELRO under -z relro"
$READELF -d "$p" | grep -q -E 'BIND_NOW|FLAGS.*NOW' || fail "procd is not BIND_NOW under -z now"
$NM -D "$p" | grep -q __stack_chk_fail || fail "procd has no stack guard under -fstack-protector-strong"
"$p" --check > "$work/check.log" 2>&1 || { cat "$work/check.log" >&2; fail "hardened procd refused its own registry"; }
echo "hardened build: procd PIE, RELRO, BIND_NOW, stack guard; helpers freestanding"
