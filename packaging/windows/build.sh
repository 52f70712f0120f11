#!/usr/bin/env bash
# Cross-compiles the Windows x64 portable viewer and writes
#   dist/lifeboat-<version>-windows-x64.zip   (lifeboat.exe, lifeboat-cli.exe, licences, readme)
#   dist/viewer/                              (the same files, for `lifeboat pack --viewer dist/viewer`)
# Installs the rustup target x86_64-pc-windows-gnu and Debian's mingw-w64 when missing.
# LIFEBOAT_PROFILE=NAME builds another cargo profile than `dist` (CI uses `dev`; see Cargo.toml).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=packaging/windows
target=x86_64-pc-windows-gnu
profile=${LIFEBOAT_PROFILE:-dist}

# --- tools -----------------------------------------------------------------------------------
if ! rustup target list --installed | grep -qx "$target"; then
  rustup target add "$target"
fi
need=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need+=(gcc-mingw-w64-x86-64-posix)
command -v x86_64-w64-mingw32-windres >/dev/null 2>&1 || need+=(binutils-mingw-w64-x86-64)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y "${need[@]}" >/dev/null ||
    { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y "${need[@]}" >/dev/null; }
fi

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
IFS=. read -r v1 v2 v3 <<<"${version%%-*}"
target_dir=$(cargo metadata --format-version 1 --no-deps --locked |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
work="$target_dir/packaging/windows"
mkdir -p "$work"

# --- resources: icon, manifest, version --------------------------------------------------------
sed "s/@VERSION4@/$v1.$v2.$v3.0/" "$here/lifeboat.exe.manifest" >"$work/lifeboat.exe.manifest"
sed -e "s|@ICON@|$PWD/packaging/icon/lifeboat.ico|" \
    -e "s|@MANIFEST@|$work/lifeboat.exe.manifest|" \
    -e "s|@VERSIONC@|$v1,$v2,$v3,0|" \
    -e "s|@VERSION@|$version|" "$here/lifeboat.rc.in" >"$work/lifeboat.rc"
x86_64-w64-mingw32-windres -c 65001 -O coff -i "$work/lifeboat.rc" -o "$work/resources.o"

# --- build: the resources object is linked into the binary alone (not into dependencies) -------
cargo rustc --locked --profile "$profile" --target "$target" --bin lifeboat -- \
  -C link-arg="$work/resources.o"
dir=$profile; [ "$profile" = dev ] && dir=debug
exe="$target_dir/$target/$dir/lifeboat.exe"

# --- stage -------------------------------------------------------------------------------------
name="lifeboat-$version-windows-x64"
stage="$work/$name"
rm -rf "$stage"; mkdir -p "$stage"
# One program, two subsystems: lifeboat.exe (GUI: no console window on a double-click) and
# lifeboat-cli.exe (console: cmd and PowerShell wait for it and get its output and exit code).
cp "$exe" "$stage/lifeboat-cli.exe"
cp "$exe" "$stage/lifeboat.exe"
python3 "$here/pe_subsystem.py" "$stage/lifeboat.exe" gui
python3 "$here/pe_subsystem.py" "$stage/lifeboat-cli.exe" console
# Notepad and every Windows editor read UTF-8 with a BOM and CRLF line ends.
readme="はじめにお読みください.txt"
{ printf '\xef\xbb\xbf'; sed -e "s/{VERSION}/$version/" -e 's/$/\r/' "$here/$readme"; } >"$stage/$readme"
python3 packaging/licenses.py "$stage/THIRD-PARTY-LICENSES.txt" --crlf \
  x86_64-pc-windows-gnu x86_64-unknown-linux-gnu

# Optional Authenticode signature: SIGN_PKCS12=file.p12 SIGN_PASS_FILE=pass.txt (osslsigncode).
if [ -n "${SIGN_PKCS12:-}" ]; then
  for f in lifeboat.exe lifeboat-cli.exe; do
    osslsigncode sign -pkcs12 "$SIGN_PKCS12" -readpass "${SIGN_PASS_FILE:?}" \
      -n Lifeboat -h sha256 ${SIGN_TIMESTAMP_URL:+-t "$SIGN_TIMESTAMP_URL"} \
      -in "$stage/$f" -out "$stage/$f.signed"
    mv "$stage/$f.signed" "$stage/$f"
  done
fi

# --- outputs -----------------------------------------------------------------------------------
mkdir -p dist/viewer
rm -f "dist/$name.zip"
# Python's zipfile marks non-ASCII names as UTF-8 (flag bit 11), which Explorer honours; the
# readme's Japanese name then unpacks right on a Japanese Windows.
python3 - "$stage" "dist/$name.zip" "$name" <<'PY'
import os, sys, zipfile
stage, out, top = sys.argv[1:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for n in sorted(os.listdir(stage)):
        z.write(os.path.join(stage, n), f"{top}/{n}")
PY
cp "$stage"/* dist/viewer/
echo "dist/$name.zip: $(stat -c %s "dist/$name.zip") bytes; lifeboat.exe $(stat -c %s "$stage/lifeboat.exe") bytes"
