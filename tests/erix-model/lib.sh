# SPDX-License-Identifier: ISC
# Shared by the kernel-model tests; sourced after tests/lib.sh. Runs procd.elf
# under tests/erix-model/erix-model, or skips saying why it cannot here.
model="$abs_top_builddir/tests/erix-model/erix-model"

case $(uname -m) in x86_64) ;; *) skip "the EriX images are x86_64; this host is $(uname -m)" ;; esac
[ -z "$procd" ] || skip "this build is hosted; the kernel model runs the images of --with-platform=erix"
[ -x "$model" ] || fail "no $model in an erix build"
why=$("$model" --probe) || skip "the kernel model needs ptrace: $why"

# boot_model MANIFEST [ARGS...]: boots MANIFEST under the model from the
# build directory (where the manifests' helpers/ paths are), its output in
# $work/boot.log and its status in $boot_status.
boot_model() {
	manifest=$1
	shift
	boot_status=0
	(cd "$abs_top_builddir" && "$model" --procd ./procd.elf "$@" "$manifest") > "$work/boot.log" 2>&1 ||
		boot_status=$?
}

# expect LINE: the boot printed exactly this line.
expect() {
	grep -qxF -- "$1" "$work/boot.log" || { cat "$work/boot.log" >&2; fail "no line '$1'"; }
}

# expect_not PATTERN: no line matches the basic regular expression.
expect_not() {
	! grep -q -- "$1" "$work/boot.log" || { grep -- "$1" "$work/boot.log" >&2; fail "unexpected '$1'"; }
}
