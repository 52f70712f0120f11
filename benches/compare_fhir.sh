#!/usr/bin/env bash
# Parse throughput of Lifeboat's FHIR reader beside the Python library fhir.resources, on the
# same files, in the same run, each pinned to one core. Needs `cargo build --release` and
# `pip install fhir.resources`. Usage: benches/compare_fhir.sh [FILES...] (default: the
# Synthea bundles of ../shared/samples).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
  set -- ../shared/samples/fhir/synthea-bundles/*.json
fi
bin="${CARGO_TARGET_DIR:-target}/release/lifeboat"
echo "== lifeboat bench-fhir (fhirbolt, release, 1 core)"
taskset -c 0 "$bin" bench-fhir --rounds 5 "$@"
echo "== python fhir.resources (1 core)"
taskset -c 0 python3 benches/fhir_resources_parse.py "$@"
