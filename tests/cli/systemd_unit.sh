#!/bin/sh
# The shipped unit is valid (systemd-analyze verify) and hardened to an
# exposure of 3.0 or less (systemd-analyze security; keepalived's scores 9.6).
#   systemd_unit.sh UNIT VIPD
set -u
unit=$1 vipd=$2
command -v systemd-analyze >/dev/null || { echo "FAIL: systemd-analyze not installed"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
# verify checks that ExecStart exists: point it at the built binary.
sed "s|/usr/sbin/vipd|$vipd|" "$unit" >"$dir/vipd.service"
if out=$(systemd-analyze verify --man=no "$dir/vipd.service" 2>&1) && [ -z "$out" ]; then
  echo "ok: systemd-analyze verify is clean"
else
  echo "FAIL: systemd-analyze verify:"; printf '%s\n' "$out"; fail=1
fi
score=$(systemd-analyze security --offline=true "$unit" 2>&1 | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
echo "exposure: ${score:-none}"
if ! systemd-analyze security --offline=true --threshold=30 "$unit" >/dev/null 2>&1; then
  echo "FAIL: exposure ${score:-unknown} is above 3.0"; fail=1
fi
exit $fail
