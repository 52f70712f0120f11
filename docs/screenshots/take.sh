#!/usr/bin/env bash
# Retakes the README screenshots under Xvfb, as a new user would see the viewer.
# Needs: xvfb xauth libgl1-mesa-dri libegl1 libgl1 libxkbcommon-x11-0 xdotool imagemagick (Debian).
# Usage: docs/screenshots/take.sh [path/to/lifeboat]   (default: target/release/lifeboat)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-target/release/lifeboat}
OUT=docs/screenshots
WORK=$(mktemp -d)
DISPLAY_NUM=:97
export DISPLAY=$DISPLAY_NUM XDG_CONFIG_HOME=$WORK/config

Xvfb $DISPLAY_NUM -screen 0 1300x880x24 >/dev/null 2>&1 &
XVFB=$!
trap 'kill $APP $XVFB 2>/dev/null || true; rm -rf "$WORK"' EXIT
sleep 1

# A generated hospital (5 years, 30 patients): the heaviest patient has ~3,500 records.
"$BIN" gen --out "$WORK/snapshot" --patients 30 --days 1825 --seed 7 >/dev/null

"$BIN" "$WORK/snapshot" &
APP=$!
shot() { sleep "${2:-2}"; import -window "$(xdotool search --name Lifeboat | head -1)" "$OUT/$1.png"; }
click() { xdotool mousemove "$1" "$2" click 1; }
sleep 0.5
shot open 0.3                               # the open screen with the reading progress
sleep 8
W=$(xdotool search --name Lifeboat | head -1)
xdotool windowfocus "$W"
xdotool key ctrl+f; xdotool type --delay 50 "00000100"   # ID prefix: every patient
shot search
click 226 52; shot census                   # 病棟一覧
xdotool key ctrl+f; xdotool key ctrl+a; xdotool type --delay 50 "0000010003"; sleep 1
xdotool key Return; shot chart-summary 4    # the heaviest patient
xdotool key alt+4; shot labs-table          # 検査
click 60 435; xdotool mousemove 1275 855; shot labs-trend   # first test name → trend plot
xdotool key alt+3; shot medications         # 処方・注射
kill $APP; sleep 1

# The public NHO sample: a patient with drug allergies (red in the allergy strip).
NHO=../shared/samples/ssmix2/nho-testing-tool/sampleData
if [ -d "$NHO" ]; then
  "$BIN" "$NHO" &
  APP=$!
  sleep 5
  xdotool windowfocus "$(xdotool search --name Lifeboat | head -1)"
  xdotool key ctrl+f; xdotool type --delay 50 "9999013"; sleep 1
  xdotool key Return; shot chart-allergies 3
fi
echo "screenshots in $OUT"
