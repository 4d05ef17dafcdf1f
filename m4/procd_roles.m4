# SPDX-License-Identifier: ISC
# PROCD_ROLE_SELECTION
#
# Finds the role modules (roles/<name>/, each a directory of sources that
# registers its ops and hook set at link time) and decides which are
# compiled in, as PROCD_POLICY_SELECTION does for policies:
#  --enable-roles=all|LIST and --disable-roles=LIST select by directory
#  name; an unknown name is an error that lists the known ones.
# Substitutes:
#  PROCD_ROLE_OBJECTS    objects to link into procd (and the core tests)
#  PROCD_ROLE_ALL_FILES  every role module's sources, for the distribution
#  PROCD_ROLE_HEADERS    every role module's headers
#  PROCD_ROLES           the modules compiled in, space-separated
#  PROCD_ROLES_LEFT_OUT  the known modules left out, comma-separated
#  PROCD_ROLES_CONFIG    the configure argument that makes the same choice
#                        ("" when every module is in), for the tests'
#                        variant builds
# Defines an Automake conditional ROLE_<NAME> per known module.
AC_DEFUN([PROCD_ROLE_SELECTION], [
  # As for --disable-policies: autoconf refuses "--disable-FEATURE=ARG"
  # before configure.ac runs, so it becomes --with-disabled-roles first.
  m4_divert_text([DEFAULTS], [
for procd_arg
do
  shift
  case $procd_arg in
    --disable-roles=*) set x "$[@]" "--with-disabled-roles=${procd_arg#--disable-roles=}" ;;
    *) set x "$[@]" "$procd_arg" ;;
  esac
  shift
done
])
  AC_ARG_ENABLE([roles],
    [AS_HELP_STRING([--enable-roles=all|LIST],
      [compile in all role modules (default) or only the comma-separated LIST of roles/ directories])
AS_HELP_STRING([--disable-roles=LIST],
      [compile in every role module except those in LIST (e.g. loader)])],
    [], [enable_roles=all])
  AC_ARG_WITH([disabled-roles], [], [procd_disabled_roles=$withval], [procd_disabled_roles=])
  AS_IF([test "x${with_disabled_roles+set}" = xset && test -z "$procd_disabled_roles"],
    [AC_MSG_ERROR([--disable-roles needs a LIST of role modules, not an empty value])])
  AS_IF([test "x$enable_roles" = xno],
    [AC_MSG_ERROR([--disable-roles needs a LIST of role modules (or use --enable-roles=LIST)])])
  AS_IF([test "x$enable_roles" = x],
    [AC_MSG_ERROR([--enable-roles needs all or a LIST of role modules, not an empty value])])

  procd_known_roles=
  for procd_dir in "$srcdir"/roles/*/; do
    test -d "$procd_dir" || continue
    procd_name=`basename "$procd_dir"`
    case $procd_name in
      *[[!a-z0-9_-]]*) AC_MSG_ERROR([roles/$procd_name: role module names use a-z, 0-9, '-' and '_']) ;;
    esac
    procd_known_roles="$procd_known_roles $procd_name"
  done
  procd_known_roles=`echo $procd_known_roles`

  procd_role_check_names() { # LIST OPTION
    procd_old_ifs=$IFS; IFS=,
    for procd_name in $[1]; do
      IFS=$procd_old_ifs
      case " $procd_known_roles " in
        *" $procd_name "*) ;;
        *) AC_MSG_ERROR([$[2]: unknown role module '$procd_name'; known modules: $procd_known_roles]) ;;
      esac
    done
    IFS=$procd_old_ifs
  }
  AS_IF([test "x$enable_roles" != xall && test "x$enable_roles" != xyes],
    [procd_role_check_names "$enable_roles" --enable-roles])
  AS_IF([test -n "$procd_disabled_roles"],
    [procd_role_check_names "$procd_disabled_roles" --disable-roles])

  PROCD_ROLE_OBJECTS=
  PROCD_ROLE_ALL_FILES=
  PROCD_ROLE_HEADERS=
  procd_selected_roles=
  for procd_name in $procd_known_roles; do
    procd_sources=
    for procd_file in "$srcdir"/roles/$procd_name/*.c "$srcdir"/roles/$procd_name/*.h; do
      test -f "$procd_file" || continue
      procd_rel="roles/$procd_name/`basename "$procd_file"`"
      PROCD_ROLE_ALL_FILES="$PROCD_ROLE_ALL_FILES $procd_rel"
      case $procd_rel in
        *.h) PROCD_ROLE_HEADERS="$PROCD_ROLE_HEADERS $procd_rel" ;;
        *.c) procd_sources="$procd_sources $procd_rel" ;;
      esac
    done
    procd_role_wanted=yes
    AS_IF([test "x$enable_roles" != xall && test "x$enable_roles" != xyes],
      [procd_policy_in_list "$procd_name" "$enable_roles" || procd_role_wanted=no])
    procd_policy_in_list "$procd_name" "$procd_disabled_roles" && procd_role_wanted=no
    test $procd_role_wanted = yes || continue
    for procd_rel in $procd_sources; do
      PROCD_ROLE_OBJECTS="$PROCD_ROLE_OBJECTS `echo $procd_rel | sed 's/\.c$//'`.\$(OBJEXT)"
    done
    procd_selected_roles="$procd_selected_roles $procd_name"
  done
  procd_selected_roles=`echo $procd_selected_roles`
  procd_left_out_roles=
  for procd_name in $procd_known_roles; do
    case " $procd_selected_roles " in
      *" $procd_name "*) ;;
      *) procd_left_out_roles="$procd_left_out_roles${procd_left_out_roles:+,}$procd_name" ;;
    esac
  done
  PROCD_ROLES=$procd_selected_roles
  PROCD_ROLES_LEFT_OUT=$procd_left_out_roles
  PROCD_ROLES_CONFIG=${procd_left_out_roles:+--disable-roles=$procd_left_out_roles}
  AC_DEFINE_UNQUOTED([PROCD_ROLES_LEFT_OUT], ["$procd_left_out_roles"],
    [The known role modules this build leaves out, comma-separated; procd-policy reports them])
  AM_CONDITIONAL([ROLE_LOADER], [case " $procd_selected_roles " in *" loader "*) true ;; *) false ;; esac])
  AM_CONDITIONAL([ROLE_FOUNDATION], [case " $procd_selected_roles " in *" foundation "*) true ;; *) false ;; esac])
  AM_CONDITIONAL([ROLE_PROBE], [case " $procd_selected_roles " in *" probe "*) true ;; *) false ;; esac])
  AC_SUBST([PROCD_ROLE_OBJECTS])
  AC_SUBST([PROCD_ROLE_ALL_FILES])
  AC_SUBST([PROCD_ROLE_HEADERS])
  AC_SUBST([PROCD_ROLES])
  AC_SUBST([PROCD_ROLES_LEFT_OUT])
  AC_SUBST([PROCD_ROLES_CONFIG])
])
