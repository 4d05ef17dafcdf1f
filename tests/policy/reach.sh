#!/bin/sh
# SPDX-License-Identifier: ISC
# The views a reviewer asks for, on this build's procd: show says whom a
# role may start (deviced: the three drivers; loaderd: the loader-launch
# roles, by transfer), who-holds answers "who may hold slot 2112?", and
# reach follows starts to every slot a role can cause to be granted
# (deviced -> drivers -> their kernel endpoints; rootd -> everything).
. "${abs_top_srcdir}/tests/lib.sh"
# The hosted procd, or the EriX image: procd-policy reads either.
image=${procd_image:-$procd}
json_ok() { # FILE
	if command -v python3 > /dev/null 2>&1; then
		python3 -m json.tool "$1" > /dev/null || fail "$1 is not valid JSON: $(cat "$1")"
	fi
}

policy_run 0 "$work/deviced" show "$image" deviced
has "$work/deviced" '^may start   0x030  drv-acpi  on request (driver endpoint)$'
has "$work/deviced" '^            0x031  drv-serial  on request (driver endpoint)$'
has "$work/deviced" '^            0x032  drv-i8042  on request (driver endpoint)$'
policy_run 0 "$work/timed" show "$image" timed
has "$work/timed" '^may start   - (no role names it as a requester)$'
# loaderd calls the loader's ops and starts by transfer only where the
# loader role module is compiled in.
if has_role loader; then
	policy_run 0 "$work/loaderd" show "$image" loaderd
	has "$work/loaderd" '0x40e  BEGIN_LOADER_IMAGE_TRANSFER'
	has "$work/loaderd" '0x106  phase1-time-client  by loader transfer$'
	# ... and the same from the other side: who may start the helper.
	policy_run 0 "$work/helper" show "$image" phase1-time-client
	has "$work/helper" '^loaded by   0x019  loaderd  (loader transfer)$'
	policy_run 0 "$work/helper.json" show --json "$image" phase1-time-client
	has "$work/helper.json" '"transferred_by":\["loaderd"\]'
	json_ok "$work/helper.json"
fi
# A role no transfer may start has no such line.
policy_run 0 "$work/timed" show "$image" timed
! grep -q '^loaded by' "$work/timed" || fail "show timed names a loader that may not start it"
policy_run 0 "$work/deviced.json" show --json "$image" deviced
has "$work/deviced.json" '"may_call":\[\],"may_start":\[{"name":"drv-acpi","role":48,"by":\["request"\]},'
json_ok "$work/deviced.json"
if has_role loader; then
	policy_run 0 "$work/loaderd.json" show --json "$image" loaderd
	has "$work/loaderd.json" '"may_call":\["BEGIN_LOADER_IMAGE_TRANSFER",'
	has "$work/loaderd.json" '{"name":"phase1-time-client","role":262,"by":\["transfer"\]}'
	json_ok "$work/loaderd.json"
fi

# who-holds: by number, by name, by prefix; a record answers as its binary.
policy_run 0 "$work/2112" who-holds "$image" 2112
printf '%s\n' 'slot 2112 procd-driver' '  deviced (0x010)  service  deviced.c' \
	'  reached by: rootd (0x001), procd (0x002)' | cmp -s - "$work/2112" ||
	fail "who-holds 2112: $(cat "$work/2112")"
policy_run 0 "$work/byname" who-holds "$image" procd-driver
cmp -s "$work/2112" "$work/byname" || fail "who-holds by name differs from by number"
policy_run 0 "$work/kernel" who-holds "$image" 'kernel-*'
has "$work/kernel" '^slot 2128 kernel-time$'
has "$work/kernel" '^  phase1-time-client (0x106)  extension  helpers.c$'
has "$work/kernel" '^slot 2288 kernel-process$'
# A driver's kernel endpoint: deviced, which starts the driver, can cause it
# to be granted.
policy_run 0 "$work/com1" who-holds "$image" kernel-com1
has "$work/com1" '^  reached by: rootd (0x001), procd (0x002), deviced (0x010)$'
policy_run 0 "$work/lock" lock "$image"
sed -e '/^role timed slot 2128 /i\
role timed slot 2112 procd-driver' "$work/lock" > "$work/given.lock"
policy_run 0 "$work/given" who-holds "$work/given.lock" 2112
has "$work/given" '^  timed (0x011)  service  timed.c$'
policy_run 0 "$work/2112.json" who-holds --json "$image" 2112
has "$work/2112.json" '{"slot":2112,"name":"procd-driver","holders":\[{"name":"deviced","role":16,"source":"deviced.c"}\],"reached_by":\["rootd","procd"\]}'
json_ok "$work/2112.json"
policy_run 2 "$work/o" who-holds "$image" kernel-memory
has "$work/o.err" "no slot is named 'kernel-memory'; slot names: self, procd,"

# reach: the drivers deviced may start, and their kernel endpoints.
policy_run 0 "$work/reach" reach "$image" deviced
has "$work/reach" '^  drv-serial (0x031), started by deviced on request (driver endpoint)$'
has "$work/reach" '^    holds 16 self, 19 logd, 2184 kernel-com1$'
has "$work/reach" '^  2184 kernel-com1: drv-serial$'
has "$work/reach" '^  2112 procd-driver: deviced$'
if has_role loader; then
	policy_run 0 "$work/reach-loaderd" reach "$image" loaderd
	has "$work/reach-loaderd" '^  phase1-time-client (0x106), started by loaderd by loader transfer$'
	has "$work/reach-loaderd" '^  2128 kernel-time: phase1-time-client$'
fi
policy_run 0 "$work/reach-rootd" reach "$image" rootd
has "$work/reach-rootd" '^    drv-serial (0x031), started by deviced on request (driver endpoint)$'
has "$work/reach-rootd" '^  2224 kernel-mem: memd$'
policy_run 0 "$work/reach-timed" reach "$image" 0x11
has "$work/reach-timed" 'itself and the 0 roles it may start'
policy_run 0 "$work/reach.json" reach --json "$image" deviced
has "$work/reach.json" '{"name":"drv-serial","id":49,"depth":1,"started_by":"deviced","by":\["request"\],"slots":\[16,19,2184\]}'
json_ok "$work/reach.json"
policy_run 1 "$work/o" reach "$image" nosuch
has "$work/o.err" "no role 'nosuch'"
has "$work/o.err" "known roles: .*deviced"
# rootd has no policy to show; show says where its reach is.
policy_run 1 "$work/rootd" show "$image" rootd
has "$work/rootd.err" "rootd has no policy: the procd ABI fixes what it may do (procd-policy reach $image rootd"
policy_run 2 "$work/o" reach "$image"
echo "show, who-holds and reach say who may start, hold and reach what"
