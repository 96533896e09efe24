-- wrk script of bench/serve_load.py. Arguments after `--`: MODE (get or post), FILE, THREADS.
--   get:  FILE has one path per line; the connections cycle through them.
--   post: FILE has "PATH BODY" per line, one sign form each; every line is sent at most once
--         (the lines are split between wrk's threads), so each POST signs a different
--         signatory/paper. A thread that has used up its lines stops.
-- done() prints the counts of answers by kind and the latency percentiles as RESULT lines.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  mode = args[1]
  local nthreads = tonumber(args[3])
  items = {}
  local i = 0
  for line in io.lines(args[2]) do
    if i % nthreads == id then
      table.insert(items, line)
    end
    i = i + 1
  end
  position = 1
  sent, ok, again, other, exhausted = 0, 0, 0, 0, 0
end

function request()
  if mode == "get" then
    local path = items[(position - 1) % #items + 1]
    position = position + 1
    sent = sent + 1
    return wrk.format("GET", path)
  end
  local line = items[position]
  if line == nil then
    exhausted = 1
    wrk.thread:stop()
    return wrk.format("GET", "/")
  end
  position = position + 1
  local path, body = line:match("^(%S+) (%S+)$")
  sent = sent + 1
  return wrk.format("POST", path,
    { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function response(status, headers, body)
  if mode == "get" then
    if status == 200 then ok = ok + 1 else other = other + 1 end
  elseif exhausted == 1 then
    -- the one GET a stopping thread may still send
  elseif status == 200 and body:find("Vielen Dank", 1, true) then
    ok = ok + 1
  elseif body:find("Bereits gezeichnet", 1, true) then
    again = again + 1
  else
    other = other + 1
    if other <= 3 then
      io.stderr:write("unexpected answer " .. status .. ": " .. body:sub(1, 300) .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local s, o, a, x, e = 0, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    s = s + t:get("sent")
    o = o + t:get("ok")
    a = a + t:get("again")
    x = x + t:get("other")
    e = e + t:get("exhausted")
  end
  local errors = summary.errors
  io.write(string.format(
    "RESULT sent=%d ok=%d again=%d other=%d exhausted_threads=%d completed=%d " ..
    "connect=%d read=%d write=%d status=%d timeout=%d seconds=%.1f\n",
    s, o, a, x, e, summary.requests, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, summary.duration / 1e6))
  io.write(string.format("LATENCY p50=%.2f p90=%.2f p99=%.2f max=%.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
