-- wrk script for bench/load.py: requests the paths given after "--", and prints the run's
-- figures as one JSON line. Every run uses this script, the ceiling's too, so wrk's own cost
-- is the same for all.
--
--   -- /a /b /c             cycle through the paths
--   -- --zipf FILE S SEED   draw each request's path from FILE (one path a line, the most
--                           popular first) with a Zipf distribution of exponent S: the
--                           path of rank k is drawn with probability proportional to 1/k^S

local prepared = {}
local counter = 0
local cumulative = nil -- Zipf: cumulative weights by rank
local threads_made = 0

function setup(thread) -- in wrk's main state: number the threads
  threads_made = threads_made + 1
  thread:set("thread_number", threads_made)
end

local function zipf_load(file, exponent, seed)
  local total = 0
  cumulative = {}
  for path in io.lines(file) do
    if path ~= "" then
      prepared[#prepared + 1] = wrk.format(nil, path)
      total = total + 1 / ((#prepared) ^ exponent)
      cumulative[#prepared] = total
    end
  end
  for i = 1, #cumulative do
    cumulative[i] = cumulative[i] / total
  end
  -- Each thread its own sequence, the same from run to run.
  math.randomseed(seed + 7919 * (thread_number or 0))
end

function init(args)
  if args[1] == "--zipf" then
    zipf_load(args[2], tonumber(args[3]), tonumber(args[4]))
    return
  end
  for i, path in ipairs(args) do
    prepared[i] = wrk.format(nil, path)
  end
  if #prepared == 0 then
    prepared[1] = wrk.format(nil, wrk.path)
  end
end

local function zipf_rank()
  local u = math.random()
  local lo, hi = 1, #cumulative
  while lo < hi do -- the first rank whose cumulative weight reaches u
    local mid = math.floor((lo + hi) / 2)
    if cumulative[mid] < u then lo = mid + 1 else hi = mid end
  end
  return lo
end

function request()
  if cumulative then
    return prepared[zipf_rank()]
  end
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
