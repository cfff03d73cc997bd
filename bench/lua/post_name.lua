-- POST /name to the express-session peer with its session cookie in $COOKIE.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = os.getenv("COOKIE")
wrk.body = '{"name":"Ada"}'
