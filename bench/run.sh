#!/usr/bin/env bash
# Builds the reactor (no tests, nothing installed) and runs a main of the bench module.
#   bench/run.sh benchmark [records]       the ingest benchmark (default 200000 records)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-benchmark}"; shift || true
mvn -B -q -T1 -pl bench -am package -DskipTests
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
case "$what" in
  benchmark) main=io.stardust.bench.GatewayBenchmark ;;
  *) echo "usage: bench/run.sh benchmark [records]" >&2; exit 2 ;;
esac
exec java -Xmx2g -Dlogback.configurationFile=io/stardust/bench/logback-quiet.xml -cp "$cp" "$main" "$@"
