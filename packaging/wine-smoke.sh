#!/usr/bin/env bash
# The Windows build under Wine against the Linux build of the same tree (issue 17):
#  - `check sample-data --json` and `show` of three patients (text and --json): byte for byte,
#    with the same exit codes;
#  - run from a read-only folder whose path has Japanese characters and spaces: nothing is
#    written next to the program, the index goes to %LOCALAPPDATA%\Lifeboat\indexes;
#  - a snapshot under a path longer than 260 characters is read like the short one;
#  - the viewer under Wine + Xvfb: a screenshot when Wine's OpenGL (host Mesa) gives a window.
# usage: packaging/wine-smoke.sh WINDOWS_DIR LINUX_BIN [SCREENSHOT.png]
#   WINDOWS_DIR holds lifeboat.exe and lifeboat-cli.exe (dist/viewer after build.sh).
# Installs wine64, xvfb, xdotool and imagemagick when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
win_dir=$(realpath "$1"); linux_bin=$(realpath "$2"); shot=${3:-}
patients=(0000010003 0000010015 0000010050)

need=()
command -v wine >/dev/null 2>&1 || need+=(wine wine64)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb xauth)
command -v xdotool >/dev/null 2>&1 || need+=(xdotool)
command -v import >/dev/null 2>&1 || need+=(imagemagick)
dpkg -s libgl1-mesa-dri >/dev/null 2>&1 || need+=(libgl1-mesa-dri)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null ||
    { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
fi

work=$(mktemp -d)
xvfb=""; app=""
cleanup() {
  [ -n "$app" ] && kill "$app" 2>/dev/null || true
  [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null || true
  WINEPREFIX=$work/wine wineserver -k 2>/dev/null || true
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export WINEPREFIX=$work/wine WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
# A fresh prefix; without a display Wine makes it without asking for Mono or Gecko.
DISPLAY= wineboot -i >/dev/null 2>&1
local_app_data="$WINEPREFIX/drive_c/users/$(id -un)/AppData/Local"
# Wine before 8.13 lacks bcryptprimitives.dll, which Rust's std imports (Windows 10 has it).
if [ ! -e "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" ]; then
  x86_64-w64-mingw32-gcc -shared -O2 -s -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    packaging/wine/bcryptprimitives.c -ladvapi32
fi

# The program in a read-only folder with Japanese characters and spaces in its path.
prog="$WINEPREFIX/drive_c/救急 端末/Lifeboat ビューア"
mkdir -p "$prog"
cp "$win_dir/lifeboat.exe" "$win_dir/lifeboat-cli.exe" "$prog/"
chmod a-w "$prog" "$(dirname "$prog")"
listing() { find "$(dirname "$prog")" -printf '%P %s\n' | sort; }
before=$(listing)
cli="$prog/lifeboat-cli.exe"
# show and search name who is looking (issue 16): both builds get the same drill operator
# (ASCII: Wine hands the variable over in the locale's encoding).
export LIFEBOAT_OPERATOR="Smoke/S0001/other"

fail=0
same() { # name, the exit code both must end with, then the command's arguments
  local name=$1 want=$2; shift 2
  local lc wc
  set +e
  HOME=$work/home XDG_CONFIG_HOME=$work/home/config XDG_DATA_HOME=$work/home/data \
    "$linux_bin" "$@" >"$work/$name.linux" 2>"$work/$name.linux.err"; lc=$?
  wine "$cli" "$@" >"$work/$name.wine" 2>"$work/$name.wine.err"; wc=$?
  set -e
  if [ "$lc" = "$wc" ] && [ "$lc" = "$want" ] && cmp -s "$work/$name.linux" "$work/$name.wine"; then
    echo "same: $name (exit $lc, $(stat -c %s "$work/$name.linux") bytes)"
  else
    echo "DIFFERENT: $name (exit linux $lc, wine $wc, expected $want)"
    diff "$work/$name.linux" "$work/$name.wine" | head -n 20 || true
    head -n 5 "$work/$name.wine.err"
    fail=1
  fi
}

# sample-data holds deliberately broken files: check ends with 2.
same check-json 2 check sample-data --json
for id in "${patients[@]}"; do
  same "show-$id" 0 show "$id" --snapshot sample-data
  same "show-$id-json" 0 show "$id" --snapshot sample-data --json
done
# Each look was logged on the Windows side, in its own data folder, and the chain holds.
if [ -f "$local_app_data/Lifeboat/audit.jsonl" ] && wine "$cli" audit verify >"$work/audit.out" 2>&1; then
  echo "audit log under %LOCALAPPDATA%\\Lifeboat: $(cat "$work/audit.out" | tr -d '\r' | sed 's/.*: //')"
else
  echo "AUDIT: no intact audit log under $local_app_data/Lifeboat"; cat "$work/audit.out" 2>/dev/null; fail=1
fi

# Where Windows put its files: under %LOCALAPPDATA%\Lifeboat, nothing beside the program.
if [ -d "$local_app_data/Lifeboat/indexes" ] && [ "$(ls "$local_app_data/Lifeboat/indexes" | wc -l)" -ge 1 ]; then
  echo "index under %LOCALAPPDATA%\\Lifeboat\\indexes: $(ls "$local_app_data/Lifeboat/indexes" | head -n1)"
else
  echo "MISSING: no index under $local_app_data/Lifeboat/indexes"; fail=1
fi
if [ "$(listing)" != "$before" ]; then
  echo "WROTE NEXT TO THE PROGRAM:"; diff <(echo "$before") <(listing); fail=1
else
  echo "nothing written beside the program (read-only folder $(basename "$(dirname "$prog")")/$(basename "$prog"))"
fi

# Files deeper than 260 characters: sample-data under a 255-character folder puts its files at
# up to ~440 characters; they must read as from the short path. (A root folder itself longer than
# 260 characters fails under Wine 8 in canonicalize, GetFinalPathNameByHandleW: ERROR_MORE_DATA.)
deep="$WINEPREFIX/drive_c/deep"
for i in 1 2 3 4 5; do deep="$deep/$(printf 'd%.0s' $(seq 1 45))$i"; done
mkdir -p "$deep"; cp -r sample-data "$deep/"
win_path="C:${deep#"$WINEPREFIX/drive_c"}/sample-data"
win_path=${win_path//\//\\}
longest=$(( ${#win_path} + $(cd sample-data && find . -type f | awk '{ if (length($0) > m) m = length($0) } END { print m - 1 }') ))
set +e
wine "$cli" check "$win_path" --json >"$work/deep.json" 2>"$work/deep.err"; dc=$?
set -e
totals() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps({k:v for k,v in d.items() if k not in ("roots","problems","as_of","listing_digest")}, sort_keys=True))' "$1"; }
if [ "$(totals "$work/deep.json")" = "$(totals "$work/check-json.wine")" ] && [ "$dc" = 2 ]; then
  echo "long paths: files up to $longest characters read as from the short path (exit $dc)"
else
  echo "LONG PATHS DIFFER (files up to $longest characters, exit $dc)"; head -n 5 "$work/deep.err"; fail=1
fi

# The viewer (GUI subsystem) under Xvfb.
if [ -n "$shot" ]; then
  Xvfb :93 -screen 0 1366x768x24 >/dev/null 2>&1 & xvfb=$!
  sleep 1
  DISPLAY=:93 wine "$prog/lifeboat.exe" sample-data >"$work/viewer.log" 2>&1 & app=$!
  win=""
  for _ in $(seq 1 60); do
    win=$(DISPLAY=:93 xdotool search --name Lifeboat 2>/dev/null | head -n1 || true)
    [ -n "$win" ] && break
    kill -0 "$app" 2>/dev/null || break
    sleep 1
  done
  if [ -n "$win" ]; then
    sleep 15
    DISPLAY=:93 import -window root "$shot"
    echo "viewer: window shown, screenshot $shot"
  else
    echo "VIEWER: no window under Wine; its log:"; tail -n 20 "$work/viewer.log"; fail=1
  fi
  kill "$app" 2>/dev/null || true; WINEPREFIX=$WINEPREFIX wineserver -k 2>/dev/null || true
  # Started where there is no sample-data: the open screen; its folder button opens rfd's dialog.
  mkdir -p "$work/empty"
  (cd "$work/empty" && DISPLAY=:93 wine "$prog/lifeboat.exe" >"$work/viewer2.log" 2>&1) & app=$!
  win=""
  for _ in $(seq 1 60); do
    win=$(DISPLAY=:93 xdotool search --onlyvisible --name Lifeboat 2>/dev/null | head -n1 || true)
    [ -n "$win" ] && break
    sleep 1
  done
  sleep 5
  # Sign in first (issue 16): the name field has the focus once the window has it (no drill
  # banner here: the field is 124 px down the window).
  if [ -n "$win" ]; then
    DISPLAY=:93 xdotool windowfocus "$win" 2>/dev/null || true
    DISPLAY=:93 xdotool mousemove --window "$win" 370 124 click 1
    sleep 1
    DISPLAY=:93 xdotool type --delay 60 "Smoke"
    DISPLAY=:93 xdotool key Tab
    DISPLAY=:93 xdotool type --delay 60 "S0001"
    DISPLAY=:93 xdotool key Return
    sleep 3
    DISPLAY=:93 xdotool mousemove --window "$win" 600 400
    sleep 1
    DISPLAY=:93 import -window root "${shot%.png}-signed-in.png"
  fi
  # The button's place in the window at the default size and zoom.
  [ -n "$win" ] && DISPLAY=:93 xdotool mousemove --window "$win" 85 97 click 1
  dialog=""
  for _ in $(seq 1 20); do
    dialog=$(DISPLAY=:93 xdotool search --onlyvisible --name "Select Folder" 2>/dev/null | head -n1 || true)
    [ -n "$dialog" ] && break
    sleep 1
  done
  if [ -n "$dialog" ]; then
    sleep 2
    DISPLAY=:93 import -window root "${shot%.png}-dialog.png"
    echo "viewer: フォルダを選ぶ… opened the folder dialog, screenshot ${shot%.png}-dialog.png"
  else
    echo "VIEWER: no folder dialog after clicking フォルダを選ぶ…"; fail=1
  fi
fi
exit $fail
