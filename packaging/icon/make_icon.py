#!/usr/bin/env python3
"""Draws the Lifeboat icon (a life ring: white with four red bands) without any image library.

Writes lifeboat-<size>.png (16, 32, 48, 128, 256) and lifeboat.ico (PNG entries, Windows
Vista and later) into the folder given, default: this script's folder. The outputs are
committed, so the build scripts need no Python; rerun this only to change the icon.
"""
import math
import os
import struct
import sys
import zlib

RED = (214, 40, 40)
WHITE = (250, 250, 250)
EDGE = (60, 60, 70)
SS = 4  # supersampling per axis


def pixel(x, y):
    """Colour and coverage of the point (x, y) in the unit square; None outside the ring."""
    dx, dy = x - 0.5, y - 0.5
    r = math.hypot(dx, dy)
    outer, inner, line = 0.47, 0.25, 0.025
    if r > outer or r < inner:
        return None
    if r > outer - line or r < inner + line:
        return EDGE
    a = (math.degrees(math.atan2(dy, dx)) + 360 + 22.5) % 90
    return RED if a < 45 else WHITE


def render(size):
    rows = []
    for j in range(size):
        row = bytearray()
        for i in range(size):
            acc = [0, 0, 0, 0]
            for sj in range(SS):
                for si in range(SS):
                    c = pixel((i + (si + 0.5) / SS) / size, (j + (sj + 0.5) / SS) / size)
                    if c is not None:
                        acc[0] += c[0]
                        acc[1] += c[1]
                        acc[2] += c[2]
                        acc[3] += 1
            n = acc[3]
            if n == 0:
                row += bytes(4)
            else:
                row += bytes((acc[0] // n, acc[1] // n, acc[2] // n, 255 * n // (SS * SS)))
        rows.append(bytes(row))
    return rows


def png(size, rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + r for r in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def ico(images):
    head = struct.pack("<HHH", 0, 1, len(images))
    offset = len(head) + 16 * len(images)
    entries, blobs = b"", b""
    for size, data in images:
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return head + entries + blobs


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    images = []
    for size in (16, 32, 48, 128, 256):
        data = png(size, render(size))
        with open(os.path.join(out, f"lifeboat-{size}.png"), "wb") as f:
            f.write(data)
        if size != 128:
            images.append((size, data))
    with open(os.path.join(out, "lifeboat.ico"), "wb") as f:
        f.write(ico(images))


if __name__ == "__main__":
    main()
