#!/usr/bin/env bash
# What summarising history tiles in the background (TileBackfill) costs the step path: run by hand
# (never in CI) from the repository root.
#
#   bench/backfill.sh                      3 rounds, 60 s of steps per pass, 8 schedulers
#   options: --rounds N --duration 60s --schedulers N --no-build
#
# A few schedulers on the H2 file, stepped as fast as wrk can (-t2 -c64, round-robin over their
# ids): each grows by thousands of records a minute, so the background sweeps (every 30 s) summarise
# tiles all through the run, far more than a cluster's jobs make them. Passes alternate with the
# background tiling off and on (-Dstepwise.history.background-tiling=false), each on a fresh
# service and data dir with the Docker image's JVM flags, after 30 s of steps to warm up. Prints
# each pass's steps/s and p99, the change of the medians, and what the sweeps logged. Raw output
# goes to bench/results/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
# shellcheck source=bench/service.sh
. "$ROOT/bench/service.sh"

ROUNDS=3
DURATION=60s
SCHEDULERS=8
BUILD=1
while [ $# -gt 0 ]; do
	case "$1" in
		--rounds) ROUNDS=$2; shift 2 ;;
		--duration) DURATION=$2; shift 2 ;;
		--schedulers) SCHEDULERS=$2; shift 2 ;;
		--no-build) BUILD=0; shift ;;
		*) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
	esac
done
need wrk curl python3 java

if [ "$BUILD" = 1 ]; then
	log "building the jar"
	./mvnw -B -ntp -q package -DskipTests -Djacoco.skip=true
fi
JAR=$(ls "$ROOT"/target/stepwise-*.jar | grep -v '\.original$' | head -n 1)
JAVA_OPTS="-Xms224m -Xmx224m -Xmn64m -XX:SurvivorRatio=4 -XX:+AlwaysPreTouch -Xss512k -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=32m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"
WORK=$(mktemp -d /tmp/stepwise-backfill.XXXXXX)
SERVICE_PID=""
trap 'stop_service; rm -rf "$WORK"' EXIT
OUT=$RESULTS/backfill-$TS.txt
export MALLOC_ARENA_MAX=2

# pass TILING ROUND: one pass; appends "TILING steps_per_s p99_ms" to $WORK/passes
pass() {
	local tiling=$1 round=$2 data=$WORK/data-$1-$2 service_log=$RESULTS/backfill-$TS-$1-$2-service.log
	mkdir -p "$data"
	# shellcheck disable=SC2086
	start_jar "$JAR" "$data" "$service_log" $JAVA_OPTS -Dstepwise.history.background-tiling="$tiling"
	python3 "$ROOT/bench/register.py" "$BASE" "$SCHEDULERS" tiles- >/dev/null
	wrk -t2 -c64 -d30s -s "$ROOT/bench/wrk.lua" "$BASE" -- steps "$SCHEDULERS" tiles- >/dev/null
	local result
	result=$(wrk -t2 -c64 -d"$DURATION" --latency -s "$ROOT/bench/wrk.lua" "$BASE" -- steps "$SCHEDULERS" tiles- | grep '^BENCH')
	local rps p99
	rps=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$result")
	p99=$(sed -E 's/.* p99_us=([0-9]+).*/\1/' <<<"$result")
	stop_service
	local swept
	swept=$(grep -c 'Summarised' "$service_log" || true)
	log "tiling $tiling, round $round: $rps steps/s, p99 $((p99 / 1000)) ms; sweeps that summarised tiles: $swept"
	grep 'Summarised' "$service_log" | sed -E 's/.*TileBackfill +: /    /' >&2 || true
	echo "$tiling $rps $((p99 / 1000))" >>"$WORK/passes"
	rm -rf "$data"
}

log "jar $JAR, $SCHEDULERS schedulers, $ROUNDS rounds of $DURATION per pass"
for round in $(seq 1 "$ROUNDS"); do
	pass false "$round"
	pass true "$round"
done 2> >(tee -a "$OUT" >&2)

python3 - "$WORK/passes" <<'EOF' | tee -a "$OUT"
import statistics, sys
passes = [line.split() for line in open(sys.argv[1])]
def column(tiling, index):
    return [float(p[index]) for p in passes if p[0] == tiling]
print("| background tiling | steps/s of each pass | p99 ms of each pass |")
print("|---|---|---|")
for tiling in ("false", "true"):
    print(f"| {'off' if tiling == 'false' else 'on'} | {' / '.join(f'{v:,.0f}' for v in column(tiling, 1))}"
          f" | {' / '.join(f'{v:.0f}' for v in column(tiling, 2))} |")
off, on = statistics.median(column("false", 1)), statistics.median(column("true", 1))
print(f"\nsteps/s, change of the medians with background tiling on: {100 * (on - off) / off:+.1f}%")
EOF
log "results in $OUT"
