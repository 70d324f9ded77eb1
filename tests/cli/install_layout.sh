#!/bin/sh
# `cmake --install` and the Debian package (CPack) put vipd in FHS places:
# the .deb declares its library dependencies (dpkg-shlibdeps) and conffiles,
# its maintainer scripts start nothing, and the installed `vipd -t` accepts
# the installed example configuration. Packages the existing build tree
# (nothing is compiled); everything is written below one temporary directory.
#   install_layout.sh BUILD_DIR SOURCE_DIR VERSION CMAKE CPACK
set -u
build=$1 src=$2 version=$3 cmake=$4 cpack=$5
for tool in dpkg-deb dpkg-shlibdeps file; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not installed (tools/install-deps)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# check_layout ROOT WHAT: the files of an installation below ROOT.
check_layout() {
  root=$1 what=$2
  for f in usr/sbin/vipd etc/vipd/vipd.conf etc/default/vipd lib/systemd/system/vipd.service \
           usr/share/doc/vipd/README.md; do
    [ -f "$root/$f" ] || bad "$what: no /$f"
  done
  [ -x "$root/usr/sbin/vipd" ] || bad "$what: /usr/sbin/vipd is not executable"
  [ -x "$root/usr/sbin/vipctl" ] || bad "$what: no /usr/sbin/vipctl"
  [ -f "$root/usr/share/man/man8/vipctl.8" ] || [ -f "$root/usr/share/man/man8/vipctl.8.gz" ] ||
    bad "$what: no vipctl(8)"
  for page in "$src"/man/*.5 "$src"/man/*.8; do
    [ -f "$page" ] || continue
    name=$(basename "$page")
    dir="$root/usr/share/man/man${name##*.}"
    [ -f "$dir/$name" ] || [ -f "$dir/$name.gz" ] || bad "$what: no man page $name in $dir"
  done
  [ -f "$root/usr/share/man/man8/vipd.8" ] || bad "$what: no vipd.8"
  [ -f "$root/usr/share/man/man5/vipd.conf.5" ] || bad "$what: no vipd.conf.5"
  # /etc under prefix /usr is /etc; nothing goes to /usr/local or /usr/etc.
  stray=$(cd "$root" && find . -path ./usr/local -o -path ./usr/etc -o -path ./usr/lib/systemd)
  [ -z "$stray" ] || bad "$what: files outside the FHS places: $stray"

  # The unit runs the installed binary and reads the installed files.
  unit="$root/lib/systemd/system/vipd.service"
  exec_start=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$unit")
  [ "$exec_start" = /usr/sbin/vipd ] || bad "$what: ExecStart runs '$exec_start', not /usr/sbin/vipd"
  grep -qx 'EnvironmentFile=-/etc/default/vipd' "$unit" ||
    bad "$what: the unit does not read EnvironmentFile=-/etc/default/vipd"
  grep -qx 'ConditionFileNotEmpty=/etc/vipd/vipd.conf' "$unit" ||
    bad "$what: the unit does not wait for /etc/vipd/vipd.conf"

  if out=$("$root/usr/sbin/vipd" -t -f "$root/etc/vipd/vipd.conf" 2>&1); then
    echo "ok: $what: the installed vipd -t accepts the installed vipd.conf"
  else
    bad "$what: installed vipd -t -f etc/vipd/vipd.conf exits $?:"; printf '%s\n' "$out"
  fi
}

# 1. cmake --install into a scratch root (DESTDIR: cmake 3.25 has no --destdir).
if DESTDIR="$tmp/install" "$cmake" --install "$build" --prefix /usr >"$tmp/install.log" 2>&1; then
  check_layout "$tmp/install" "cmake --install"
  # A second install keeps an edited configuration, as dpkg keeps conffiles.
  echo "# edited by the operator" >>"$tmp/install/etc/vipd/vipd.conf"
  DESTDIR="$tmp/install" "$cmake" --install "$build" --prefix /usr >"$tmp/install.log" 2>&1
  tail -n 1 "$tmp/install/etc/vipd/vipd.conf" | grep -q '^# edited by the operator$' ||
    bad "a second cmake --install overwrote the edited /etc/vipd/vipd.conf"
else
  bad "cmake --install:"; cat "$tmp/install.log"
fi

# 2. The .deb, from the same build tree.
if ! (cd "$build" && "$cpack" -G DEB -B "$tmp/deb") >"$tmp/cpack.log" 2>&1; then
  bad "cpack -G DEB:"; cat "$tmp/cpack.log"; exit 1
fi
deb=$(ls "$tmp"/deb/*.deb 2>/dev/null)
arch=$(dpkg --print-architecture)
[ "$deb" = "$tmp/deb/vipd_${version}_$arch.deb" ] || { bad "expected vipd_${version}_$arch.deb, got: $deb"; exit 1; }

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = vipd ] || bad "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || bad "Version: $(field Version), project version $version"
[ "$(field Section)" = net ] || bad "Section: $(field Section)"
[ "$(field Priority)" = optional ] || bad "Priority: $(field Priority)"
[ -n "$(field Maintainer)" ] || bad "no Maintainer"
depends=$(field Depends)
echo "Depends: $depends"
for lib in libc6 libstdc++6 libnl-3-200 libnl-route-3-200 libmnl0 libsystemd0 \
           libboost-program-options libspdlog libssl3 libcap-ng0; do
  printf '%s\n' "$depends" | tr ',' '\n' | grep -q "^ *$lib" || bad "Depends lacks $lib"
done

# Conffiles: exactly the two files an operator edits, both in the package.
dpkg-deb -e "$deb" "$tmp/control"
dpkg -x "$deb" "$tmp/root"
conffiles=$(sort "$tmp/control/conffiles" 2>/dev/null | tr '\n' ' ')
[ "$conffiles" = "/etc/default/vipd /etc/vipd/vipd.conf " ] || bad "conffiles: '$conffiles'"
for f in $conffiles; do [ -f "$tmp/root$f" ] || bad "conffile $f is not in the package"; done
# The operator enables and starts vipd; no maintainer script does.
for script in preinst postinst prerm postrm; do
  [ -f "$tmp/control/$script" ] || continue
  if grep -v '^ *#' "$tmp/control/$script" |
       grep -Eq 'systemctl +(--[a-z-]+ +)*(enable|start|restart|reload-or-restart)|deb-systemd-(invoke|helper)|invoke-rc.d'; then
    bad "$script enables or starts the service"
  fi
done
check_layout "$tmp/root" "dpkg -x"

[ "$fail" -eq 0 ] && echo "ok: install layout and package"
exit $fail
