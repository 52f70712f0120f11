#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each, one after another, on one core.
#   fuzz/run.sh SECONDS [TARGET...]
# Installs the nightly toolchain and cargo-fuzz when missing. Corpora grow in fuzz/corpus/<t>/
# (seeded from fuzz/seeds/<t>/), crashes land in fuzz/artifacts/<t>/, logs in fuzz/logs/<t>.log.
# A crashing input belongs in tests/fuzz-regressions/<t>/, which `cargo test` replays on stable.
# SANITIZER=address turns on ASan (slower; the code under test has no unsafe of its own).
set -uo pipefail
secs=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
cd "$(dirname "$0")"
all=(hl7 ssmix2_layout fhir zip_listing dates search_query)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
sanitizer=${SANITIZER:-none}

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal || exit 1
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked || exit 1

# Release code with debug assertions: overflow checks catch arithmetic on hostile lengths.
flags=(--sanitizer "$sanitizer" --debug-assertions)
cargo +nightly fuzz build "${flags[@]}" || exit 1

mkdir -p logs
status=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    # One process (one core). Memory over 1 GB and inputs taking over 10 s count as failures:
    # the import promises bounded memory and no hangs on any input.
    cargo +nightly fuzz run "${flags[@]}" "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$secs" -rss_limit_mb=1024 -timeout=10 \
        -artifact_prefix="artifacts/$t/" -print_final_stats=1 ${FUZZ_ARGS:-} \
        >"logs/$t.log" 2>&1
    rc=$?
    [ $rc -ne 0 ] && status=1
    # Executions and coverage from libFuzzer's final lines.
    done_line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "logs/$t.log" | tail -1)
    execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "logs/$t.log" | grep -oE '[0-9]+$')
    echo "$t: exit $rc, executions ${execs:-?}, last: ${done_line:-none}"
    ls "artifacts/$t" 2>/dev/null | sed "s|^|  artifact: artifacts/$t/|"
done
exit $status
