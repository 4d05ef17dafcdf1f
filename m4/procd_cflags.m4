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
