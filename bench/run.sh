#!/usr/bin/env bash
# Builds the reactor (no tests, nothing installed) and runs a main of the bench module.
#   bench/run.sh demo                      the first-run demo: embedded MySQL + Kafka + gateway, sample entries, events
#   bench/run.sh benchmark [records]       the ingest benchmark (default 200000 records)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-demo}"; shift || true
mvn -B -q -T1 -pl bench -am package -DskipTests
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
case "$what" in
  demo) main=io.stardust.bench.GatewayDemo ;;
  benchmark) main=io.stardust.bench.GatewayBenchmark ;;
  *) echo "usage: bench/run.sh demo|benchmark [records]" >&2; exit 2 ;;
esac
exec java -Xmx2g -Dlogback.configurationFile=io/stardust/bench/logback-quiet.xml -cp "$cp" "$main" "$@"
