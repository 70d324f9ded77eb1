#!/bin/sh
# vipd -t exit statuses (man vipd(8)): 0 the daemon would start as configured,
# 4 it would not (errors, or no such file), 6 it would start but refuse
# scripts, each named with the reason. A daemon without its file exits 6.
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
grep -q "error: vrrp_script chk: .*'$dir/open' world-writable" "$dir/out" ||
  { echo "FAIL: the refusal does not name the directory"; sed 's/^/  | /' "$dir/out"; fail=1; }

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
