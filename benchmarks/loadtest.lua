-- wrk script for benchmarks/loadtest.py: each request takes a random path from the file named by
-- LOADTEST_PATHS (one path a line), and the done() hook prints the figures as key=value lines
-- between markers, for loadtest.py to parse.

local paths = {}

local function read_paths()
  local file = assert(io.open(os.getenv("LOADTEST_PATHS"), "r"))
  for line in file:lines() do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  file:close()
  assert(#paths > 0, "no paths in " .. os.getenv("LOADTEST_PATHS"))
end

read_paths()

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed or os.time())
end

function request()
  return wrk.format("GET", paths[math.random(1, #paths)])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write("--- loadtest figures ---\n")
  io.write(string.format("requests=%d\n", summary.requests))
  io.write(string.format("duration_us=%d\n", summary.duration))
  io.write(string.format("bytes=%d\n", summary.bytes))
  io.write(string.format("errors_connect=%d\n", errors.connect))
  io.write(string.format("errors_read=%d\n", errors.read))
  io.write(string.format("errors_write=%d\n", errors.write))
  io.write(string.format("errors_timeout=%d\n", errors.timeout))
  -- wrk counts a response with a status over 399 here: anything but 2xx and 3xx.
  io.write(string.format("errors_status=%d\n", errors.status))
  for _, p in ipairs({50, 90, 95, 99, 99.9}) do
    io.write(string.format("latency_p%s_us=%d\n", tostring(p), latency:percentile(p)))
  end
  io.write(string.format("latency_max_us=%d\n", latency.max))
  io.write(string.format("latency_mean_us=%d\n", latency.mean))
  io.write("--- end ---\n")
end
