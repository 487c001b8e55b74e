#!/usr/bin/env bash
# Benchmarks of the cost and admission goals of issue 10: run by hand (never in CI) from the
# repository root, with the Docker image's JVM flags (STEPWISE_BENCH_JAVA_OPTS replaces them) on
# the H2 file database.
#
#   bench/limits.sh requests [--runs 20] [--warmup 10]
#       every maximal request kind (preview, fast-forwards, LambdaLR, ChainedScheduler, PUT state),
#       one after another: wall time per request (median, max) and MB allocated per request
#       (jvm.gc.memory.allocated between full collections, minus an idle interval; bench/limits.py)
#   bench/limits.sh previews [--duration 30s] [--previews 32]
#       wrk -t2 -c16 GET .../lr over 100 schedulers for --duration, alone and then while 32 clients
#       keep a maximal preview in flight each (a 503 is counted, and retried after its Retry-After)
#   --no-build   use the jar in target/
# Results go to bench/results/ (gitignored) and are printed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
# shellcheck source=bench/service.sh
. "$ROOT/bench/service.sh"

MODE=${1:-requests}
shift || true
RUNS=20
WARMUP=10
DURATION=30s
PREVIEWS=32
BUILD=1
JAVA_OPTS=${STEPWISE_BENCH_JAVA_OPTS:-"-Xms224m -Xmx224m -Xmn64m -XX:SurvivorRatio=4 -XX:+AlwaysPreTouch -Xss512k -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=32m -Djdk.nio.maxCachedBufferSize=262144 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"}
while [ $# -gt 0 ]; do
	case "$1" in
		--runs) RUNS=$2; shift 2 ;;
		--warmup) WARMUP=$2; shift 2 ;;
		--duration) DURATION=$2; shift 2 ;;
		--previews) PREVIEWS=$2; shift 2 ;;
		--no-build) BUILD=0; shift ;;
		-h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
		*) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
	esac
done
need wrk jcmd curl python3

WORK=$(mktemp -d /tmp/stepwise-limits.XXXXXX)
SERVICE_PID=""
trap 'stop_service; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

if [ "$BUILD" = 1 ]; then
	log "building the jar"
	./mvnw -q -B -ntp -DskipTests package
fi
JAR=$(ls "$ROOT"/target/stepwise-*.jar | grep -v '\.original$' | head -n 1)
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
OUT=$RESULTS/$TS-limits-$MODE.txt
# shellcheck disable=SC2086
MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 java $JAVA_OPTS -jar "$JAR" --server.address=127.0.0.1 \
	--server.port="$PORT" --stepwise.data-dir="$WORK/data" \
	--management.endpoints.web.exposure.include=health,metrics >"$RESULTS/$TS-limits-service.log" 2>&1 &
SERVICE_PID=$!
await_healthy "$RESULTS/$TS-limits-service.log" 180
log "service up on $BASE (pid $SERVICE_PID, JAVA_OPTS: $JAVA_OPTS)"
{
	echo "# $(date -u +%FT%TZ) bench/limits.sh $MODE; java: $(java -version 2>&1 | head -n 1); $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT"

case "$MODE" in
	requests)
		python3 "$ROOT/bench/limits.py" requests "$BASE" "$SERVICE_PID" --runs "$RUNS" --warmup "$WARMUP" | tee -a "$OUT"
		;;
	previews)
		python3 "$ROOT/bench/limits.py" canary "$BASE" 100
		log "warming up GET lr and the previews (60 s)"
		wrk -t2 -c16 -d30s -s "$ROOT/bench/wrk.lua" "$BASE" -- lr 100 lim- >/dev/null
		python3 "$ROOT/bench/limits.py" previews "$BASE" 30 4 >/dev/null
		lr() {
			wrk -t2 -c16 -d"$DURATION" --latency -s "$ROOT/bench/wrk.lua" "$BASE" -- lr 100 lim- | grep '^BENCH'
		}
		echo "alone:          $(lr)" | tee -a "$OUT"
		secs=${DURATION%s}
		python3 "$ROOT/bench/limits.py" previews "$BASE" "$((secs + 10))" "$PREVIEWS" >"$WORK/previews.txt" &
		PY=$!
		sleep 5
		echo "with $PREVIEWS previews: $(lr)" | tee -a "$OUT"
		wait "$PY"
		tee -a "$OUT" <"$WORK/previews.txt"
		;;
	*) echo "mode: requests | previews" >&2; exit 2 ;;
esac
