#!/bin/sh
# SPDX-License-Identifier: ISC
# make coverage: line and branch coverage of core/, roles/ and policies/
# from a whole make check, in a build of its own (coverage instrumentation
# is not for the build a user runs). Needs gcovr (Debian: gcovr).
set -eu
srcdir=$1
builddir=$2
work="$builddir/tests/work/coverage"

command -v gcovr > /dev/null 2>&1 || {
	echo "coverage: gcovr is not installed (apt-get install gcovr)" >&2
	exit 1
}
rm -rf "$work"
mkdir -p "$work/build"
if [ -f "$srcdir/config.status" ]; then
	# configure refuses a tree that is configured itself: use a clean copy.
	${MAKE:-make} -s -C "$builddir" distdir distdir="$work/src" > "$work/distdir.log" 2>&1
	src="$work/src"
else
	src=$srcdir
fi
cd "$work/build"
# -fprofile-arcs -ftest-coverage rather than --coverage: the freestanding
# helpers cancel the first two (FREESTANDING_CFLAGS), and gcc lets nothing
# cancel --coverage, which would ask for libgcov in them.
# procd writes its counters when it exits, which its own seccomp filter
# forbids (it dies of SIGSYS): like a sanitizer build, this one does not
# confine procd itself; its children are confined all the same.
"$src/configure" -q --disable-werror CPPFLAGS="-DPROCD_SANITIZERS" \
	CFLAGS="-O0 -g -fprofile-arcs -ftest-coverage" LDFLAGS="--coverage" > configure.log
${MAKE:-make} -j2 > make.log 2>&1
# Unoptimised instrumented code is slower: Check's per-test timeouts get
# room for it.
CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-4} ${MAKE:-make} -j2 check > check.log 2>&1 || {
	echo "coverage: make check failed in the coverage build; see $work/build/check.log" >&2
	exit 1
}
# Objects are built per program (tests link the core too); gcovr merges
# them per source file.
for area in core roles policies; do
	echo "== $area/"
	gcovr -r "$src" --object-directory . --filter "$src/$area/" --exclude "$src/core/port/" \
		--exclude-unreachable-branches -s > "$area-lines.txt" 2> /dev/null
	gcovr -r "$src" --object-directory . --filter "$src/$area/" --exclude "$src/core/port/" \
		--exclude-unreachable-branches -b > "$area-branches.txt" 2> /dev/null
	grep -E '^(lines|branches):' "$area-lines.txt"
done
echo "per file: $work/build/<area>-lines.txt and <area>-branches.txt"
