# Shared by bench/run.sh and bench/soak.sh (sourced): the service process they start.

# Stops the service in SERVICE_PID: SIGTERM, SIGKILL after STOP_WAIT seconds (default 30).
stop_service() {
	if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
		kill "$SERVICE_PID" 2>/dev/null || true
		for _ in $(seq 1 "${STOP_WAIT:-30}"); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 1; done
		kill -9 "$SERVICE_PID" 2>/dev/null || true
		wait "$SERVICE_PID" 2>/dev/null || true
	fi
	SERVICE_PID=""
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# need TOOL...: exits naming the first one missing.
need() {
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install wrk curl python3; jcmd comes with the JDK)" >&2; exit 1; }
	done
}

RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"
TS=$(date -u +%Y%m%dT%H%M%SZ)

# await_healthy LOG SECONDS: waits until $BASE/actuator/health answers; exits if the service in
# SERVICE_PID dies (see LOG) or is not healthy in time.
await_healthy() {
	local i
	for i in $(seq 1 "$2"); do
		curl -fsS -o /dev/null "$BASE/actuator/health" 2>/dev/null && return
		kill -0 "$SERVICE_PID" 2>/dev/null || { log "service exited; see $1"; exit 1; }
		sleep 1
	done
	log "service not healthy after $2 s"
	exit 1
}

# start_jar JAR DATA LOG JAVA_FLAGS...: starts the jar on a data dir and a free loopback port (BASE,
# SERVICE_PID), the rate limit off, and waits until it is healthy.
start_jar() {
	local jar=$1 data=$2 service_log=$3
	shift 3
	PORT=$(free_port)
	BASE="http://127.0.0.1:$PORT"
	java "$@" -jar "$jar" --server.address=127.0.0.1 --server.port="$PORT" --stepwise.data-dir="$data" \
		--stepwise.rate-limit.enabled=false >>"$service_log" 2>&1 &
	SERVICE_PID=$!
	await_healthy "$service_log" 180
	log "service up on $BASE (pid $SERVICE_PID, data $data)"
}
