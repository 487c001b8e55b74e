#!/usr/bin/env bash
# Soak test of the embedded H2 database: run by hand (never in CI) from the repository root.
#
#   bench/soak.sh                      30 minutes of steps, 8 client connections over 200 schedulers
#   bench/soak.sh --duration 10m       shorter (s, m or h)
#   bench/soak.sh --interval 60s       one table row per interval (default 30s)
#   bench/soak.sh --threads 8 --schedulers 200
#   bench/soak.sh --jar PATH           take this jar instead of building one (--no-build: target/'s)
#   bench/soak.sh --service-arg ARG    one more argument for the service (repeatable), e.g. a setting
#   bench/soak.sh --warmup 60s         rows up to this long after the start are the JIT's warm-up: left out
#                                      of the steps/s comparison (their sizes are checked all the same)
#
# Builds the jar, starts it on a fresh data dir with the Docker image's JVM flags (as bench/run.sh),
# registers the schedulers (bench/register.py) and posts steps without pause (wrk, steps mode of
# bench/wrk.lua: each post is a new step) in back-to-back runs of one interval each. After each
# interval it prints a row:
#   elapsed   seconds since the load started
#   file MB   size of stepwise.mv.db
#   live MB   what H2 counts as live in that file (its chunks' fill rate times the space they use),
#             from the service's log (H2Housekeeping at debug level); "-" if the jar does not log it
#   steps/s   acknowledged steps per second in that interval (wrk's 2xx answers)
#   total     steps acknowledged so far, and the file's bytes per acknowledged step
# Then: the size after 30 s idle, after a graceful stop, after a restart (and its startup time), and
# the size of the data it holds: a copy of the stopped file compacted by H2's MVStoreTool, which
# copies every live page into a fresh file, uncompressed (SHUTDOWN COMPACT would compress the copy with
# LZF, about 3.5 times smaller than the pages the database uses; its size is shown too). It then checks
# every row against the goal "2x the data + 64 MB", the data at a row taken as the final data times
# the share of the steps taken by then, and ends with steps/s of the first five minutes after the
# warm-up against the last five (the first and last third when shorter than 15 minutes), and of the
# first five minutes including the warm-up.
# The load generator shares the machine with the service: on a shared box the figures are noisy.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
# shellcheck source=bench/service.sh
. "$ROOT/bench/service.sh"
STOP_WAIT=60

DURATION=30m
INTERVAL=30s
WARMUP=60s
THREADS=8
SCHEDULERS=200
JAR=""
BUILD=1
SERVICE_ARGS=()
JAVA_OPTS=${STEPWISE_BENCH_JAVA_OPTS:-"-Xms224m -Xmx224m -Xmn64m -XX:SurvivorRatio=4 -XX:+AlwaysPreTouch -Xss512k -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=32m -Djdk.nio.maxCachedBufferSize=262144 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"}

while [ $# -gt 0 ]; do
	case "$1" in
		--duration) DURATION=$2; shift 2 ;;
		--interval) INTERVAL=$2; shift 2 ;;
		--warmup) WARMUP=$2; shift 2 ;;
		--threads) THREADS=$2; shift 2 ;;
		--schedulers) SCHEDULERS=$2; shift 2 ;;
		--jar) JAR=$(realpath "$2"); BUILD=0; shift 2 ;;
		--no-build) BUILD=0; shift ;;
		--service-arg) SERVICE_ARGS+=("$2"); shift 2 ;;
		-h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
		*) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
	esac
done

seconds() {
	case "$1" in
		*h) echo $((${1%h} * 3600)) ;;
		*m) echo $((${1%m} * 60)) ;;
		*s) echo "${1%s}" ;;
		*) echo "$1" ;;
	esac
}
DURATION_S=$(seconds "$DURATION")
INTERVAL_S=$(seconds "$INTERVAL")
WARMUP_S=$(seconds "$WARMUP")

need wrk curl python3 java

OUT=$RESULTS/$TS-soak
WORK=$(mktemp -d /tmp/stepwise-soak.XXXXXX)
DATA=$WORK/data
DB=$DATA/stepwise.mv.db
SERVICE_PID=""
BASE=""


cleanup() {
	set +e
	stop_service
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# start_service LOGNAME: starts the jar on $DATA and waits until it is healthy; STARTUP is the seconds it took.
STARTUP=0
start_service() {
	local port started=$SECONDS
	port=$(free_port)
	mkdir -p "$DATA"
	# shellcheck disable=SC2086
	env -u STEPWISE_DATABASE_URL -u STEPWISE_DATABASE_USERNAME -u STEPWISE_DATABASE_PASSWORD -u SPRING_PROFILES_ACTIVE \
		MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 java $JAVA_OPTS -jar "$JAR" --server.address=127.0.0.1 \
		--server.port="$port" --stepwise.data-dir="$DATA" --logging.level.dev.stepwise.system.H2Housekeeping=debug \
		${SERVICE_ARGS[@]+"${SERVICE_ARGS[@]}"} \
		>>"$OUT-$1.log" 2>&1 &
	SERVICE_PID=$!
	BASE=http://127.0.0.1:$port
	await_healthy "$OUT-$1.log" 300
	STARTUP=$((SECONDS - started))
}

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

file_bytes() { stat -c %s "$DB" 2>/dev/null || echo 0; }

# H2's own count of live bytes, from the last line H2Housekeeping logged (debug level).
live_mb() {
	local line
	line=$(grep -o 'live [0-9]* bytes' "$OUT-service.log" 2>/dev/null | tail -n 1 || true)
	if [ -n "$line" ]; then mb "$(echo "$line" | awk '{print $2}')"; else echo "-"; fi
}

field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" "$2" | head -n 1; }

if [ "$BUILD" = 1 ]; then
	log "building the jar"
	./mvnw -q -B -ntp -DskipTests package
fi
[ -n "$JAR" ] || JAR=$(ls "$ROOT"/target/stepwise-*.jar | grep -v '\.original$' | head -n 1)

log "starting $JAR on $DATA"
start_service service
python3 "$ROOT/bench/register.py" "$BASE" "$SCHEDULERS" soak- >&2
log "load: wrk -t$((THREADS < 4 ? THREADS : 4)) -c$THREADS, steps over $SCHEDULERS schedulers, ${DURATION_S}s in rows of ${INTERVAL_S}s"

{
	echo "Stepwise soak $TS: $(nproc) cores, $(java -version 2>&1 | head -n 1), $THREADS connections over $SCHEDULERS schedulers, $(basename "$JAR")"
	echo
	echo "| elapsed s | file MB | live MB | steps/s | steps | file bytes/step |"
	echo "|---:|---:|---:|---:|---:|---:|"
} | tee "$OUT.md"

TOTAL=0
RATES=()
SIZES=()
START=$SECONDS
while [ $((SECONDS - START)) -lt "$DURATION_S" ]; do
	left=$((DURATION_S - (SECONDS - START)))
	d=$((left < INTERVAL_S ? left : INTERVAL_S))
	wrk -t$((THREADS < 4 ? THREADS : 4)) -c"$THREADS" -d"${d}s" -s "$ROOT/bench/wrk.lua" "$BASE" -- steps "$SCHEDULERS" soak- \
		>"$WORK/wrk.txt" 2>&1 || true
	grep -q '^BENCH' "$WORK/wrk.txt" || { cat "$WORK/wrk.txt" >&2; log "wrk failed"; exit 1; }
	requests=$(field requests "$WORK/wrk.txt")
	non2xx=$(field non2xx "$WORK/wrk.txt")
	us=$(field duration_us "$WORK/wrk.txt")
	ok=$((requests - non2xx))
	TOTAL=$((TOTAL + ok))
	rate=$(awk -v n="$ok" -v us="$us" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
	RATES+=("$((SECONDS - START)) $rate")
	SIZES+=("$((SECONDS - START)) $(file_bytes) $TOTAL")
	bytes=$(file_bytes)
	[ "$non2xx" = 0 ] || log "  $non2xx answers were not 2xx"
	echo "| $((SECONDS - START)) | $(mb "$bytes") | $(live_mb) | $rate | $TOTAL | $((bytes / (TOTAL > 0 ? TOTAL : 1))) |" | tee -a "$OUT.md"
done

log "idle for 30 s"
sleep 30
IDLE=$(file_bytes)
LIVE=$(live_mb)
stop_service
STOPPED=$(file_bytes)
log "restarting"
start_service restart
RESTARTED=$(file_bytes)
LAST=$(curl -fsS "$BASE/api/v1/schedulers/soak-0/lr" | python3 -c 'import json, sys; print(json.load(sys.stdin)["last_epoch"])')
stop_service
AFTER_RESTART=$(file_bytes)

# The size of the data: every live page of a copy, copied into a fresh file (uncompressed); and the
# same compressed, as SHUTDOWN COMPACT writes it.
unzip -p "$JAR" 'BOOT-INF/lib/h2-*.jar' >"$WORK/h2.jar"
mkdir -p "$WORK/copy"
cp "$DB" "$WORK/copy/stepwise.mv.db"
java -cp "$WORK/h2.jar" org.h2.mvstore.MVStoreTool -compact "$WORK/copy/stepwise.mv.db" >/dev/null
COMPACTED=$(stat -c %s "$WORK/copy/stepwise.mv.db")
java -cp "$WORK/h2.jar" org.h2.mvstore.MVStoreTool -compress "$WORK/copy/stepwise.mv.db" >/dev/null
COMPRESSED=$(stat -c %s "$WORK/copy/stepwise.mv.db")

{
	echo
	echo "| after | file MB |"
	echo "|---|---:|"
	echo "| the load ($TOTAL steps) and 30 s idle (H2's live count: $LIVE MB) | $(mb "$IDLE") |"
	echo "| a graceful stop | $(mb "$STOPPED") |"
	echo "| a restart (healthy after ${STARTUP}s, soak-0 at epoch $LAST) and a stop | $(mb "$RESTARTED") then $(mb "$AFTER_RESTART") |"
	echo "| a copy's live pages, compacted: the data it holds | $(mb "$COMPACTED") |"
	echo "| the same compressed (as SHUTDOWN COMPACT writes it) | $(mb "$COMPRESSED") |"
	echo
	printf '%s\n' "${RATES[@]}" | awk -v total="$DURATION_S" -v warmup="$WARMUP_S" -v half="$((INTERVAL_S / 2))" '
		{ t[NR] = $1; r[NR] = $2 }
		function mean(from, to,    i, sum, n) {
			for (i = 1; i <= NR; i++) if (t[i] > from && t[i] <= to) { sum += r[i]; n++ }
			return n ? sum / n : 0
		}
		END {
			span = total >= 900 ? 300 : total / 3
			last = mean(total - span, total + 1e9)
			# a row is the interval that ended at its time (give or take a second)
			first = mean(warmup + half, warmup + span + half)
			whole = mean(-1, span + half)
			if (first && last) printf "steps/s: the first %ds after the warm-up (%ds) %.0f, the last %ds %.0f (%+.1f%%)\n", span, warmup, first, span, last, (last - first) * 100 / first
			if (whole && last) printf "steps/s: the first %ds with the warm-up %.0f, the last %ds %.0f (%+.1f%%)\n", span, whole, span, last, (last - whole) * 100 / whole
		}'
	echo "limit (2x the data + 64 MB) at the end: $(mb $((2 * COMPACTED + 64 * 1048576))) MB"
	printf '%s\n' "${SIZES[@]}" | awk -v data="$COMPACTED" -v total="$TOTAL" '
		{
			limit = 2 * data * ($3 / (total > 0 ? total : 1)) + 64 * 1048576
			if (NR == 1 || $2 / limit > worst) { worst = $2 / limit; at = $1; file = $2; lim = limit }
			if ($2 > limit) over++
		}
		END {
			printf "rows over the limit: %d of %d; worst at %ds: file %.1f MB, limit %.1f MB (%.0f%%)\n",
				over, NR, at, file / 1048576, lim / 1048576, worst * 100
		}' 
} | tee -a "$OUT.md"
log "table in $OUT.md, service logs in $OUT-*.log"
