#!/usr/bin/env bash
# Benchmarks of Stepwise: run by hand (never in CI) from the repository root.
#
#   bench/run.sh                  H2 file database, then PostgreSQL; 1,000 schedulers
#   bench/run.sh --db h2          one database only (h2 | postgres | both)
#   bench/run.sh --scale          100,000 schedulers with 10,000,000 recorded steps instead; the load
#                                 goes over 1,000 of them (a cluster's active jobs), as in the small run
#   bench/run.sh --scale --active 100000   ... the load goes over all of them (no cache helps)
#   bench/run.sh --duration 10s   shorter measured runs (default 30s)
#   bench/run.sh --runs 1         one measured run of each endpoint (default 3, one table row each)
#   bench/run.sh --auth           each database twice in the same run: first with authentication off and
#                                 every meter disabled (management.metrics.enable.all=false), then with
#                                 authentication on (an admin token; wrk and the registrations carry a
#                                 minted write token scoped bench-*; the rate limit off, as that one
#                                 token carries the whole load) and the meters on, scraped from
#                                 /actuator/prometheus every 5 s: the cost of auth + metrics (goal 10%)
#   bench/run.sh --auth --rounds 2   the passes without and with auth alternate, off on, on off, ..., each
#                                 on a fresh service and database: on a shared machine the spread between
#                                 service starts is wider than auth's cost, and alternating keeps a
#                                 slow spell or a drift from landing on one side only. Keep the default
#                                 warm-up (--warmup-max 600): on 2 cores, with PostgreSQL and wrk on the
#                                 same cores, the JIT needs 4-6 minutes to settle, longer with auth and
#                                 meters on (more code to compile), and until then the throughput still
#                                 rises (lr reads with auth on PostgreSQL: 2,000 req/s at 200 s, 4,000
#                                 from 270 s), so a shorter cap measures the compiler's progress
#   bench/run.sh --auth --observation   a third pass: as the second, plus the http.server.requests
#                                 observation (a timer per URI template and status), off by default
#
# For each database: builds the jar, starts it with the Docker image's JVM flags and malloc settings
# (STEPWISE_BENCH_JAVA_OPTS replaces the flags), registers the schedulers, warms up (rounds of 15 s
# of each endpoint under load until `jcmd PID Compiler.queue` is empty and the round compiled fewer
# than 60 methods by `jstat -compiler`, at most 10 minutes), then measures with wrk
# (-t2 -c64 -d30s --latency):
#   lr      GET  /api/v1/schedulers/{id}/lr       over all ids, round-robin
#   steps   POST /api/v1/schedulers/{id}/steps    over all ids, body without epoch: each post is a new step
#   health  GET  /actuator/health/liveness        the floor: Tomcat + Spring MVC, no database
# and samples the service's RSS (ps -o rss) every second. Raw output goes to bench/results/
# (gitignored); the Markdown table is printed and saved there too.
#
# PostgreSQL: a throwaway cluster on 127.0.0.1 and a free port in a temp dir (durable settings:
# fsync on), unless STEPWISE_BENCH_DATABASE_URL (+ _USERNAME, _PASSWORD) names one to use.
# Needs: wrk, jcmd, curl, python3, and PostgreSQL's server binaries under /usr/lib/postgresql/*/bin
# (apt-get install wrk postgresql). The load generator shares the machine with the service: on a
# 2-core box the figures are a floor for what a dedicated host does.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
# shellcheck source=bench/service.sh
. "$ROOT/bench/service.sh"

DBS=both
SCALE=0
ACTIVE=1000
RUNS=3
DURATION=30s
BUILD=1
WARMUP_MAX=600
# the JIT has settled when a round (15 s of each endpoint) compiles fewer methods than this: an
# empty compile queue alone is a moment, after which throughput still rose for a minute or two
JIT_SETTLED=60
AUTH_MODES=(default)
ROUNDS=1
PASS=0
OBSERVATION=0
ADMIN_TOKEN=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
JAVA_OPTS=${STEPWISE_BENCH_JAVA_OPTS:-"-Xms224m -Xmx224m -Xmn64m -XX:SurvivorRatio=4 -XX:+AlwaysPreTouch -Xss512k -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=32m -Djdk.nio.maxCachedBufferSize=262144 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"}

while [ $# -gt 0 ]; do
	case "$1" in
		--db) DBS=$2; shift 2 ;;
		--scale) SCALE=1; shift ;;
		--active) ACTIVE=$2; shift 2 ;;
		--runs) RUNS=$2; shift 2 ;;
		--duration) DURATION=$2; shift 2 ;;
		--no-build) BUILD=0; shift ;;
		--warmup-max) WARMUP_MAX=$2; shift 2 ;;
		--auth) AUTH_MODES=(off on); shift ;;
		--observation) OBSERVATION=1; shift ;;
		--rounds) ROUNDS=$2; shift 2 ;;
		-h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
		*) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
	esac
done
if [ "$OBSERVATION" = 1 ]; then
	[ "${AUTH_MODES[0]}" = off ] || { echo "--observation needs --auth" >&2; exit 2; }
	AUTH_MODES+=(observed)
fi
if [ "$ROUNDS" -gt 1 ]; then
	[ "${AUTH_MODES[0]}" = off ] || { echo "--rounds needs --auth" >&2; exit 2; }
	ONE_ROUND=("${AUTH_MODES[@]}")
	AUTH_MODES=()
	# odd rounds off first, even rounds on first (off on, on off, ...): a drift over the run
	# (the database's files growing, a neighbour's load) lands on both sides alike
	for round in $(seq 1 "$ROUNDS"); do
		if [ $((round % 2)) = 1 ]; then
			AUTH_MODES+=("${ONE_ROUND[@]}")
		else
			for ((i = ${#ONE_ROUND[@]} - 1; i >= 0; i--)); do AUTH_MODES+=("${ONE_ROUND[$i]}"); done
		fi
	done
fi
case "$DBS" in h2) DBS=(h2) ;; postgres) DBS=(postgres) ;; both) DBS=(h2 postgres) ;; *) echo "--db h2|postgres|both" >&2; exit 2 ;; esac

need wrk jcmd jstat curl python3

MODE_NAME=$([ "$SCALE" = 1 ] && echo scale || echo small)
SUMMARY=$RESULTS/$TS-$MODE_NAME-summary.md
WORK=$(mktemp -d /tmp/stepwise-bench.XXXXXX)
chmod 755 "$WORK"
SERVICE_PID=""
PG_BIN=""
PG_DATA=""

cleanup() {
	set +e
	stop_scraper
	stop_service
	if [ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
		as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_postgres() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}


# ---------------------------------------------------------------------------------------------
# PostgreSQL
PG_URL=${STEPWISE_BENCH_DATABASE_URL:-}
PG_USER=${STEPWISE_BENCH_DATABASE_USERNAME:-stepwise}
PG_PASSWORD=${STEPWISE_BENCH_DATABASE_PASSWORD:-stepwise}
PG_PSQL=()

start_postgres() {
	if [ -n "$PG_URL" ]; then
		log "PostgreSQL: using $PG_URL"
		return
	fi
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -x "$PG_BIN/initdb" ] || { log "no PostgreSQL server (apt-get install postgresql)"; exit 1; }
	PG_DATA=$WORK/pg
	local sock=$WORK/sock port
	mkdir -p "$PG_DATA" "$sock"
	touch "$WORK/postgres.log"
	if [ "$(id -u)" = 0 ]; then chown postgres: "$PG_DATA" "$sock" "$WORK/postgres.log"; fi
	port=$(free_port)
	as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
		-E UTF8 --locale=C.UTF-8 >/dev/null
	as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/postgres.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $sock -c shared_buffers=512MB -c max_wal_size=4GB -c max_connections=100" \
		start >/dev/null
	PG_PSQL=(as_postgres "$PG_BIN/psql" -q -h "$sock" -p "$port" -U postgres -v ON_ERROR_STOP=1)
	"${PG_PSQL[@]}" -d postgres -c "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'" \
		-c "CREATE DATABASE stepwise OWNER $PG_USER"
	PG_URL="jdbc:postgresql://127.0.0.1:$port/stepwise"
	log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (shared_buffers 512MB, fsync on)"
}

# A fresh database for each run, so that runs do not see each other's schedulers.
reset_postgres() {
	if [ ${#PG_PSQL[@]} -gt 0 ]; then
		"${PG_PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS stepwise" -c "CREATE DATABASE stepwise OWNER $PG_USER"
	fi
}

# ---------------------------------------------------------------------------------------------
# The service
BASE=""

# start_service DB [AUTH]: AUTH is default (as configured), off (and no meters) or on (admin token).
start_service() {
	local db=$1 auth=${2:-default} port data
	port=$(free_port)
	data=$WORK/data-$db-$auth-$PASS
	mkdir -p "$data"
	local env=(env -u STEPWISE_DATABASE_URL -u STEPWISE_DATABASE_USERNAME -u STEPWISE_DATABASE_PASSWORD -u SPRING_PROFILES_ACTIVE -u STEPWISE_AUTH_ADMIN_TOKEN)
	local args=()
	case "$auth" in
		# the rate limit off: one token carries the whole load here, which the default limit
		# (2,000 req/s per token) would hold back; its own cost is measured apart (README)
		on) env+=(STEPWISE_AUTH_ADMIN_TOKEN="$ADMIN_TOKEN" STEPWISE_AUTH_ENABLED=true); args+=(--stepwise.rate-limit.enabled=false) ;;
		observed) env+=(STEPWISE_AUTH_ADMIN_TOKEN="$ADMIN_TOKEN" STEPWISE_AUTH_ENABLED=true)
			args+=(--stepwise.rate-limit.enabled=false --management.observations.enable.http.server.requests=true) ;;
		off) env+=(STEPWISE_AUTH_ENABLED=false); args+=(--management.metrics.enable.all=false) ;;
		*) [ "$db" = postgres ] && env+=(STEPWISE_AUTH_ENABLED="${STEPWISE_AUTH_ENABLED:-false}") ;;
	esac
	if [ "$db" = postgres ]; then
		env+=(SPRING_PROFILES_ACTIVE=postgres STEPWISE_DATABASE_URL="$PG_URL" STEPWISE_DATABASE_USERNAME="$PG_USER" STEPWISE_DATABASE_PASSWORD="$PG_PASSWORD")
	fi
	# shellcheck disable=SC2086
	"${env[@]}" MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 java $JAVA_OPTS -jar "$JAR" --server.address=127.0.0.1 --server.port="$port" \
		--stepwise.data-dir="$data" "${args[@]}" >"$RESULTS/$TS-$MODE_NAME-$db-$auth-$PASS-service.log" 2>&1 &
	SERVICE_PID=$!
	BASE=http://127.0.0.1:$port
	await_healthy "$RESULTS/$TS-$MODE_NAME-$db-$auth-$PASS-service.log" 180
	log "service up on $BASE (pid $SERVICE_PID, $db, auth $auth, JAVA_OPTS: $JAVA_OPTS)"
	unset STEPWISE_BENCH_AUTHORIZATION
	if [ "$auth" = on ] || [ "$auth" = observed ]; then
		local secret
		secret=$(curl -fsS -X POST "$BASE/api/v1/tokens" -H "Authorization: Bearer $ADMIN_TOKEN" \
			-H 'Content-Type: application/json' -d '{"name": "bench", "scope": "bench-*", "access": "write"}' |
			python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])')
		export STEPWISE_BENCH_AUTHORIZATION="Bearer $secret"
	fi
}

# Scrapes /actuator/prometheus every 5 s, as a Prometheus server would, until stopped.
SCRAPER_PID=""
start_scraper() {
	(while sleep 5; do curl -fsS -o /dev/null "$BASE/actuator/prometheus" || true; done) &
	SCRAPER_PID=$!
}
stop_scraper() {
	[ -n "$SCRAPER_PID" ] && kill "$SCRAPER_PID" 2>/dev/null || true
	SCRAPER_PID=""
}


rss_mb() {
	echo $(($(ps -o rss= -p "$SERVICE_PID" | tr -d ' ') / 1024))
}

compile_queue_empty() {
	[ "$(jcmd "$SERVICE_PID" Compiler.queue 2>/dev/null | grep -cx 'Empty')" = 2 ]
}

# wrk_run MODE COUNT PREFIX DURATION OUTFILE: one wrk run; samples the peak RSS into $WORK/rss.
wrk_run() {
	local mode=$1 count=$2 prefix=$3 duration=$4 out=$5
	wrk -t2 -c64 -d"$duration" --latency -s "$ROOT/bench/wrk.lua" "$BASE" -- "$mode" "$count" "$prefix" >"$out" 2>&1 &
	local wrk_pid=$! peak=0 rss
	while kill -0 "$wrk_pid" 2>/dev/null; do
		rss=$(rss_mb)
		[ "$rss" -gt "$peak" ] && peak=$rss
		sleep 1
	done
	wait "$wrk_pid"
	echo "$peak" >"$WORK/rss"
}

# How many methods the JIT has compiled so far.
compiled_methods() {
	jstat -compiler "$SERVICE_PID" 2>/dev/null | awk 'NR == 2 { print $1 }'
}

warm_up() {
	local count=$1 prefix=$2 start=$SECONDS round=0 busy before after
	log "warming up (until the JIT has settled under load: its compile queues empty and fewer than $JIT_SETTLED methods compiled in a round of 15 s per endpoint; at most ${WARMUP_MAX}s)"
	after=$(compiled_methods)
	while [ $((SECONDS - start)) -lt "$WARMUP_MAX" ]; do
		round=$((round + 1))
		busy=""
		before=$after
		# every endpoint measured after: health's first run was still compiling its path
		for mode in lr steps $([ "$SCALE" = 0 ] && echo health); do
			wrk -t2 -c64 -d15s -s "$ROOT/bench/wrk.lua" "$BASE" -- "$mode" "$count" "$prefix" >"$WORK/warmup-$mode.txt" 2>&1 &
			local wrk_pid=$!
			sleep 12
			compile_queue_empty || busy="$busy $mode"
			wait "$wrk_pid"
			grep -q '^BENCH' "$WORK/warmup-$mode.txt" || { cat "$WORK/warmup-$mode.txt" >&2; exit 1; }
		done
		after=$(compiled_methods)
		log "  round $round: $([ -z "$busy" ] && echo "compile queues empty" || echo "still compiling under:$busy"), $((after - before)) methods compiled ($(field rps "$WORK/warmup-lr.txt" | cut -d. -f1) lr/s, $(field rps "$WORK/warmup-steps.txt" | cut -d. -f1) steps/s)"
		[ -z "$busy" ] && [ $((after - before)) -lt "$JIT_SETTLED" ] && break
	done
	log "warm-up done after $((SECONDS - start))s"
}

field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" "$2" | head -n 1; }

ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

ROWS=()

measure() {
	local db=$1 label=$2 mode=$3 count=$4 prefix=$5 run=$6
	local out=$RESULTS/$TS-$MODE_NAME-$db-${auth:-default}-$PASS-$mode-$run.txt
	log "measuring $mode on $db ($DURATION, run $run of $RUNS)"
	{
		echo "# $(date -u +%FT%TZ) $db $label: wrk -t2 -c64 -d$DURATION --latency -s bench/wrk.lua $BASE -- $mode $count $prefix"
		echo "# java: $(java -version 2>&1 | head -n 1); JAVA_OPTS: $JAVA_OPTS; $(nproc) cores"
	} >"$out"
	local cpu_before cpu_after wall_before=$SECONDS
	cpu_before=$(ps -o times= -p "$SERVICE_PID" | tr -d ' ')
	wrk_run "$mode" "$count" "$prefix" "$DURATION" "$out.tmp"
	cpu_after=$(ps -o times= -p "$SERVICE_PID" | tr -d ' ')
	cat "$out.tmp" >>"$out"
	rm -f "$out.tmp"
	grep -q '^BENCH' "$out" || { cat "$out" >&2; log "wrk failed"; exit 1; }
	local rps p50 p99 p999 non2xx peak cpu
	rps=$(field rps "$out"); p50=$(field p50_us "$out"); p99=$(field p99_us "$out"); p999=$(field p999_us "$out")
	non2xx=$(field non2xx "$out"); peak=$(cat "$WORK/rss")
	cpu=$(((cpu_after - cpu_before) * 100 / (SECONDS - wall_before)))
	echo "# peak RSS during the run: ${peak} MB; service CPU: ${cpu}% of one core" >>"$out"
	ROWS+=("| $db | $label | $mode | $run | $(printf '%.0f' "$rps") | $(ms "$p50") | $(ms "$p99") | $(ms "$p999") | $non2xx | $peak | $cpu |")
	log "  $mode: $(printf '%.0f' "$rps") req/s, p50 $(ms "$p50") ms, p99 $(ms "$p99") ms, p99.9 $(ms "$p999") ms, non-2xx $non2xx, peak RSS $peak MB, service CPU $cpu%"
}

# ---------------------------------------------------------------------------------------------
# Loading the scale database: 100,000 schedulers, 10,000,000 recorded steps.
SCALE_SCHEDULERS=${STEPWISE_BENCH_SCALE_SCHEDULERS:-100000}   # smaller for a dry run of the loader
SCALE_STEPS_EACH=100

load_scale() {
	local db=$1 start=$SECONDS
	log "registering $SCALE_SCHEDULERS schedulers through the API"
	python3 "$ROOT/bench/register.py" "$BASE" "$SCALE_SCHEDULERS" scale- >&2
	log "stepping 4 templates (one per kind) $SCALE_STEPS_EACH times through the API"
	python3 "$ROOT/bench/register.py" "$BASE" 4 tpl- --steps "$SCALE_STEPS_EACH" >&2
	log "copying the templates' steps to every scheduler in SQL (bench/scale.sql)"
	if [ "$db" = postgres ]; then
		if [ ${#PG_PSQL[@]} -gt 0 ]; then
			"${PG_PSQL[@]}" -d stepwise -f "$ROOT/bench/scale.sql" -c "VACUUM ANALYZE scheduler, scheduler_step"
		else
			PGPASSWORD=$PG_PASSWORD psql -q -v ON_ERROR_STOP=1 -U "$PG_USER" -d "${PG_URL#jdbc:}" \
				-f "$ROOT/bench/scale.sql" -c "VACUUM ANALYZE scheduler, scheduler_step"
		fi
	else
		# H2 allows one process per database file: stop the service, run the script, start it again.
		stop_service
		unzip -p "$JAR" 'BOOT-INF/lib/h2-*.jar' >"$WORK/h2.jar"
		java -Xmx2g -cp "$WORK/h2.jar" org.h2.tools.RunScript -url "jdbc:h2:file:$WORK/data-h2-default/stepwise" \
			-user sa -script "$ROOT/bench/scale.sql"
		java -cp "$WORK/h2.jar" org.h2.tools.Shell -url "jdbc:h2:file:$WORK/data-h2-default/stepwise" -user sa -sql "ANALYZE" >/dev/null
		start_service h2
	fi
	local last
	last=$(curl -fsS "$BASE/api/v1/schedulers/scale-$((SCALE_SCHEDULERS - 1))/lr" | python3 -c 'import json, sys; print(json.load(sys.stdin)["last_epoch"])')
	[ "$last" = "$SCALE_STEPS_EACH" ] || { log "loading failed: scale-$((SCALE_SCHEDULERS - 1)) is at epoch $last"; exit 1; }
	log "loaded in $((SECONDS - start))s: $SCALE_SCHEDULERS schedulers at epoch $SCALE_STEPS_EACH"
}

# ---------------------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
	log "building the jar"
	./mvnw -q -B -ntp -DskipTests package
fi
JAR=$(ls "$ROOT"/target/stepwise-*.jar | grep -v '\.original$' | head -n 1)
for db in "${DBS[@]}"; do
	if [ "$db" = postgres ]; then
		start_postgres
	fi
	for auth in "${AUTH_MODES[@]}"; do
		PASS=$((PASS + 1))
		[ "$db" = postgres ] && reset_postgres
		start_service "$db" "$auth"
		if [ "$SCALE" = 1 ]; then
			count=$ACTIVE prefix=scale- label="$((SCALE_SCHEDULERS / 1000))k schedulers, $((SCALE_SCHEDULERS * SCALE_STEPS_EACH / 1000000))M steps, load over $ACTIVE"
			load_scale "$db"
		else
			count=1000 prefix=bench- label="1,000 schedulers"
			python3 "$ROOT/bench/register.py" "$BASE" "$count" "$prefix" >&2
		fi
		case "$auth" in
			off) label="$label, auth and meters off" ;;
			on) label="$label, auth and meters on"; start_scraper ;;
			observed) label="$label, auth, meters and http.server.requests on"; start_scraper ;;
		esac
		[ "$ROUNDS" -gt 1 ] && label="$label, pass $PASS"
		log "RSS after loading: $(rss_mb) MB"
		warm_up "$count" "$prefix"
		for run in $(seq 1 "$RUNS"); do
			measure "$db" "$label" lr "$count" "$prefix" "$run"
			measure "$db" "$label" steps "$count" "$prefix" "$run"
			if [ "$SCALE" = 0 ]; then
				measure "$db" "$label" health "$count" "$prefix" "$run"
			fi
		done
		stop_scraper
		if [ "$db" = h2 ]; then
			log "H2 file after the runs: $(du -m "$WORK/data-h2-$auth-$PASS/stepwise.mv.db" | cut -f1) MB"
		fi
		stop_service
	done
done

{
	echo "Stepwise benchmark $TS ($MODE_NAME): $(nproc) cores, $(java -version 2>&1 | head -n 1), wrk -t2 -c64 -d$DURATION on the same machine"
	echo
	echo "| database | size | endpoint | run | req/s | p50 ms | p99 ms | p99.9 ms | non-2xx | peak RSS MB | service CPU % |"
	echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	for row in "${ROWS[@]}"; do echo "$row"; done
} | tee "$SUMMARY"
if [ "${AUTH_MODES[0]}" = off ]; then
	# the cost of auth + meters: each pass's req/s, and the change of the medians
	python3 - "$SUMMARY" <<'PY' | tee -a "$SUMMARY"
import collections, statistics, sys
passes = collections.defaultdict(list)
for line in open(sys.argv[1]):
    cells = [c.strip() for c in line.strip().strip('|').split('|')]
    if len(cells) < 5 or not cells[4].isdigit():
        continue
    db, label, endpoint, rps = cells[0], cells[1], cells[2], int(cells[4])
    mode = 'observed' if 'http.server.requests' in label else 'on' if 'meters on' in label else 'off'
    passes[(db, endpoint, mode)].append(rps)
print()
print('| database | endpoint | off: req/s of each run | on: req/s of each run | change of the medians |')
print('|---|---|---|---|---:|')
for (db, endpoint, mode), on in sorted(passes.items()):
    off = passes.get((db, endpoint, 'off'))
    if mode == 'off' or not off:
        continue
    change = 100 * (statistics.median(on) / statistics.median(off) - 1)
    label = endpoint if mode == 'on' else endpoint + ' (observed)'
    print(f"| {db} | {label} | {' / '.join(f'{v:,}' for v in off)} | {' / '.join(f'{v:,}' for v in on)} | {change:+.1f}% |")
PY
fi
log "raw results in $RESULTS/$TS-*"
