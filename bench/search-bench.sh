#!/usr/bin/env bash
# Search benchmark: engine filters vs JSON_EXTRACT scan vs a plain indexed table, one embedded mysqld, one run.
# Usage: bench/search-bench.sh [--entries=1000000] [--iterations=300] [--json-iterations=60] [--loaders=2]
#        [--buffer-pool-mb=3072] [--seed=42] [--work-dir=DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  mvn -B -q -T1 -pl bench -am package -DskipTests
fi
exec java ${BENCH_JAVA_OPTS:--Xmx2g} -cp "bench/target/stardust-bench.jar:bench/target/lib/*" \
  io.stardust.bench.search.SearchBench "$@"
