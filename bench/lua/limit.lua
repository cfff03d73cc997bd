-- Stops after $LIMIT responses (one wrk thread): creates exactly that many sessions.
local limit = tonumber(os.getenv("LIMIT"))
local count = 0
response = function(status, headers, body)
  count = count + 1
  if count >= limit then
    wrk.thread:stop()
  end
end
