#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster on a free loopback port.
#   scripts/pg-cluster.sh start DIR   -> prints the superuser URL (also written to DIR/url)
#   scripts/pg-cluster.sh stop DIR    -> stops it and removes DIR
# Runs the server as the 'postgres' OS user when invoked as root (initdb refuses root).
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?cluster directory}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/pg_ctl" ] || { echo "PostgreSQL server binaries not found; run scripts/install-deps.sh test" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

case "$cmd" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  pwfile="$dir/.pw"
  printf '%s\n' "$password" > "$pwfile"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$pwfile"
  as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
  rm -f "$pwfile"
  port=$(free_port)
  as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  url="postgres://postgres:$password@127.0.0.1:$port/postgres"
  printf '%s\n' "$url" > "$dir/url"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir/url"
  echo "$url"
  ;;
stop)
  if [ -d "$dir/data" ]; then
    as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
