#!/usr/bin/env bash
# The dashboard's reads at scale (by hand, never in CI), from the repository root:
#
#   bench/history.sh                        seed a fresh H2 data dir, then measure
#   bench/history.sh --seed-only --data DIR seed DIR (for other benchmarks, e.g. the dashboard's pages)
#   bench/history.sh --data DIR             measure a data dir seeded before (seeds it if empty)
#   options: --records N (1000000) --schedulers N (10000) --runs N (7) --points N (1000) --no-build
#
# Seeding: starts the packaged jar on the data dir and registers, through the API, the job
# "history-1m" (CosineAnnealingLR, T_max = the records, one param group of lr 0.1, momentum 0.9)
# and the schedulers list-0 .. list-(N-1) (bench/register.py: StepLR, OneCycleLR, CosineAnnealingLR,
# ReduceLROnPlateau in turn). A million steps through the API would take hours on this machine (one
# scheduler's steps are serialised, each a durable commit), so the service is stopped and the job's
# history records 1 .. N are written in SQL into the stopped H2 file (H2's RunScript): the lr is
# CosineAnnealingLR's closed form, the metric 2 / sqrt(epoch) with a ripple, missing every 10th
# step, one record per 0.1 s. Their state documents are a placeholder ({}): reading and charting
# the history is what they are for; resuming into them is not meaningful. The job's row is moved to
# the last record.
#
# Measuring: starts the jar on the seeded dir (the Docker image's JVM flags) and times, with a
# keep-alive client, min / median / max over --runs:
#   GET /api/v1/schedulers/history-1m/history?points=1000   cold (first request after the start), warm
#                                                           (cached) and warm with other points (a scan each)
#   GET /api/v1/schedulers/history-1m/lr                    for comparison
#   GET /api/v1/schedulers?size=20&sort=S (page 0 and page 400) for each sort
# The figures and the service's log go to bench/results/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
# shellcheck source=bench/service.sh
. "$ROOT/bench/service.sh"

SEED_ONLY=0
DATA=""
RECORDS=1000000
SCHEDULERS=10000
RUNS=7
POINTS=1000
BUILD=1
JOB=history-1m
JAVA_OPTS=${STEPWISE_BENCH_JAVA_OPTS:-"-Xms224m -Xmx224m -Xmn112m -XX:SurvivorRatio=4 -XX:+AlwaysPreTouch -Xss512k -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=32m -Djdk.nio.maxCachedBufferSize=262144 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"}

while [ $# -gt 0 ]; do
	case "$1" in
		--seed-only) SEED_ONLY=1; shift ;;
		--data) DATA=$2; shift 2 ;;
		--records) RECORDS=$2; shift 2 ;;
		--schedulers) SCHEDULERS=$2; shift 2 ;;
		--runs) RUNS=$2; shift 2 ;;
		--points) POINTS=$2; shift 2 ;;
		--no-build) BUILD=0; shift ;;
		-h|--help) sed -n '2,28p' "$0"; exit 0 ;;
		*) echo "unknown option $1 (--help)" >&2; exit 2 ;;
	esac
done

need curl python3 java unzip
if [ "$BUILD" = 1 ]; then
	log "building the jar"
	./mvnw -B -ntp -q -DskipTests package
fi
JAR=$(ls "$ROOT"/target/stepwise-*.jar | grep -v '\.original$' | head -n 1)
[ -f "$JAR" ] || { log "no jar in target/ (drop --no-build)"; exit 1; }
if [ -z "$DATA" ]; then
	DATA=$(mktemp -d /tmp/stepwise-history.XXXXXX)
fi
mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
SERVICE_LOG=$RESULTS/history-$TS-service.log
SERVICE_PID=""
trap stop_service EXIT

start_service() {
	PORT=$(free_port)
	BASE="http://127.0.0.1:$PORT"
	# shellcheck disable=SC2086 # the flags are words
	java $JAVA_OPTS -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" --stepwise.data-dir="$DATA" \
		--stepwise.rate-limit.enabled=false >>"$SERVICE_LOG" 2>&1 &
	SERVICE_PID=$!
	await_healthy "$SERVICE_LOG" 180
	log "service up on $BASE (pid $SERVICE_PID, data $DATA)"
}

seed() {
	log "seeding $DATA: $JOB with $RECORDS records, $SCHEDULERS schedulers"
	start_service
	curl -fsS -o /dev/null -X POST "$BASE/api/v1/schedulers" -H 'Content-Type: application/json' -d '{"id": "'"$JOB"'",
		"param_groups": [{"lr": 0.1, "momentum": 0.9}],
		"scheduler": {"type": "CosineAnnealingLR", "T_max": '"$RECORDS"'}}'
	python3 "$ROOT/bench/register.py" "$BASE" "$SCHEDULERS" list- >&2
	stop_service
	local started=$SECONDS
	unzip -p "$JAR" 'BOOT-INF/lib/h2-*.jar' >"$DATA/h2.jar"
	cat >"$DATA/seed.sql" <<SQL
-- bench/history.sh: the history of $JOB, epochs 1 .. $RECORDS (H2 only: SYSTEM_RANGE)
INSERT INTO scheduler_step (scheduler_id, last_epoch, position, metric, state_json, param_groups_json, recorded_at)
SELECT s.id, r.X, CAST(r.X AS DOUBLE PRECISION),
       CASE WHEN MOD(r.X, 10) = 0 THEN NULL ELSE 2.0 / SQRT(r.X) + 0.01 * SIN(r.X / 500.0) END,
       '{}',
       CONCAT('[{"lr":', CAST(0.05 * (1 + COS(PI() * r.X / $RECORDS)) AS VARCHAR), ',"momentum":0.9}]'),
       DATEADD(MILLISECOND, r.X * 100, s.created_at)
FROM scheduler s, SYSTEM_RANGE(1, $RECORDS) r
WHERE s.public_id = '$JOB';
UPDATE scheduler SET (last_epoch, position, param_groups_json, updated_at, version) = (
    SELECT h.last_epoch, h.position, h.param_groups_json, h.recorded_at, scheduler.version + 1
    FROM scheduler_step h WHERE h.scheduler_id = scheduler.id AND h.position = $RECORDS)
WHERE public_id = '$JOB';
ANALYZE;
SQL
	java -Xmx1g -cp "$DATA/h2.jar" org.h2.tools.RunScript -url "jdbc:h2:file:$DATA/stepwise" -user sa \
		-script "$DATA/seed.sql"
	log "seeded $RECORDS records in SQL in $((SECONDS - started)) s; H2 file $(du -h "$DATA/stepwise.mv.db" | cut -f1)"
}

if [ ! -f "$DATA/stepwise.mv.db" ]; then
	seed
else
	log "$DATA holds a database: not seeded again"
fi
if [ "$SEED_ONLY" = 1 ]; then
	echo "$DATA"
	exit 0
fi

start_service
OUT=$RESULTS/history-$TS.txt
python3 - "$BASE" "$JOB" "$RUNS" "$POINTS" <<'PY' | tee "$OUT"
import http.client, json, statistics, sys, time, urllib.parse

base, job, runs, points = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
url = urllib.parse.urlsplit(base)
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)

def get(path):
    start = time.perf_counter()
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    elapsed = (time.perf_counter() - start) * 1000
    if resp.status != 200:
        raise SystemExit(f"{path}: {resp.status} {body[:300]!r}")
    return elapsed, json.loads(body)

def row(name, times, note=""):
    print(f"| {name} | {min(times):.1f} | {statistics.median(times):.1f} | {max(times):.1f} | {note} |")

history = f"/api/v1/schedulers/{job}/history?points={points}"
cold, answer = get(history)
print(f"history of {job}: {answer['total_records']} records, {len(answer['items'])} items,"
      f" downsampled={answer['downsampled']}, {len(json.dumps(answer)) // 1024} KB")
print()
print(f"| request | min ms | median ms | max ms | |")
print(f"|---|---:|---:|---:|---|")
row(f"history?points={points}, cold (first request)", [cold])
row(f"history?points={points}, warm", [get(history)[0] for _ in range(runs)], f"{runs} runs, cached")
# another points each time: a scan of every record, as the first load of a running job's page
# (its version changes with every step) takes once the service is warm
row(f"history?points={points}-k, warm, uncached", [get(f"/api/v1/schedulers/{job}/history?points={points - k - 1}")[0]
    for k in range(runs)], f"{runs} runs, a scan each")
row("lr", [get(f"/api/v1/schedulers/{job}/lr")[0] for _ in range(runs)], f"{runs} runs")
total = get("/api/v1/schedulers?size=1")[1]["total_items"]
for sort in ("created_at", "id", "updated_at", "last_epoch"):
    for page in (0, 400):
        path = f"/api/v1/schedulers?size=20&page={page}&sort={sort}"
        get(path)
        row(f"list of {total}, sort={sort}, page {page} of 20", [get(path)[0] for _ in range(runs)], f"{runs} runs")
path = "/api/v1/schedulers?size=20&id_contains=list-99"
row(f"list of {total}, id_contains=list-99", [get(path)[0] for _ in range(runs)], f"{runs} runs")
PY
log "results in $OUT"
