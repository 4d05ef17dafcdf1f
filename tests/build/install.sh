#!/bin/sh
# SPDX-License-Identifier: ISC
# An installed procd boots: make install (into a DESTDIR) puts procd and
# procd-boot in sbin, the helpers in the package's libexec directory and
# the default manifest, pointing at them, in its data directory; the
# installed procd-boot, run from another directory with no --procd, finds
# the installed procd beside it and boots that manifest (paths moved under
# the DESTDIR). The installed pages carry one version and date.
. "${abs_top_srcdir}/tests/lib.sh"
need_hosted_procd
[ -x "$abs_top_builddir/helpers/service" ] || skip "the helpers are built on x86_64 Linux only"

dest="$work/dest"
$MAKE -s -C "$abs_top_builddir" install DESTDIR="$dest" > "$work/install.log" 2>&1 ||
	{ cat "$work/install.log" >&2; fail "make install failed"; }

boot=$(find "$dest" -path '*/sbin/procd-boot' -type f)
manifest=$(find "$dest" -path '*/procd/default.manifest' -type f)
[ -n "$boot" ] || fail "procd-boot is not installed in sbin"
[ -x "$(dirname "$boot")/procd" ] || fail "procd is not installed beside procd-boot"
[ -n "$manifest" ] || fail "the default manifest is not installed"
service=$(find "$dest" -path '*/libexec/procd/service' -type f)
[ -x "$service" ] || fail "the helpers are not installed under libexec/procd"

# The manifest names where the helpers were installed; under a DESTDIR
# that is below $dest.
installed_dir=${service%/service}
grep -q "^module *named *${installed_dir#$dest}/named *boot" "$manifest" ||
	{ cat "$manifest" >&2; fail "the installed manifest does not point at the installed helpers"; }
sed "s| /| $dest/|" "$manifest" > "$work/moved.manifest"

(cd / && "$boot" --run-for 2 "$work/moved.manifest") > "$work/boot.log" 2>&1 ||
	{ cat "$work/boot.log" >&2; fail "the installed procd-boot did not boot the installed manifest"; }
grep -q "rootd: launching $(dirname "$boot")/procd " "$work/boot.log" ||
	{ head -3 "$work/boot.log" >&2; fail "procd-boot did not launch the procd installed beside it"; }
for what in 'procd: boot plan done' 'procd: timed (pid [0-9]*) started' 'rootd: procd exited with status 0'; do
	grep -q "$what" "$work/boot.log" || { cat "$work/boot.log" >&2; fail "no '$what' in the installed boot"; }
done

# The page names the directories this build installed to.
page=$(find "$dest" -path '*/man8/procd-boot.8' -type f)
[ -n "$page" ] || fail "procd-boot.8 is not installed"
grep -q "^\.I ${manifest#$dest}\$" "$page" || fail "procd-boot.8 does not name the installed manifest ${manifest#$dest}"
grep -q "^\.IR ${installed_dir#$dest} \.\$" "$page" || fail "procd-boot.8 does not name the installed helpers ${installed_dir#$dest}"

# One footer on every page: this version, one date.
feet=$(find "$dest" -path '*/man/man*' -type f -exec sed -n 's/^\.TH [^ ]* [^ ]* \([^ ]*\) "\([^"]*\)".*/\1 \2/p' {} + | sort -u)
[ -n "$feet" ] || fail "no manual pages installed"
[ "$(printf '%s\n' "$feet" | wc -l)" -eq 1 ] || fail "the pages disagree on their footer: $feet"
version=$(sed -n 's/^PACKAGE_VERSION = //p' "$abs_top_builddir/Makefile")
case $feet in *"procd $version") ;; *) fail "the pages say '$feet', not procd $version" ;; esac

incdir=$(find "$dest" -path '*/include/procd' -type d)
[ -n "$incdir" ] || fail "the ABI headers are not installed under include/procd"
$MAKE -s -C "$abs_top_builddir" uninstall DESTDIR="$dest" > "$work/uninstall.log" 2>&1 || fail "make uninstall failed"
left=$(find "$dest" -type f)
[ -z "$left" ] || fail "make uninstall left: $left"
# ... nor the directories that were procd's alone.
for d in "$installed_dir" "$(dirname "$manifest")" "$incdir"; do
	[ ! -d "$d" ] || fail "make uninstall left the directory ${d#$dest}"
done
echo "the installed tree boots the installed default manifest"
