-- wrk script for bench/load.py: cycles through the paths given after "--" (so that a page
-- can be spread over many products) and prints the run's figures as one JSON line.
-- Every run uses this script, the ceiling's too, so wrk's own cost is the same for all.

local prepared = {}
local counter = 0

function init(args)
  for i, path in ipairs(args) do
    prepared[i] = wrk.format(nil, path)
  end
  if #prepared == 0 then
    prepared[1] = wrk.format(nil, wrk.path)
  end
end

function request()
  counter = counter % #prepared + 1
  return prepared[counter]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH-RESULT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors_connect": %d, "errors_read": %d, "errors_write": %d, ' ..
    '"errors_status": %d, "errors_timeout": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
