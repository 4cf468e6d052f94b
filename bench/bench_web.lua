-- wrk script for bench_web.sh and bench_api.py: requests paths from $PATHS (one per line, chosen at
-- random; without it, the URL given to wrk), sends If-None-Match: $ETAG when set, and prints one JSON
-- line at the end. wrk counts answers with status > 399 in errors.status: reported as non_2xx (a 304 is fine).
local paths = {}
local etag = os.getenv("ETAG") or ""

function init(args)
  local file = os.getenv("PATHS")
  if file and file ~= "" then
    for line in io.lines(file) do paths[#paths + 1] = line end
  end
  math.randomseed(os.time() + tonumber(tostring(paths):sub(8), 16) % 1000)
  if etag ~= "" then wrk.headers["If-None-Match"] = etag end
end

function request()
  if #paths > 0 then
    return wrk.format("GET", paths[math.random(#paths)])
  end
  return wrk.format("GET")
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.2f, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, "errors": %d, "non_2xx": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, errors, summary.errors.status))
end
