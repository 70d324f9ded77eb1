#!/bin/sh
# vipd -t exit statuses (man vipd(8)): 0 the daemon would start as configured,
# 4 it would not (errors, or no such file), 5 it would start without scripts
# that cannot run (not found, not executable, unknown user), 6 script security
# (enable_script_security) refuses scripts, whatever else is refused; each
# script is named with the reason. A daemon without its file exits 6.
#   config_test_exit_codes.sh VIPD
set -u
vipd=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0

expect() {  # expect STATUS DESCRIPTION -- ARGS...
  want=$1 what=$2
  shift 3
  "$vipd" "$@" >"$dir/out" 2>&1
  got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, expected $want"; sed 's/^/  | /' "$dir/out"; fail=1
  else
    echo "ok: $what: exit $got"
  fi
}

instance='vrrp_instance VI_1 {
    interface lo
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        192.0.2.10/24
    }
    track_script {
        chk
    }
}'

printf '%s\n' "$instance" | sed '/track_script/,/^    }/d' >"$dir/ok.conf"
expect 0 "a valid file" -- -t -f "$dir/ok.conf"

sed 's/virtual_router_id 51/virtual_router_id 256/' "$dir/ok.conf" >"$dir/bad.conf"
expect 4 "an error" -- -t -f "$dir/bad.conf"
grep -q "bad.conf:3:" "$dir/out" || { echo "FAIL: the error names no file:line"; fail=1; }

# keepalived warns and runs an empty unicast_peer block as multicast: an error.
sed 's/priority 100/priority 100\
    unicast_peer {\
    }/' "$dir/ok.conf" >"$dir/empty-peers.conf"
expect 4 "an empty unicast_peer block" -- -t -f "$dir/empty-peers.conf"
grep -q "empty-peers.conf:5:5: error: unicast_peer block is empty" "$dir/out" ||
  { echo "FAIL: the empty block is not named by file:line:column"; fail=1; }

# A source address that can never be on a link.
sed 's/priority 100/priority 100\
    unicast_src_ip 224.0.0.18\
    unicast_peer {\
        192.0.2.2\
    }/' "$dir/ok.conf" >"$dir/bad-source.conf"
expect 4 "a multicast unicast_src_ip" -- -t -f "$dir/bad-source.conf"
grep -q "bad-source.conf:5:20: error: .*cannot send adverts from 224.0.0.18" "$dir/out" ||
  { echo "FAIL: the bad source is not named by file:line:column"; fail=1; }

expect 4 "a missing file" -- -t -f "$dir/missing.conf"
expect 6 "a daemon without its file" -- -f "$dir/missing.conf"

# A root script in a directory anyone can write to, under script security.
mkdir -m 0777 "$dir/open"
printf '#!/bin/sh\nexit 0\n' >"$dir/open/chk.sh"
chmod 0755 "$dir/open/chk.sh"
{
  printf 'global_defs {\n    script_user root\n    enable_script_security\n}\n'
  printf 'vrrp_script chk {\n    script %s\n}\n' "$dir/open/chk.sh"
  printf '%s\n' "$instance"
} >"$dir/insecure.conf"
expect 6 "an insecure script" -- -t -f "$dir/insecure.conf"
grep -q "error: vrrp_script chk: .*'$dir/open' is world-writable without the sticky bit (mode 0777) and the script would run as root" "$dir/out" ||
  { echo "FAIL: the refusal does not name the directory"; sed 's/^/  | /' "$dir/out"; fail=1; }

# A directory writable by a non-root group (an /opt-like tree), as the issue puts it.
mkdir -m 0775 "$dir/opt"
chgrp 1000 "$dir/opt"
chmod 0775 "$dir/opt"
cp "$dir/open/chk.sh" "$dir/opt/chk.sh"
sed "s#$dir/open/chk.sh#$dir/opt/chk.sh#" "$dir/insecure.conf" >"$dir/group.conf"
expect 6 "a script in a group-writable directory" -- -t -f "$dir/group.conf"
grep -q "'$dir/opt' is group-writable (mode 0775, group 1000) and the script would run as root" "$dir/out" ||
  { echo "FAIL: the refusal does not give the mode and group"; sed 's/^/  | /' "$dir/out"; fail=1; }

# Scripts that cannot run at all have their own status, 5 (keepalived's -t: 5 too).
sed "s#$dir/open/chk.sh#$dir/nowhere/chk.sh#" "$dir/insecure.conf" >"$dir/missing-script.conf"
expect 5 "a missing script" -- -t -f "$dir/missing-script.conf"
grep -q "error: vrrp_script chk: .*since not found" "$dir/out" ||
  { echo "FAIL: the missing script is not named"; fail=1; }
sed 's/script_user root/script_user vipd-no-such-user/' "$dir/insecure.conf" >"$dir/user.conf"
expect 5 "an unknown script user" -- -t -f "$dir/user.conf"

# Both: script security decides the status.
{
  sed '/^vrrp_instance/,$d' "$dir/insecure.conf"
  printf 'vrrp_script gone {\n    script %s\n}\n' "$dir/nowhere/gone.sh"
  printf '%s\n' "$instance" | sed 's/^        chk$/        chk\n        gone/'
} >"$dir/both.conf"
expect 6 "an insecure and a missing script" -- -t -f "$dir/both.conf"
grep -q "2 script(s) would not run, 1 of them refused by script security" "$dir/out" ||
  { echo "FAIL: no summary of both"; sed 's/^/  | /' "$dir/out"; fail=1; }

# The same without enable_script_security: it runs, with a warning.
sed '/enable_script_security/d' "$dir/insecure.conf" >"$dir/warned.conf"
expect 0 "an insecure script without script security" -- -t -f "$dir/warned.conf"
grep -q "warning: vrrp_script chk: Unsafe permissions" "$dir/out" ||
  { echo "FAIL: no warning for the insecure script"; fail=1; }

# no_accept, written or implied by vrrp_strict, starts (exit 0) with a warning that says what
# keepalived would do with it (drop all traffic to the VIPs: GH#474, GH#1373, GH#2046) and
# what vipd does (no drop rules).
sed 's/priority 100/priority 100\n    no_accept/' "$dir/ok.conf" >"$dir/noaccept.conf"
expect 0 "no_accept" -- -t -f "$dir/noaccept.conf"
grep -q "noaccept.conf:1:1: warning: vrrp_instance VI_1 has no_accept: keepalived would drop all traffic to the VIPs while this node is MASTER (firewall rules, as its priority is not 255), so they would answer no ping or service; vipd installs no drop rules and the VIPs answer" "$dir/out" ||
  { echo "FAIL: no no_accept warning"; sed 's/^/  | /' "$dir/out"; fail=1; }
{ printf 'global_defs {\n    vrrp_strict\n}\n'; cat "$dir/ok.conf"; } >"$dir/strict.conf"
expect 0 "vrrp_strict" -- -t -f "$dir/strict.conf"
grep -q "warning: vrrp_instance VI_1 has no_accept (strict mode implies it): keepalived would drop all traffic" "$dir/out" ||
  { echo "FAIL: no strict-mode no_accept warning"; sed 's/^/  | /' "$dir/out"; fail=1; }
exit $fail
