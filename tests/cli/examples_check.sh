#!/bin/sh
# Every shipped example configuration passes `vipd -t -f FILE` with exit 0
# and without a warning: what the documentation shows must be what vipd
# accepts as it stands. The host checks' warnings are the exception: the
# examples name eth0, which the machine running this may lack (vipd would
# wait for it: "vipd will wait for it").
#   examples_check.sh VIPD FILE...
set -u
vipd=$1
shift
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail=0
[ "$#" -gt 0 ] || { echo "FAIL: no example files given"; exit 1; }
for file in "$@"; do
  "$vipd" -t -f "$file" >"$out" 2>&1
  status=$?
  if [ "$status" -ne 0 ]; then
    echo "FAIL: $file: vipd -t exits $status"; sed 's/^/  | /' "$out"; fail=1
  elif grep -i 'warning' "$out" | grep -qv 'vipd will wait for it'; then
    echo "FAIL: $file: vipd -t warns"; sed 's/^/  | /' "$out"; fail=1
  else
    echo "ok: $file"
  fi
done
exit "$fail"
