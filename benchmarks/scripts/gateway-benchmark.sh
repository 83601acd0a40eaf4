#!/usr/bin/env bash
# Gateway overhead, measured in one run on 127.0.0.1 against the stack `./servinglayer up` started:
# the demo model (a small linear classifier) called (a) directly on one inference instance,
# (b) through the gateway over HTTPS with JWT checks and rate limiting on, and (c) through
# nginx as a plain reverse proxy, with TLS on the gateway's own certificate, in front of the same
# two instances the gateway balances over. wrk, keep-alive, closed loop; at 32 connections and at
# 1, the three paths alternated twice (direct, gateway, nginx, direct, gateway, nginx), and the CPU
# time of the gateway's and nginx's processes read from /proc/<pid>/stat around each measured run.
#
#   apt-get install -y wrk nginx-light       # once
#   ./servinglayer up
#   benchmarks/scripts/gateway-benchmark.sh  # BENCHMARK_SECONDS (10), BENCHMARK_WARMUP_SECONDS (30),
#                                            # BENCHMARK_CONNECTIONS ("32 1"), BENCHMARK_ROUNDS (2),
#                                            # BENCHMARK_GATEWAY_WARMUP_SECONDS (180, once, first)
set -euo pipefail
cd "$(dirname "$0")/../.."
STATE=.servinglayer
SECONDS_MEASURED="${BENCHMARK_SECONDS:-10}"
CONNECTION_COUNTS="${BENCHMARK_CONNECTIONS:-32 1}"
ROUNDS="${BENCHMARK_ROUNDS:-2}"
# The gateway's JIT needs the better part of a minute under load before it stops competing for the cores.
WARMUP="${BENCHMARK_WARMUP_SECONDS:-30}"
WORK="$(mktemp -d)"
trap '[ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v nginx >/dev/null || { echo "nginx is missing: apt-get install -y nginx-light" >&2; exit 1; }
[ -f "$STATE/credentials.env" ] || { echo "run ./servinglayer up first" >&2; exit 1; }
# shellcheck disable=SC1091
source "$STATE/credentials.env"
token() { curl -sf --max-time 10 -u "$1:$2" -d grant_type=client_credentials "$ISSUER_URL/oauth2/token" \
  | sed -E 's/.*"access_token":"([^"]+)".*/\1/'; }

# A client whose rate plan the benchmark cannot exhaust: the limiter still runs on every request.
OPS="$(token "$OPS_CLIENT_ID" "$OPS_CLIENT_SECRET")"
created="$(curl -s --max-time 10 -X POST "$ISSUER_URL/api/v1/clients" -H "Authorization: Bearer $OPS" \
  -H 'Content-Type: application/json' -d '{"clientId": "benchmark", "tenant": "benchmark", "scopes": ["predict"],
  "ratePlan": {"requestsPerSecond": 1000000, "burst": 1000000}}')"
if ! grep -q clientSecret <<<"$created"; then
  created="$(curl -s --max-time 10 -X POST "$ISSUER_URL/api/v1/clients/benchmark:rotate-secret" -H "Authorization: Bearer $OPS")"
fi
SECRET="$(sed -E 's/.*"clientSecret":"([^"]+)".*/\1/' <<<"$created")"
TOKEN="$(token benchmark "$SECRET")"
sleep 2 # the gateway learns of the new client from the routing snapshot

BODY='{"inputs":[{"name":"input","shape":[1,3],"datatype":"FP32","data":[120,35.5,4]}]}'
# A request id on every path: the gateway passes a caller's id on, and an instance keeps the served
# prediction of a call that has one (for feedback), so direct, gateway and nginx calls cost the
# instances the same.
cat >"$WORK/request.lua" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["X-Request-Id"] = "benchmark"
LUA

# nginx with the gateway's certificate and key, proxying to both instances over kept-alive connections.
openssl pkcs12 -in "$STATE/gateway/gateway-tls.p12" -nodes -passin "file:$STATE/gateway/gateway-tls.password" \
  -out "$WORK/gateway.pem" 2>/dev/null
cat >"$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  upstream inference { server 127.0.0.1:8082; server 127.0.0.1:8083; keepalive 64; }
  server {
    listen 127.0.0.1:18443 ssl;
    ssl_certificate $WORK/gateway.pem;
    ssl_certificate_key $WORK/gateway.pem;
    location / { proxy_pass http://inference; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
NGINX
nginx -c "$WORK/nginx.conf"

GATEWAY_PID="$(cat "$STATE/run/gateway.pid")"
# cpu_ticks PID...: user + system time of the processes so far, in clock ticks.
cpu_ticks() { local total=0 pid; for pid in "$@"; do
  total=$(( total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat") )); done; echo "$total"; }
nginx_pids() { echo "$(cat "$WORK/nginx.pid") $(pgrep -P "$(cat "$WORK/nginx.pid")" | tr '\n' ' ')"; }
TICKS="$(getconf CLK_TCK)"

run() { # label url connections round
  local threads=$(( $3 < 2 ? 1 : 2 )) pids="" before after
  case "$1" in gateway) pids="$GATEWAY_PID" ;; nginx) pids="$(nginx_pids)" ;; esac
  wrk -t"$threads" -c"$3" -d"${WARMUP}s" --timeout 10s -s "$WORK/request.lua" "$2" >/dev/null # warm-up
  # shellcheck disable=SC2086
  [ -n "$pids" ] && before="$(cpu_ticks $pids)"
  wrk -t"$threads" -c"$3" -d"${SECONDS_MEASURED}s" --latency --timeout 10s -s "$WORK/request.lua" "$2" >"$WORK/$1-$3-$4.txt"
  # shellcheck disable=SC2086
  if [ -n "$pids" ]; then after="$(cpu_ticks $pids)"; echo $(( after - before )) >"$WORK/$1-$3-$4.cpu"; fi
  if grep -q "Non-2xx" "$WORK/$1-$3-$4.txt"; then echo "$1: $(grep Non-2xx "$WORK/$1-$3-$4.txt")" >&2; fi
}
rps() { awk '/Requests\/sec/ {print $2}' "$WORK/$1.txt"; }
requests() { awk '/requests in/ {print $1}' "$WORK/$1.txt"; }
ms() { # run percentile -> milliseconds
  awk -v p="$2" '$1 == p { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } print v }' "$WORK/$1.txt"
}
# microseconds of the proxy's CPU per request in a run, or "-" for direct
cpu_us() { if [ -f "$WORK/$1.cpu" ]; then awk -v t="$(cat "$WORK/$1.cpu")" -v n="$(requests "$1")" -v hz="$TICKS" \
  'BEGIN { printf "%.0f", t / hz * 1e6 / n }'; else echo "-"; fi; }

# A gateway just started keeps compiling its hot paths for two minutes and more under load on two
# cores (on 2026-12-02, 60 s left the first round at 1.4 times the CPU per request of the second);
# this first warm-up keeps that out of the figures, which are of the gateway in its steady state.
wrk -t2 -c32 -d"${BENCHMARK_GATEWAY_WARMUP_SECONDS:-180}s" --timeout 10s -s "$WORK/request.lua" \
  "https://localhost:8443/v2/models/fraud/infer" >/dev/null
for connections in $CONNECTION_COUNTS; do
  for round in $(seq 1 "$ROUNDS"); do
    run direct "http://127.0.0.1:8082/v2/models/fraud/infer" "$connections" "$round"
    run gateway "https://localhost:8443/v2/models/fraud/infer" "$connections" "$round"
    run nginx "https://localhost:18443/v2/models/fraud/infer" "$connections" "$round"
  done
done

for connections in $CONNECTION_COUNTS; do
  printf '\n| path (%s connections), round | requests/s | p50 ms | p99 ms | proxy CPU µs/request | vs nginx: throughput | vs nginx: CPU/request | p50 overhead vs direct, ms |\n' "$connections"
  printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
  for round in $(seq 1 "$ROUNDS"); do
    for label in direct gateway nginx; do
      id="$label-$connections-$round"; nx="nginx-$connections-$round"; dr="direct-$connections-$round"
      awk -v l="$label, $round" -v r="$(rps "$id")" -v p50="$(ms "$id" 50%)" -v p99="$(ms "$id" 99%)" \
          -v cpu="$(cpu_us "$id")" -v nr="$(rps "$nx")" -v ncpu="$(cpu_us "$nx")" -v dp50="$(ms "$dr" 50%)" \
          'BEGIN { ratio = (cpu == "-" || ncpu == "-" || ncpu == 0) ? "-" : sprintf("%.1f", cpu / ncpu);
                   printf "| %s | %.0f | %.2f | %.2f | %s | %.2f | %s | %.2f |\n", l, r, p50, p99, cpu, r / nr, ratio, p50 - dp50 }'
    done
  done
done

# The gateway against the issue's targets, as the median over the rounds of each ratio: one round
# on this shared machine can land far from the others on either side.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
  else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '\n| gateway, median of %s rounds | connections | vs nginx: throughput | vs nginx: CPU/request | p50 overhead vs direct, ms |\n' "$ROUNDS"
printf '| --- | ---: | ---: | ---: | ---: |\n'
for connections in $CONNECTION_COUNTS; do
  throughput="$(for round in $(seq 1 "$ROUNDS"); do
    awk -v a="$(rps "gateway-$connections-$round")" -v b="$(rps "nginx-$connections-$round")" 'BEGIN { printf "%.2f\n", a / b }'; done | median)"
  cpu="$(for round in $(seq 1 "$ROUNDS"); do
    awk -v a="$(cpu_us "gateway-$connections-$round")" -v b="$(cpu_us "nginx-$connections-$round")" 'BEGIN { printf "%.2f\n", a / b }'; done | median)"
  overhead="$(for round in $(seq 1 "$ROUNDS"); do
    awk -v a="$(ms "gateway-$connections-$round" 50%)" -v b="$(ms "direct-$connections-$round" 50%)" 'BEGIN { printf "%.2f\n", a - b }'; done | median)"
  printf '| gateway | %s | %s | %s | %s |\n' "$connections" "$throughput" "$cpu" "$overhead"
done
echo
echo "Targets (issue 13): CPU/request <= 3x nginx's and throughput >= 0.5x nginx's at 32 connections; p50 overhead <= 0.3 ms at 1 connection."
