#!/usr/bin/env bash
# Opening packed media from a device throttled to DVD or USB speed, beside the loose files.
#
#   sudo benches/dvd.sh PACK_DIR LOOSE_DIR PATIENT_ID QUERY [dvd|usb] [WORD]
#
# WORD: a word from the records (肺炎) searched after QUERY, when given.
# Each input is copied into its own ext4 image on a loop device; reads by Lifeboat go through a
# blkio cgroup that throttles that device (dvd: 22 MB/s and 10 I/O operations a second, so a
# seek costs ~100 ms and sequential reads run at the disc's rate with 4 MiB readahead; usb:
# 100 MB/s, 1000 IO/s). Page caches are dropped before every step and the local index folder
# starts empty (a laptop that has never seen this media). Per step: wall time, and the bytes and
# I/O operations the device served (from the cgroup's counters).
#
# Needs root, loop devices, ext4 and cgroup v1 blkio (device-mapper's delay target, the obvious
# tool, is not in this machine's kernel). LIFEBOAT=path/to/lifeboat (default target/release).
set -euo pipefail
pack=${1:?usage: benches/dvd.sh PACK_DIR LOOSE_DIR PATIENT_ID QUERY [dvd|usb]}
loose=${2:?}
patient=${3:?}
query=${4:?}
speed=${5:-dvd}
word=${6:-}
bin=$(realpath "${LIFEBOAT:-target/release/lifeboat}")
case $speed in
    dvd) bps=22000000; iops=10 ;;
    usb) bps=100000000; iops=1000 ;;
    *) echo "speed: dvd or usb" >&2; exit 2 ;;
esac
work=$(mktemp -d /tmp/lifeboat-dvd.XXXXXX)
cg=/sys/fs/cgroup/blkio/lifeboat-dvd-$$
loops=()
cleanup() {
    for m in "$work"/mnt/*; do umount "$m" 2>/dev/null || true; done
    for l in "${loops[@]}"; do losetup -d "$l" 2>/dev/null || true; done
    rmdir "$cg" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/mnt" "$cg"

# image NAME DIR: an ext4 image holding DIR's contents, mounted read-only; prints the mount.
image() {
    local name=$1 dir=$2 mb inodes
    mb=$(( $(du -sm "$dir" | cut -f1) * 12 / 10 + 64 ))
    # A loose SS-MIX2 tree is hundreds of thousands of small files: inodes for all of them.
    inodes=$(( $(find "$dir" | wc -l) * 12 / 10 + 1024 ))
    truncate -s "${mb}M" "$work/$name.img"
    mkfs.ext4 -q -F -N "$inodes" "$work/$name.img"
    local l; l=$(losetup -f --show "$work/$name.img")
    loops+=("$l")
    mkdir -p "$work/mnt/$name"
    mount "$l" "$work/mnt/$name"
    cp -a "$dir/." "$work/mnt/$name/"
    umount "$work/mnt/$name"
    mount -o ro "$l" "$work/mnt/$name"
    blockdev --setra 8192 "$l"
    local dev; dev=$(lsblk -no MAJ:MIN "$l" | tr -d ' ')
    echo "$dev $bps" >> "$cg/blkio.throttle.read_bps_device"
    echo "$dev $iops" >> "$cg/blkio.throttle.read_iops_device"
    echo "$work/mnt/$name $dev"
}

# step LABEL DEV CMD...: runs CMD in the throttled cgroup with cold caches.
step() {
    local label=$1 dev=$2; shift 2
    sync; echo 3 > /proc/sys/vm/drop_caches
    local b0 o0 b1 o1 t0 t1
    b0=$(awk -v d="$dev" '$1==d && $2=="Read"{print $3}' "$cg/blkio.throttle.io_service_bytes"); b0=${b0:-0}
    o0=$(awk -v d="$dev" '$1==d && $2=="Read"{print $3}' "$cg/blkio.throttle.io_serviced"); o0=${o0:-0}
    t0=$(date +%s.%N)
    local rc=0
    # Loose files from a disc take hours; each step is capped (CAP seconds, default 600) and
    # a capped step is reported as "> CAP s".
    timeout "${CAP:-600}" sh -c 'echo $$ > "$0/cgroup.procs"; shift; exec "$@"' "$cg" _ "$@" > "$work/out.txt" 2> "$work/err.txt" || rc=$?
    if [ $rc -eq 124 ]; then
        printf '%-40s > %s s (capped)\n' "$label" "${CAP:-600}"
        return 0
    fi
    # 7: `verify` found every file intact but the pack unsigned (a benchmark pack usually is).
    if [ $rc -ne 0 ] && [ $rc -ne 7 ]; then echo "$label: exit $rc"; cat "$work/err.txt"; return 1; fi
    t1=$(date +%s.%N)
    b1=$(awk -v d="$dev" '$1==d && $2=="Read"{print $3}' "$cg/blkio.throttle.io_service_bytes"); b1=${b1:-0}
    o1=$(awk -v d="$dev" '$1==d && $2=="Read"{print $3}' "$cg/blkio.throttle.io_serviced"); o1=${o1:-0}
    printf '%-40s %8.2f s  %10.1f MB read  %7d I/O ops\n' "$label" "$(echo "$t1 - $t0" | bc)" \
        "$(echo "($b1 - $b0) / 1000000" | bc -l)" "$((o1 - o0))"
}

echo "device: $speed ($bps B/s, $iops IO/s); lifeboat: $bin"
read -r pmnt pdev < <(image pack "$pack")
read -r lmnt ldev < <(image loose "$loose")
export XDG_DATA_HOME="$work/data" HOME="$work/home"
# Every look at patient data names its operator (issue 16); the log lands in $work/data.
export LIFEBOAT_OPERATOR="ベンチ/B0001/その他"
mkdir -p "$HOME"
step "pack: insert to first chart (show)" "$pdev" "$bin" show "$patient" --snapshot "$pmnt"
step "pack: first search after that" "$pdev" "$bin" search "$query" --snapshot "$pmnt"
if [ -n "$word" ]; then
    step "pack: a record-word search ($word)" "$pdev" "$bin" search "$word" --snapshot "$pmnt"
fi
step "pack: verify the whole media" "$pdev" "$bin" verify "$pmnt"
step "loose: index the tree" "$ldev" "$bin" index "$lmnt"
step "loose: first chart after the index" "$ldev" "$bin" show "$patient" --snapshot "$lmnt"
