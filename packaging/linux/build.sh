#!/usr/bin/env bash
# Builds the Linux x86_64 viewer and writes
#   dist/lifeboat-<version>-linux-x86_64.tar.gz   (binary, .desktop, icon, licences, readme)
#   dist/lifeboat_<version>-1_amd64.deb            (/usr/bin, .desktop, hicolor icons, copyright)
#   dist/viewer/lifeboat                           (for `lifeboat pack --viewer dist/viewer`)
# Fails when the binary needs a glibc newer than 2.35 (Ubuntu 22.04; Debian 12 has 2.36).
# LIFEBOAT_PROFILE=NAME builds another cargo profile than `dist` (CI uses `dev`; see Cargo.toml).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=packaging/linux
target=x86_64-unknown-linux-gnu
profile=${LIFEBOAT_PROFILE:-dist}
max_glibc=2.35

command -v python3 >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 && command -v objdump >/dev/null 2>&1 || {
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y python3 dpkg binutils >/dev/null ||
    { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y python3 dpkg binutils >/dev/null; }
}

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
target_dir=$(cargo metadata --format-version 1 --no-deps --locked |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
work="$target_dir/packaging/linux"
mkdir -p "$work"

cargo build --locked --profile "$profile" --bin lifeboat
dir=$profile; [ "$profile" = dev ] && dir=debug
bin="$target_dir/$dir/lifeboat"

# --- glibc: the newest symbol version the binary asks for ---------------------------------------
newest=$(objdump -T "$bin" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n1)
if [ "$(printf '%s\n%s\n' "$newest" "$max_glibc" | sort -V | tail -n1)" != "$max_glibc" ]; then
  echo "error: $bin needs GLIBC_$newest; Ubuntu 22.04 has $max_glibc" >&2
  objdump -T "$bin" | grep "GLIBC_$newest" >&2
  exit 1
fi
echo "glibc: newest symbol version GLIBC_$newest (limit $max_glibc)"

readme="はじめにお読みください.txt"
licences="$work/THIRD-PARTY-LICENSES.txt"
python3 packaging/licenses.py "$licences" x86_64-unknown-linux-gnu

# --- tarball -----------------------------------------------------------------------------------
name="lifeboat-$version-linux-x86_64"
stage="$work/$name"
rm -rf "$stage"; mkdir -p "$stage"
install -m 755 "$bin" "$stage/lifeboat"
install -m 644 "$here/lifeboat.desktop" "$stage/lifeboat.desktop"
install -m 644 packaging/icon/lifeboat-256.png "$stage/lifeboat.png"
install -m 644 "$licences" "$stage/THIRD-PARTY-LICENSES.txt"
sed "s/{VERSION}/$version/" "$here/$readme" >"$stage/$readme"
mkdir -p dist/viewer
tar -C "$work" --owner=0 --group=0 --sort=name -czf "dist/$name.tar.gz" "$name"

# --- .deb --------------------------------------------------------------------------------------
deb="$work/deb"
rm -rf "$deb"
install -D -m 755 "$bin" "$deb/usr/bin/lifeboat"
install -D -m 644 "$here/lifeboat.desktop" "$deb/usr/share/applications/lifeboat.desktop"
for s in 16 32 48 128 256; do
  install -D -m 644 "packaging/icon/lifeboat-$s.png" "$deb/usr/share/icons/hicolor/${s}x$s/apps/lifeboat.png"
done
install -D -m 644 "$stage/$readme" "$deb/usr/share/doc/lifeboat/$readme"
{
  echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
  echo "Upstream-Name: lifeboat"
  echo ""
  echo "Files: *"
  echo "License: Apache-2.0"
  echo " On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0."
  echo " The binary includes third-party crates and fonts; their licences follow."
  echo ""
  sed 's/^$/./; s/^/ /' "$licences"
} >"$deb/usr/share/doc/lifeboat/copyright"
chmod 644 "$deb/usr/share/doc/lifeboat/copyright"
size_kb=$(du -sk "$deb/usr" | cut -f1)
mkdir -p "$deb/DEBIAN"
sed -e "s/@VERSION@/$version-1/" -e "s/@SIZE@/$size_kb/" -e "s/@GLIBC@/$newest/" "$here/control.in" >"$deb/DEBIAN/control"
(cd "$deb" && find usr -type f -print0 | sort -z | xargs -0 md5sum >DEBIAN/md5sums)
debfile="dist/lifeboat_${version}-1_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$deb" "$debfile" >/dev/null

install -m 755 "$bin" dist/viewer/lifeboat
[ -e dist/viewer/THIRD-PARTY-LICENSES.txt ] || install -m 644 "$licences" dist/viewer/THIRD-PARTY-LICENSES.txt
echo "dist/$name.tar.gz: $(stat -c %s "dist/$name.tar.gz") bytes; $debfile: $(stat -c %s "$debfile") bytes; lifeboat $(stat -c %s "$bin") bytes"
