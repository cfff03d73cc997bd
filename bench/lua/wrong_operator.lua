-- A wrong operator login on every request; counts the answers by status.
wrk.headers["Authorization"] = "Basic " .. "b3BzOndyb25nLXBhc3N3b3Jk" -- ops:wrong-password
local threads = {}
setup = function(thread) table.insert(threads, thread) end
n401, n429, n503, nother = 0, 0, 0, 0
response = function(status, headers, body)
  if status == 401 then n401 = n401 + 1
  elseif status == 429 then n429 = n429 + 1
  elseif status == 503 then n503 = n503 + 1
  else nother = nother + 1 end
end
done = function(summary, latency, requests)
  local totals = {401, 429, 503, "other"}
  local sums = {0, 0, 0, 0}
  for _, t in ipairs(threads) do
    sums[1] = sums[1] + t:get("n401"); sums[2] = sums[2] + t:get("n429")
    sums[3] = sums[3] + t:get("n503"); sums[4] = sums[4] + t:get("nother")
  end
  for i, s in ipairs(totals) do io.write(string.format("status %s: %d\n", s, sums[i])) end
end
