#!/usr/bin/env bash
# Runs the coverage-guided fuzz targets, each for SECONDS (default 600), seeded with the
# bundled plans, the PDF fixtures and a saved workspace. Needs cargo-fuzz (`cargo install
# cargo-fuzz`); on a stable toolchain RUSTC_BOOTSTRAP=1 lets it pass libFuzzer's flags.
# Crashes land in tests/fuzz/artifacts/TARGET/; keep each as a regression test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(plan_bytes documents loaders)
root=../..
mkdir -p corpus/plan_bytes corpus/documents corpus/loaders
cp "$root"/data/raw/*.txt corpus/plan_bytes/
cp "$root"/tests/fixtures/*.pdf corpus/documents/
cp "$root"/data/plans/*.ron corpus/loaders/
export RUSTC_BOOTSTRAP=1
for target in "${targets[@]}"; do
  cargo fuzz run --fuzz-dir . -s none "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=20 -print_final_stats=1
done
