#!/usr/bin/env bash
# The dashboard's pages at scale (by hand, never in CI), from the repository root:
#
#   bench/dashboard.sh                       seed a fresh H2 data dir (bench/history.sh --seed-only), then measure
#   bench/dashboard.sh --data DIR            measure a data dir seeded before (seeds it if empty)
#   options: --runs N (7) --no-build
#
# Needs Debian's chromium and chromium-driver. Starts the packaged jar on the data dir (the Docker
# image's JVM flags) and drives headless Chromium with the test classes' DashboardBenchmark:
#   - the job page of "history-1m" (1,000,000 steps): the time from the navigation's start until its
#     charts have drawn the data (the page's performance.mark "stepwise:charts-drawn"): a fresh
#     browser's first page (and the timeline of its requests), the first visit of a browser that
#     runs already, and --runs loads after it, each with another ?points= so that the service
#     downsamples anew instead of answering from its cache (min / median / max);
#   - the jobs list of the 10,000 schedulers: the requests it makes (one page of the list, one
#     sparkline per row), then page 2.
# The figures go to bench/results/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
# shellcheck source=bench/service.sh
. "$ROOT/bench/service.sh"

DATA=""
RUNS=7
BUILD=1
JOB=history-1m
JAVA_OPTS=${STEPWISE_BENCH_JAVA_OPTS:-"-Xms224m -Xmx224m -Xmn112m -XX:SurvivorRatio=4 -XX:+AlwaysPreTouch -Xss512k -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=32m -Djdk.nio.maxCachedBufferSize=262144 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"}

while [ $# -gt 0 ]; do
	case "$1" in
		--data) DATA=$2; shift 2 ;;
		--runs) RUNS=$2; shift 2 ;;
		--no-build) BUILD=0; shift ;;
		-h|--help) sed -n '2,16p' "$0"; exit 0 ;;
		*) echo "unknown option $1 (--help)" >&2; exit 2 ;;
	esac
done

need curl python3 java chromium chromedriver
if [ "$BUILD" = 1 ]; then
	log "building the jar and the test classes"
	./mvnw -B -ntp -q -DskipTests package
fi
./mvnw -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/dashboard-classpath.txt
JAR=$(ls "$ROOT"/target/stepwise-*.jar | grep -v '\.original$' | head -n 1)
[ -f "$JAR" ] || { log "no jar in target/ (drop --no-build)"; exit 1; }
if [ -z "$DATA" ]; then
	DATA=$(mktemp -d /tmp/stepwise-dashboard.XXXXXX)
fi
mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
if [ ! -f "$DATA/stepwise.mv.db" ]; then
	"$ROOT/bench/history.sh" --seed-only --no-build --data "$DATA" >/dev/null
fi

SERVICE_LOG=$RESULTS/dashboard-$TS-service.log
SERVICE_PID=""
trap stop_service EXIT
start_jar "$JAR" "$DATA" "$SERVICE_LOG" $JAVA_OPTS

OUT=$RESULTS/dashboard-$TS.txt
{
	echo "bench/dashboard.sh $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(chromium --version 2>/dev/null)"
	java -cp "target/test-classes:target/classes:$(cat target/dashboard-classpath.txt)" \
		dev.stepwise.dashboard.DashboardBenchmark "$BASE" "$JOB" "$RUNS"
} | tee "$OUT"
log "results in $OUT"
