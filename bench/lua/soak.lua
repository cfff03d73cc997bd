-- The mix bench/soak holds tailor at: first visits, page views of warm sessions
-- (their histories grow to the bound), preference writes, cart adds, checkouts
-- and about one login a second. Sessions come from $POOL (lines "cookie<TAB>csrf"),
-- single-use login sessions from $TICKETS (the same), starting at line
-- $TICKET_FROM; the account is $SOAK_USER / $SOAK_PASS. With $DELAY_MS, each
-- connection waits that long on average between its requests (a rate, not a flood). At the
-- end prints one line: "SOAK requests duration_us p50_us p99_us errors".
local function lines(path)
  local out = {}
  for line in io.lines(path) do
    local cookie, token = line:match("^([^\t]+)\t([^\t]+)$")
    if cookie then out[#out + 1] = { cookie, token } end
  end
  return out
end

local pool = lines(os.getenv("POOL"))
local tickets = lines(os.getenv("TICKETS"))
local ticket = tonumber(os.getenv("TICKET_FROM") or "1")
local user, pass = os.getenv("SOAK_USER"), os.getenv("SOAK_PASS")
local pause = tonumber(os.getenv("DELAY_MS") or "0")
-- CHECKOUTS=0: the checkouts' share goes to page views (no order is written).
local checkouts = os.getenv("CHECKOUTS") ~= "0"
local pages = { "/", "/products", "/products/silk-tie", "/products/chinos", "/cart", "/preferences", "/history" }
local products = { "oxford-shirt", "silk-tie", "cufflinks", "chinos", "overcoat" }
local themes = { "dark", "light", "system", "high-contrast" }
local last_login = 0
math.randomseed(os.time())

local function form(cookie, body)
  return { Cookie = cookie, ["Content-Type"] = "application/x-www-form-urlencoded" }, body
end

request = function()
  local s = pool[math.random(#pool)]
  local r = math.random(1000)
  if r <= 80 then
    -- A first visit: no cookie, a new session.
    return wrk.format("GET", "/?utm_source=soak&utm_campaign=c" .. math.random(20), {})
  elseif r <= 860 then
    return wrk.format("GET", pages[math.random(#pages)], { Cookie = s[1] })
  elseif r <= 910 then
    local body = '{"theme":"' .. themes[math.random(#themes)] .. '"}'
    return wrk.format("PUT", "/api/v1/preferences", { Cookie = s[1], ["Content-Type"] = "application/json" }, body)
  elseif r <= 985 then
    local body = '{"product":"' .. products[math.random(#products)] .. '","quantity":1}'
    return wrk.format("POST", "/api/v1/cart/items", { Cookie = s[1], ["Content-Type"] = "application/json" }, body)
  elseif r <= 995 and checkouts then
    return wrk.format("POST", "/cart/checkout", form(s[1], "csrf_token=" .. s[2]))
  elseif r <= 995 then
    return wrk.format("GET", "/", { Cookie = s[1] })
  end
  local now = os.time()
  if now > last_login and ticket <= #tickets then
    last_login = now
    local t = tickets[ticket]
    ticket = ticket + 1
    local body = "csrf_token=" .. t[2] .. "&username=" .. user .. "&password=" .. pass .. "&next=%2F"
    return wrk.format("POST", "/login", form(t[1], body))
  end
  return wrk.format("GET", "/", { Cookie = s[1] })
end

if pause > 0 then
  -- Exponential gaps with that mean: visitors arrive independently (a Poisson
  -- stream), where equal gaps keep the 32 connections in step and send them in
  -- bursts, whose queue then is most of the latency measured.
  delay = function() return math.floor(-math.log(1 - math.random()) * pause + 0.5) end
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("SOAK %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), errors))
end
