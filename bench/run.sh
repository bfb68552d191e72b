#!/usr/bin/env bash
# Builds the reactor (no tests, nothing installed) and runs a benchmark main against embedded servers.
#   bench/run.sh gateway [records] [latency-rate]   topic -> durable entries/s vs raw multi-row INSERT, latency p50/p99
#   bench/run.sh backlog [--records=1000000] [--keys=100000] [--heap=256m]
#                                                    a backlog ingested by a gateway child JVM with -Xmx256m: time, live heap, peak RSS
#   bench/run.sh search [--entries=1000000] ...      engine filters vs JSON_EXTRACT scan vs a plain indexed table
#   bench/run.sh versus [--records=200000] [--only=gw1,sink1,...] [--gateway-set=k=v,...] ...
#                                                    gateway vs Debezium JDBC sink on Kafka Connect vs raw INSERT,
#                                                    durable MySQL; table also in bench/target/versus.md
#   bench/run.sh import [--lines=1000000] [--heap=1g]  file -> durable entries/s through streams app + gateway
#                                                    vs LOAD DATA LOCAL INFILE of the same rows, durable MySQL
#   bench/run.sh import --memory [--file-mb=1024] [--heap-mb=256]
#                                                    ImportMemoryTest with a 1 GB file at -Xmx256m (streams app child JVM)
#   bench/run.sh profile [--records=60000] [--batch=2000] [--pipeline=false]
#                                                    time of a gateway batch per statement, durable MySQL
# SKIP_BUILD=1 skips the build; BENCH_MAVEN_ARGS adds Maven arguments (e.g. -Dmaven.repo.local=...);
# BENCH_JAVA_OPTS replaces the JVM options (default -Xmx2g).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
what="${1:-}"; shift || true
case "$what" in
  gateway|benchmark) main=io.stardust.bench.GatewayBenchmark ;;
  backlog) main=io.stardust.bench.BacklogBench ;;
  search) main=io.stardust.bench.search.SearchBench ;;
  versus) main=io.stardust.bench.versus.VersusBench ;;
  profile) main=io.stardust.bench.versus.BatchProfile ;;
  import)
    if [[ "${1:-}" == "--memory" ]]; then
      shift
      mb=1024; heap=256
      for a in "$@"; do
        case "$a" in
          --file-mb=*) mb="${a#*=}" ;;
          --heap-mb=*) heap="${a#*=}" ;;
          *) echo "usage: bench/run.sh import --memory [--file-mb=N] [--heap-mb=N]" >&2; exit 2 ;;
        esac
      done
      exec mvn -B -T1 ${BENCH_MAVEN_ARGS:-} -pl streams-app verify -Dtest=ImportMemoryTest -Dsurefire.failIfNoSpecifiedTests=false \
        -Dstardust.import.memoryFileMb="$mb" -Dstardust.import.memoryHeapMb="$heap"
    fi
    main=io.stardust.bench.ImportBench ;;
  *) echo "usage: bench/run.sh gateway|backlog|search|versus|profile|import [args]" >&2; exit 2 ;;
esac
if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  mvn -B -q -T1 ${BENCH_MAVEN_ARGS:-} -pl bench -am package -DskipTests
fi
exec java ${BENCH_JAVA_OPTS:--Xmx2g} -Dlogback.configurationFile=io/stardust/bench/logback-quiet.xml \
  -cp "bench/target/stardust-bench.jar:bench/target/lib/*" "$main" "$@"
