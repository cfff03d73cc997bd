-- PUT /api/v1/preferences on one warm session ($COOKIE), alternating two themes.
wrk.method = "PUT"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = os.getenv("COOKIE")
local bodies = { '{"theme":"dark"}', '{"theme":"light"}' }
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, bodies[n % 2 + 1])
end
