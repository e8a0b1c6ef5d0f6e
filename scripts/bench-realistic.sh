#!/usr/bin/env bash
# The realistic benchmark of issue 16, in one command, on this machine:
#   scripts/bench-realistic.sh [SCALE] [MONTHS]
# Starts a throwaway PostgreSQL cluster, loads the demo panel (scale 100 = 200,000 respondents,
# 3 months ≈ 4.4M viewing events by default), starts a release `serve` with the result cache off,
# registers and approves the panel over REST, then runs `bench mcp` on three statements with MCP,
# REST and PostgresNIO directly measured in the same run, plus the 30-query prompt.
# Output: the three reports on stdout. BIN: an existing binary; DURATION (s per level, 10), SESSIONS
# (1,4,16,64), PROMPT_RUNS (10); KEEP=1 keeps the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
scale=${1:-100}
months=${2:-3}
work=$(mktemp -d /tmp/mcpa-bench-realistic.XXXXXX)
chmod 755 "$work"  # the cluster runs as the postgres user when this runs as root
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || scripts/pg-cluster.sh stop "$work/pg" >/dev/null 2>&1 || true
}
trap cleanup EXIT

if [ -z "${BIN:-}" ]; then
  swift build -c release --product mcp-analytics >&2
  BIN=.build/release/mcp-analytics
fi
url=$(scripts/pg-cluster.sh start "$work/pg")
echo "… loading the demo panel (scale $scale, $months months)" >&2
"$BIN" demo-data --postgres "$url" --scale "$scale" --months "$months" --replace --store "sqlite:$work/load.sqlite" >&2
psql_url=$url
"$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)/psql" "$psql_url" -qc "VACUUM ANALYZE" >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
started_ns=$(date +%s%N)
"$BIN" serve --host 127.0.0.1 --port "$port" --no-auth --store "sqlite:$work/store.sqlite" --data-dir "$work/data" \
  --cache-ttl-seconds 0 --job-workers 1 --log-level warning >"$work/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
# Cold start: from launching the process to the answer of a first tools/list in a new MCP session.
python3 - "$base" "$started_ns" <<'PY'
import json, sys, time, urllib.request
base, started = sys.argv[1], int(sys.argv[2])
headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream", "Authorization": "Bearer x"}
def post(body, extra={}):
    request = urllib.request.Request(base + "/mcp", data=json.dumps(body).encode(), headers={**headers, **extra}, method="POST")
    return urllib.request.urlopen(request, timeout=5)
deadline = time.time() + 30
while True:
    try:
        reply = post({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                      "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "cold-start", "version": "1"}}})
        break
    except OSError:
        if time.time() > deadline:
            raise
        time.sleep(0.002)
session = {"Mcp-Session-Id": reply.headers["Mcp-Session-Id"], "MCP-Protocol-Version": "2025-11-25"}
post({"jsonrpc": "2.0", "method": "notifications/initialized"}, session)
tools = json.load(post({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, session))
print(f"cold start to the first tools/list ({len(tools['result']['tools'])} tools): {(time.time_ns() - started) / 1e6:.0f} ms")
PY

api() { curl -sf -H 'Content-Type: application/json' "$@"; }
api -X POST "$base/api/datasets" -d "{\"id\": \"panel\", \"name\": \"Benchmark panel\", \"connection_url\": \"$url\"}" >/dev/null
echo "… waiting for onboarding to reach human_review" >&2
for _ in $(seq 600); do
  state=$(api "$base/api/datasets/panel" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
  [ "$state" = human_review ] && break
  sleep 1
done
api -X POST "$base/api/datasets/panel/review" -d '{"decision": "approve", "note": "benchmark"}' >/dev/null

for statement in select-1 weighted-share; do
  "$BIN" bench mcp --url "$base" --token no-auth --dataset panel --statement "$statement" --postgres "$url" \
    --sessions "${SESSIONS:-1,4,16,64}" --duration "${DURATION:-10}" --warmup 20 --server-pid "$server_pid"
  echo
done
"$BIN" bench mcp --url "$base" --token no-auth --dataset panel --statement weighted-share --postgres "$url" \
  --sessions 1 --calls 5 --warmup 5 --prompt-runs "${PROMPT_RUNS:-10}" --server-pid "$server_pid"
if [ -x .venv/bin/python ]; then
  echo
  .venv/bin/python scripts/bench-python-sdk.py "$base" no-auth panel 500
fi
echo "server peak resident memory: $(awk '/VmHWM/ {print $2 / 1024 " MiB"}' /proc/$server_pid/status)"
