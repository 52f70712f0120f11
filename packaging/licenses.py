#!/usr/bin/env python3
"""Writes THIRD-PARTY-LICENSES.txt for one target: every crate linked into the lifeboat binary
(normal dependencies reachable from the package, as `cargo metadata` resolves them for that
target), with its licence expression and the licence texts its published source ships, plus
the bundled fonts' OFL. Identical texts are printed once, under the list of crates using them.

usage: licenses.py OUT_FILE [--crlf] TARGET... (the union of the targets' crates)
"""
import hashlib
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMES = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE|UNLICENSE|COPYRIGHT)", re.I)


def metadata(target):
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", "--filter-platform", target],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout
    return json.loads(out)


def linked(meta):
    """Ids of the packages reached from the root through normal (not dev, not build) deps."""
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    root = meta["resolve"]["root"]
    seen, todo = set(), [root]
    while todo:
        i = todo.pop()
        if i in seen:
            continue
        seen.add(i)
        for d in nodes[i]["deps"]:
            if any(k["kind"] is None for k in d["dep_kinds"]):
                todo.append(d["pkg"])
    seen.discard(root)
    return seen


def texts(pkg):
    """(file name, text) of the licence files in the crate's source folder."""
    d = os.path.dirname(pkg["manifest_path"])
    found = []
    names = sorted(os.listdir(d))
    if pkg.get("license_file"):
        names.insert(0, pkg["license_file"])
    for n in names:
        p = os.path.join(d, n)
        if n in (f for f, _ in found) or not os.path.isfile(p):
            continue
        if NAMES.match(os.path.basename(n)) or n == pkg.get("license_file"):
            with open(p, encoding="utf-8", errors="replace") as f:
                found.append((n, f.read().strip() + "\n"))
    return found


def main():
    out = sys.argv[1]
    crlf = "--crlf" in sys.argv
    targets = [a for a in sys.argv[2:] if a != "--crlf"]
    pkgs, ids = {}, set()
    for t in targets:
        meta = metadata(t)
        pkgs.update({p["id"]: p for p in meta["packages"]})
        ids |= linked(meta)
    chosen = sorted((pkgs[i] for i in ids), key=lambda p: (p["name"], p["version"]))
    groups = {}  # text hash -> (text, [crate labels])
    lines = [
        "Lifeboat: third-party licences",
        "",
        "Lifeboat is licensed under the Apache License 2.0. The program includes the following",
        "third-party software, each under its own licence, listed below with the licence texts",
        "its authors publish. The Rust standard library is MIT OR Apache-2.0.",
        "",
        "== Fonts (compiled into the program) ==",
        "",
        "BIZ UDGothic 1.05 (Morisawa) and LifeboatReplacement (one glyph from Noto Sans Mono):",
        "SIL Open Font License 1.1, text below.",
        "",
        "== Crates ({} packages) ==".format(len(chosen)),
        "",
    ]
    missing = []
    for p in chosen:
        label = "{} {}".format(p["name"], p["version"])
        lines.append("{:<40} {}".format(label, p.get("license") or "(see its licence file)"))
        ts = texts(p)
        if not ts:
            authors = ", ".join(p.get("authors") or []) or "its authors"
            missing.append("{} ({}; copyright {})".format(label, p.get("license"), authors))
        for _, t in ts:
            h = hashlib.sha256(t.encode()).hexdigest()
            groups.setdefault(h, (t, []))[1].append(label)
    if missing:
        lines += ["", "Published without a licence file; the standard texts of their licences (MIT, Apache-2.0 ...)",
                  "are the ones printed below for other crates, with these copyright holders:"]
        lines += ["  " + m for m in missing]
    with open(os.path.join(ROOT, "assets", "fonts", "OFL.txt"), encoding="utf-8") as f:
        lines += ["", "=" * 78, "BIZ UDGothic, LifeboatReplacement: SIL Open Font License 1.1", "=" * 78, "", f.read().strip()]
    for t, users in sorted(groups.values(), key=lambda g: g[1][0]):
        lines += ["", "=" * 78, "Used by: " + ", ".join(users), "=" * 78, "", t.rstrip("\n")]
    body = "\n".join(lines) + "\n"
    if crlf:
        body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write(body)
    print("{}: {} crates, {} distinct texts, {} without a licence file".format(out, len(chosen), len(groups), len(missing)))


if __name__ == "__main__":
    main()
