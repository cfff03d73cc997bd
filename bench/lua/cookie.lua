-- GET with the session cookie in $COOKIE.
wrk.headers["Cookie"] = os.getenv("COOKIE")
