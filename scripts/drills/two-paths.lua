-- wrk: alternate a page of cards and the health check, so both a database read and the cheapest
-- request cross every instance during a drill.
local paths = { "/api/users?limit=5", "/api/health" }
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
