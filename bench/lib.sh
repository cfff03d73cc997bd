# Shared by the bench scripts: ports, readiness, new sessions, and the warm
# sessions the benchmarks use. Source it from the project's root.

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 300); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "not up: $1" >&2; return 1; }
cookie_of() { grep -i '^set-cookie: tailor_sid=' | head -1 | sed 's/^[Ss]et-[Cc]ookie: //; s/;.*//' | tr -d '\r'; }
# token_of COOKIE: the session's CSRF token, from tailor at $M.
token_of() { curl -s -H "Cookie: $1" "$M/api/v1/session" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p'; }
# new_session PATH: a new session (from GET PATH at $M) as "cookie<TAB>csrf".
new_session() {
  local c
  c=$(curl -s -D - -o /dev/null "$M$1" | cookie_of)
  printf '%s\t%s\n' "$c" "$(token_of "$c")"
}

# fill_session BASE_URL COOKIE: 100 visits (one a campaign landing), the drafts of
# both declared forms, a cart of 5 lines.
fill_session() {
  local T=$1 c=$2
  curl -s -o /dev/null -H "Cookie: $c" "$T/?utm_source=newsletter&utm_campaign=spring-sale"
  for _ in $(seq 99); do curl -s -o /dev/null -H "Cookie: $c" "$T/products/silk-tie"; done
  for form in contact feedback; do
    curl -s -o /dev/null -X PUT -H "Cookie: $c" -H 'Content-Type: application/json' -d '{"fields":{"email":"bench@example.org"}}' "$T/api/v1/drafts/$form"
  done
  for p in oxford-shirt silk-tie cufflinks chinos overcoat; do
    curl -s -o /dev/null -X POST -H "Cookie: $c" -H 'Content-Type: application/json' -d "{\"product\":\"$p\",\"quantity\":2}" "$T/api/v1/cart/items"
  done
}

# warm_sessions BASE_URL: sets read_cookie (preferences only), page_cookie (an
# anonymous visitor: fill_session) and login_cookie (the same, logged in to an
# account, whose cart it then is).
warm_sessions() {
  local T=$1
  read_cookie=$(curl -s -D - -o /dev/null -X PUT -H 'Content-Type: application/json' -d '{"theme":"dark","display_name":"Bench"}' "$T/api/v1/preferences" | cookie_of)
  page_cookie=$(curl -s -D - -o /dev/null -X PUT -H 'Content-Type: application/json' -d '{"theme":"dark","language":"es","display_name":"Bench"}' "$T/api/v1/preferences" | cookie_of)
  fill_session "$T" "$page_cookie"
  local anonymous token
  anonymous=$(curl -s -D - -o /dev/null -X PUT -H 'Content-Type: application/json' -d '{"theme":"dark","language":"es","display_name":"Bench"}' "$T/api/v1/preferences" | cookie_of)
  token=$(curl -s -H "Cookie: $anonymous" "$T/register" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
  login_cookie=$(curl -s -D - -o /dev/null -H "Cookie: $anonymous" --data-urlencode "csrf_token=$token" \
    --data-urlencode "username=bench-$RANDOM$RANDOM" --data-urlencode "password=a long enough password" "$T/register" | cookie_of)
  [ -n "$login_cookie" ] || { echo "warm_sessions: registration failed" >&2; return 1; }
  fill_session "$T" "$login_cookie"
}

# --- Counting instructions (bench/instructions, bench/personalisation) ----------
# They use the caller's $work (callgrind's output directory) and $n (requests).

# N keep-alive requests: METHOD URL [COOKIE] [JSON BODY] [HEADER: VALUE]
client() {
  python3 - "$@" <<'PY'
import http.client, sys, urllib.parse
n, method, url = int(sys.argv[1]), sys.argv[2], sys.argv[3]
cookie = sys.argv[4] if len(sys.argv) > 4 else ""
body = sys.argv[5] if len(sys.argv) > 5 else None
extra = sys.argv[6] if len(sys.argv) > 6 else ""
u = urllib.parse.urlsplit(url)
conn = http.client.HTTPConnection(u.hostname, u.port)
headers = {"Cookie": cookie} if cookie else {}
if body:
    headers["Content-Type"] = "application/json"
if extra:
    name, value = extra.split(":", 1)
    headers[name.strip()] = value.strip()
for _ in range(n):
    conn.request(method, u.path or "/", body=body, headers=headers)
    r = conn.getresponse()
    r.read()
    if r.status != 200:
        sys.exit(f"{method} {url}: {r.status}")
PY
}

# start NAME BINARY [ENV...]: the server under callgrind, collection off.
start() {
  local name=$1 bin=$2; shift 2
  local port; port=$(free_port)
  env "$@" ROCKET_PORT="$port" ROCKET_LOG_LEVEL=off ROCKET_PROFILE=release \
    ROCKET_SECRET_KEY="$(head -c64 /dev/urandom | base64 -w0)" \
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/$name.out" \
    "$bin" >/dev/null 2>"$work/$name.log" &
  echo "$! http://127.0.0.1:$port"
}

# count NAME PID METHOD URL [COOKIE] [BODY]: instructions per request.
count() {
  local name=$1 pid=$2; shift 2
  client 50 "$@"                       # warm: the first renders, the caches
  callgrind_control -i on "$pid" >/dev/null
  client "$n" "$@"
  callgrind_control -i off "$pid" >/dev/null
  callgrind_control -d "$pid" >/dev/null   # dump what was counted
  local total
  total=$(ls "$work/$name.out"* | xargs -n1 awk '/^(summary|totals):/ {print $2}' | sort -g | tail -1)
  callgrind_control -z "$pid" >/dev/null
  echo $(( total / n ))
}
