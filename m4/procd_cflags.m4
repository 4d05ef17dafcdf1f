# SPDX-License-Identifier: ISC
# PROCD_CHECK_CFLAG(FLAG, [IF-YES], [IF-NO])
# Whether the C compiler accepts FLAG (with -Werror, so a flag it only warns
# about counts as refused).
AC_DEFUN([PROCD_CHECK_CFLAG], [
  AS_VAR_PUSHDEF([procd_var], [procd_cv_cflag_$1])
  AC_CACHE_CHECK([whether $CC accepts $1], [procd_var], [
    procd_save_CFLAGS=$CFLAGS
    CFLAGS="$CFLAGS -Werror $1"
    AC_LINK_IFELSE([AC_LANG_PROGRAM([], [])],
      [AS_VAR_SET([procd_var], [yes])], [AS_VAR_SET([procd_var], [no])])
    CFLAGS=$procd_save_CFLAGS
  ])
  AS_VAR_IF([procd_var], [yes], [$2], [$3])
  AS_VAR_POPDEF([procd_var])
])

# PROCD_ADD_CFLAG(VARIABLE, FLAG)
# Appends FLAG to VARIABLE when the compiler accepts it.
AC_DEFUN([PROCD_ADD_CFLAG], [
  PROCD_CHECK_CFLAG([$2], [AS_VAR_APPEND([$1], [" $2"])])
])

# PROCD_FREESTANDING_CFLAGS(VARIABLE, COMPILER)
# The flags that keep freestanding code freestanding whatever else is on the
# command line before them: each turns off a hardening feature that needs a
# runtime (a stack guard, fortified libc calls, coverage counters that
# libgcov writes out) or changes the object's kind (PIE, LTO bytecode), or
# that a compiler may enable by default (Ubuntu's gcc enables most). Each is kept only if COMPILER accepts it, compiling with
# -Werror; -U_FORTIFY_SOURCE is plain preprocessor and always works.
AC_DEFUN([PROCD_FREESTANDING_CFLAGS], [
  AC_MSG_CHECKING([what keeps $2 freestanding])
  $1=-U_FORTIFY_SOURCE
  echo 'int procd_f(int x) { return x + 1; }' > conftest-fs.c
  for procd_flag in -fno-stack-protector -fno-stack-clash-protection -fcf-protection=none \
      -fno-pie -fno-lto -fno-profile-arcs -fno-test-coverage; do
    AS_IF([$2 -Werror $procd_flag -c conftest-fs.c -o conftest-fs.o >&AS_MESSAGE_LOG_FD 2>&1],
      [AS_VAR_APPEND([$1], [" $procd_flag"])])
  done
  rm -f conftest-fs.c conftest-fs.o
  AC_MSG_RESULT([$][$1])
  AC_SUBST([$1])
])
