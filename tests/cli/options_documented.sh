#!/bin/sh
# Every option `vipd --help` lists, long and short, is documented in vipd(8).
#   options_documented.sh BINARY MANPAGE [MIN_OPTIONS]
set -u
vipd=$1 page=$2 min=${3:-10}
help=$("$vipd" --help) || { echo "FAIL: vipd --help"; exit 1; }
# The roff source writes '-' as '\-'; compare on the rendered text.
text=$(groff -man -Tascii -P-cbou "$page" 2>/dev/null)
fail=0 n=0
for opt in $(printf '%s\n' "$help" | grep -oE '(^| |\[ )--?[a-zA-Z][a-zA-Z-]*' | tr -d '[ '); do
  n=$((n + 1))
  # Whole words only: -f is inside --foreground, --config inside --config-test.
  if ! printf '%s\n' "$text" | grep -qE -- "(^|[^-a-zA-Z])$opt([^-a-zA-Z]|\$)"; then
    echo "FAIL: $opt is in --help but not in $(basename "$page")"; fail=1
  fi
done
[ "$n" -ge "$min" ] || { echo "FAIL: only $n options found in --help"; fail=1; }
[ "$fail" -eq 0 ] && echo "ok: all $n options documented"
exit $fail
