#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests, on 127.0.0.1 only (installed from Debian when missing).
#   bash .ci/postgres.sh start   → prints the TEST_DATABASE_URL to use
#   bash .ci/postgres.sh stop | start-again   (the outage test stops and restarts it)
# Trust authentication on the loopback address only: this cluster holds nothing but test data.
set -euo pipefail
PGPORT="${PGPORT:-55432}"
PGDATA="${LATCHKEY_PGDATA:-/tmp/latchkey-pgdata}"

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ]; then
    echo "[postgres] apt-get install postgresql" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$dir"
}

as_postgres() {  # PostgreSQL refuses to run as root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

BIN=$(pg_bin)
case "${1:-start}" in
  start | start-again)
    if [ ! -s "$PGDATA/PG_VERSION" ]; then
      mkdir -p "$PGDATA"
      if [ "$(id -u)" = 0 ]; then chown postgres "$PGDATA"; fi
      as_postgres "$BIN/initdb" -D "$PGDATA" -U postgres --auth=trust >/dev/null
    fi
    if ! as_postgres "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
      as_postgres "$BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
        -o "-p $PGPORT -c listen_addresses=127.0.0.1 -k /tmp -c max_connections=300 -c fsync=off" start >/dev/null
    fi
    echo "postgres://postgres@127.0.0.1:$PGPORT/postgres"
    ;;
  stop)
    as_postgres "$BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
    ;;
  *)
    echo "usage: $0 start|stop|start-again" >&2
    exit 2
    ;;
esac
