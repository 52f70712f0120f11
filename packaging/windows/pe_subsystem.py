#!/usr/bin/env python3
"""Sets the subsystem of a PE32+ executable: `gui` (no console window when double-clicked) or
`console` (cmd and PowerShell wait for it, its output and exit code reach them). The same
program is shipped both ways; this is the field `editbin /SUBSYSTEM` changes, set before
signing. usage: pe_subsystem.py FILE gui|console"""
import struct
import sys

VALUES = {"gui": 2, "console": 3}


def main():
    path, kind = sys.argv[1], sys.argv[2]
    with open(path, "r+b") as f:
        head = f.read(0x40)
        if head[:2] != b"MZ":
            sys.exit(f"{path}: not an MZ executable")
        pe = struct.unpack_from("<I", head, 0x3C)[0]
        f.seek(pe)
        sig = f.read(4 + 20 + 2)
        if sig[:4] != b"PE\0\0" or struct.unpack_from("<H", sig, 24)[0] != 0x20B:
            sys.exit(f"{path}: not a PE32+ executable")
        # Optional header starts after the 4-byte signature and the 20-byte COFF header; the
        # Subsystem field is at offset 68 in it (PE32 and PE32+ alike).
        f.seek(pe + 24 + 68)
        f.write(struct.pack("<H", VALUES[kind]))


if __name__ == "__main__":
    main()
