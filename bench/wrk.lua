-- wrk script for bench/run.sh: wrk ... -s bench/wrk.lua URL -- MODE COUNT PREFIX
--   MODE   lr      GET  /api/v1/schedulers/{id}/lr
--          steps   POST /api/v1/schedulers/{id}/steps  {"metric": 0.5}  (no epoch: each post takes the next step)
--          health  GET  /actuator/health/liveness
--   COUNT  ids PREFIX0 .. PREFIX(COUNT-1), taken round-robin (each thread starts at its own offset)
-- With STEPWISE_BENCH_AUTHORIZATION set (e.g. "Bearer <secret>"), every request sends it as its
-- Authorization header: one client for the rate limit, as the ranks of one job are.
-- Prints one machine-readable line, "BENCH key=value ...", latencies in microseconds.

local threads = {}

function setup(thread)
	thread:set("tid", #threads)
	table.insert(threads, thread)
end

local mode, count, prefix, counter
local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
if os.getenv("STEPWISE_BENCH_AUTHORIZATION") then
	headers["Authorization"] = os.getenv("STEPWISE_BENCH_AUTHORIZATION")
end

function init(args)
	mode = args[1] or "lr"
	count = tonumber(args[2] or "1000")
	prefix = args[3] or "bench-"
	counter = ((tid or 0) * 7919) % count
end

function request()
	counter = counter + 1
	local id = prefix .. (counter % count)
	if mode == "lr" then
		return wrk.format("GET", "/api/v1/schedulers/" .. id .. "/lr", headers)
	elseif mode == "steps" then
		return wrk.format("POST", "/api/v1/schedulers/" .. id .. "/steps", headers, '{"metric": 0.5}')
	else
		return wrk.format("GET", "/actuator/health/liveness", headers)
	end
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
		"BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d p999_us=%d max_us=%d non2xx=%d connect_err=%d read_err=%d write_err=%d timeouts=%d\n",
		summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
		latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max,
		e.status, e.connect, e.read, e.write, e.timeout))
end
