# SPDX-License-Identifier: ISC
# PROCD_POLICY_SELECTION
#
# Finds the policy modules and decides which are compiled in.
#  - In-tree modules are policies/*.c, discovered here, so a dropped-in file
#    needs no edit to any other file.
#  - --enable-policies=all|LIST and --disable-policies=LIST select among them
#    by file stem; an unknown stem is an error that lists the known ones.
#  - --with-policy-dir=DIR adds every DIR/*.c, compiled exactly like the
#    in-tree modules (a vendor's roles).
# Substitutes:
#  PROCD_POLICY_OBJECTS   objects to link into procd (and the registry tests)
#  PROCD_POLICY_ALL_FILES every in-tree module, for the distribution
#  PROCD_POLICY_DIR       the vendor directory, absolute ("" if none)
AC_DEFUN([PROCD_POLICY_SELECTION], [
  # Autoconf refuses "--disable-FEATURE=ARG" before any configure.ac code
  # runs, so rewrite it first into the internal --with-disabled-policies.
  m4_divert_text([DEFAULTS], [
for procd_arg
do
  shift
  case $procd_arg in
    --disable-policies=*) set x "$[@]" "--with-disabled-policies=${procd_arg#--disable-policies=}" ;;
    *) set x "$[@]" "$procd_arg" ;;
  esac
  shift
done
])
  AC_ARG_ENABLE([policies],
    [AS_HELP_STRING([--enable-policies=all|LIST],
      [compile in all policy modules (default) or only the comma-separated LIST of policies/*.c stems])
AS_HELP_STRING([--disable-policies=LIST],
      [compile in every policy module except those in the comma-separated LIST])],
    [], [enable_policies=all])
  AC_ARG_WITH([disabled-policies], [], [procd_disabled_policies=$withval], [procd_disabled_policies=])
  AS_IF([test "x${with_disabled_policies+set}" = xset && test -z "$procd_disabled_policies"],
    [AC_MSG_ERROR([--disable-policies needs a LIST of policy modules, not an empty value])])
  AC_ARG_WITH([policy-dir],
    [AS_HELP_STRING([--with-policy-dir=DIR],
      [also compile in every DIR/*.c policy module (vendor roles)])],
    [], [with_policy_dir=no])
  AS_IF([test "x$enable_policies" = xno],
    [AC_MSG_ERROR([--disable-policies needs a LIST of policy modules (or use --enable-policies=LIST)])])
  AS_IF([test "x$enable_policies" = x],
    [AC_MSG_ERROR([--enable-policies needs all or a LIST of policy modules, not an empty value])])

  procd_known_policies=
  for procd_file in "$srcdir"/policies/*.c; do
    test -f "$procd_file" || continue
    procd_stem=`basename "$procd_file" .c`
    case $procd_stem in
      *[[!a-z0-9_-]]*) AC_MSG_ERROR([policies/$procd_stem.c: policy file names use a-z, 0-9, '-' and '_']) ;;
    esac
    procd_known_policies="$procd_known_policies $procd_stem"
  done
  procd_known_policies=`echo $procd_known_policies`

  procd_policy_in_list() { # STEM LIST
    case ",$[2]," in *",$[1],"*) return 0 ;; esac
    return 1
  }
  procd_check_names() { # LIST OPTION
    procd_old_ifs=$IFS; IFS=,
    for procd_name in $[1]; do
      IFS=$procd_old_ifs
      case " $procd_known_policies " in
        *" $procd_name "*) ;;
        *) AC_MSG_ERROR([$[2]: unknown policy module '$procd_name'; known modules: $procd_known_policies]) ;;
      esac
    done
    IFS=$procd_old_ifs
  }
  AS_IF([test "x$enable_policies" != xall && test "x$enable_policies" != xyes],
    [procd_check_names "$enable_policies" --enable-policies])
  AS_IF([test -n "$procd_disabled_policies"],
    [procd_check_names "$procd_disabled_policies" --disable-policies])

  PROCD_POLICY_OBJECTS=
  PROCD_POLICY_ALL_FILES=
  procd_selected_policies=
  for procd_stem in $procd_known_policies; do
    PROCD_POLICY_ALL_FILES="$PROCD_POLICY_ALL_FILES policies/$procd_stem.c"
    AS_IF([test "x$enable_policies" != xall && test "x$enable_policies" != xyes],
      [procd_policy_in_list "$procd_stem" "$enable_policies" || continue])
    procd_policy_in_list "$procd_stem" "$procd_disabled_policies" && continue
    PROCD_POLICY_OBJECTS="$PROCD_POLICY_OBJECTS policies/$procd_stem.\$(OBJEXT)"
    procd_selected_policies="$procd_selected_policies $procd_stem"
  done

  PROCD_POLICY_DIR=
  procd_vendor_policies=
  AS_CASE([$with_policy_dir],
    [no|""], [],
    [yes], [AC_MSG_ERROR([--with-policy-dir needs a DIR])],
    [
      AS_IF([test -d "$with_policy_dir"], [],
        [AC_MSG_ERROR([--with-policy-dir=$with_policy_dir: not a directory])])
      PROCD_POLICY_DIR=`cd "$with_policy_dir" && pwd`
      for procd_file in "$PROCD_POLICY_DIR"/*.c; do
        test -f "$procd_file" || continue
        procd_stem=`basename "$procd_file" .c`
        case $procd_stem in
          *[[!a-zA-Z0-9_-]]*) AC_MSG_ERROR([$procd_file: policy file names use letters, digits, '-' and '_']) ;;
        esac
        case " $procd_selected_policies " in
          *" $procd_stem "*) AC_MSG_ERROR([--with-policy-dir: $procd_file has the name of the in-tree policies/$procd_stem.c, which is compiled in too; rename it, or leave the in-tree one out with --disable-policies=$procd_stem]) ;;
        esac
        PROCD_POLICY_OBJECTS="$PROCD_POLICY_OBJECTS vendor-policies/$procd_stem.\$(OBJEXT)"
        procd_vendor_policies="$procd_vendor_policies $procd_stem"
      done
      AS_IF([test -z "$procd_vendor_policies"],
        [AC_MSG_ERROR([--with-policy-dir=$with_policy_dir: no *.c policy modules there])])
    ])
  procd_selected_policies=`echo $procd_selected_policies`
  procd_vendor_policies=`echo $procd_vendor_policies`
  AS_IF([test -z "$procd_selected_policies$procd_vendor_policies"],
    [AC_MSG_WARN([no policy module is compiled in: procd will start no role])])

  AC_SUBST([PROCD_POLICY_OBJECTS])
  AC_SUBST([PROCD_POLICY_ALL_FILES])
  AC_SUBST([PROCD_POLICY_DIR])
])
