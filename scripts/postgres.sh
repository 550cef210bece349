# Sourced by test.sh and the benchmarks: a private PostgreSQL for one run, in its own data folder,
# listening on 127.0.0.1 only, trust auth, durability off (it is thrown away), stopped by stop_postgres.
# After start_postgres PORT, $POSTGRES_CONNECTION holds a connection string to it.

postgres_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

as_postgres_user() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  local port=$1 bin
  bin=$(postgres_bin)
  POSTGRES_DIR=$(mktemp -d /tmp/tacit-pg.XXXXXX)
  chown postgres:postgres "$POSTGRES_DIR" 2>/dev/null || true
  as_postgres_user "$bin/initdb" -D "$POSTGRES_DIR/data" -U postgres -A trust --no-sync >/dev/null \
    && as_postgres_user "$bin/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/log" -w \
         -o "-c listen_addresses=127.0.0.1 -p $port -k $POSTGRES_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null \
    || { cat "$POSTGRES_DIR/log" 2>/dev/null; return 1; }
  POSTGRES_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres"
}

stop_postgres() {
  [ -n "${POSTGRES_DIR:-}" ] || return 0
  as_postgres_user "$(postgres_bin)/pg_ctl" -D "$POSTGRES_DIR/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$POSTGRES_DIR"
}
