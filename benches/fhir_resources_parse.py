#!/usr/bin/env python3
"""Parse FHIR JSON files with the Python library fhir.resources (pydantic models), best of N
rounds, and print MB/s: the reference point for `lifeboat bench-fhir` on the same files.

fhir.resources 8.x models R5 by default; its R4B package is the closest to R4 (the Synthea
bundles are R4), so that one is used. Files it rejects are counted and left out of the rate.
"""
import sys
import time

from fhir.resources.R4B import get_fhir_model_class


def model_for(data: bytes):
    # Found once, outside the timed loop, so that only the library's parse is timed.
    import json

    return get_fhir_model_class(json.loads(data)["resourceType"])


def parse(model, data: bytes) -> None:
    model.model_validate_json(data)


def main() -> int:
    rounds = 3
    paths = [p for p in sys.argv[1:]]
    files = [(p, open(p, "rb").read()) for p in paths]
    ok, failed = [], []
    for p, data in files:
        try:
            model = model_for(data)
            parse(model, data)
            ok.append((p, model, data))
        except Exception as e:  # a validation error: report, do not time
            failed.append((p, str(e).splitlines()[0][:120]))
    total = sum(len(d) for _, _, d in ok)
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for _, model, data in ok:
            parse(model, data)
        best = min(best, time.perf_counter() - t)
    mb = total / 1e6
    print(f"fhir.resources (R4B models): files parsed: {len(ok)}, rejected: {len(failed)}")
    for p, why in failed:
        print(f"  rejected {p}: {why}")
    print(f"bytes: {total} ({mb:.2f} MB)")
    print(f"parse: {best:.3f} s, {mb / best:.1f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
