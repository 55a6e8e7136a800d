#!/usr/bin/env bash
# Load test of the reservation API's reserve call (100 active reservations, 50 paths per call).
#
#   scanner-service/load/reserve-load.sh [--url URL] [load client options]
#
# With --url (or DREP_URL) it measures a running scanner, e.g. the one of `./drep up` (`./drep status`
# prints its URL), with the token in DREP_TOKEN (e.g. the admin token `drep up` writes). Without, it starts this build's scanner alone on a free port against an embedded
# PostgreSQL and Artemis (ScannerInfra.java), measures it and stops everything it started.
# Load client options: --calls N (2000), --warmup N (500), --max-seconds S (120), --shape literal|mixed.
# --pgbench S (with the embedded database only): afterwards, pgbench (Debian's postgresql package) runs the reserve's
# own SQL against the same database for S seconds, one client, prepared statements — the database's share of a
# reserve without the scanner: lock, read of the live reservations, insert of the call's set, COMMIT (and, unmeasured
# by the HTTP client, the release's update), with per-statement latencies.
# Traffic goes to 127.0.0.1 only.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$root"
url="${DREP_URL:-}"
pgbench_seconds=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --pgbench) pgbench_seconds="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

bench_jar="$root/benchmarks/target/benchmarks.jar"
if [ ! -f "$bench_jar" ]; then
  ./mvnw -B -q -DskipTests -pl benchmarks package
fi

infra_pid=""
scanner_pid=""
cleanup() {
  if [ -n "$scanner_pid" ]; then kill "$scanner_pid" 2>/dev/null || true; fi
  if [ -n "$infra_pid" ]; then
    # closing its stdin stops PostgreSQL and Artemis cleanly; a kill only if that does not happen
    if [ -n "${infra_in:-}" ]; then exec {infra_in}>&-; fi
    for _ in $(seq 1 20); do
      kill -0 "$infra_pid" 2>/dev/null || break
      sleep 0.5
    done
    kill "$infra_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

if [ -z "$url" ]; then
  scanner_jar="$root/scanner-service/target/quarkus-app/quarkus-run.jar"
  if [ ! -f "$scanner_jar" ]; then
    ./mvnw -B -q -DskipTests -pl scanner-service package
  fi
  if [ ! -d "$root/embedded-infra/target/classes" ]; then
    ./mvnw -B -q -DskipTests -pl embedded-infra compile
  fi
  work="$(mktemp -d)"
  ./mvnw -B -q -pl embedded-infra dependency:build-classpath -Dmdep.outputFile="$work/classpath" >/dev/null
  classpath="$root/embedded-infra/target/classes:$(cat "$work/classpath")"

  # the infrastructure lives as long as this script holds its stdin open
  mkfifo "$work/infra-in"
  java -cp "$classpath" "$root/scanner-service/load/ScannerInfra.java" <"$work/infra-in" >"$work/infra.env" 2>"$work/infra.log" &
  infra_pid="$!"
  exec {infra_in}>"$work/infra-in"
  for _ in $(seq 1 120); do
    if grep -q '^READY$' "$work/infra.env"; then break; fi
    sleep 1
  done
  grep -q '^READY$' "$work/infra.env" || { echo "embedded PostgreSQL/Artemis did not start; see $work/infra.log" >&2; exit 2; }
  while IFS='=' read -r name value; do
    if [ "$name" != "READY" ]; then export "$name=$value"; fi
  done <"$work/infra.env"

  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  # health is on the management interface, a port of its own
  management_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  # a bootstrap admin token for this run only: the scanner knows its hash, the load client sends it
  DREP_TOKEN="drep_$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
  export DREP_TOKEN
  admin_hash="$(printf '%s' "$DREP_TOKEN" | sha256sum | cut -d' ' -f1)"
  QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT="$management_port" \
    QUARKUS_MANAGEMENT_HOST=127.0.0.1 DREP_PUBLISHER_URL=http://127.0.0.1:9 \
    DREP_ADMIN_TOKEN_SHA256="$admin_hash" java -jar "$scanner_jar" >"$work/scanner.log" 2>&1 &
  scanner_pid="$!"
  url="http://127.0.0.1:$port"
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$management_port/q/health/live" >/dev/null 2>&1; then break; fi
    sleep 1
  done
  curl -fsS "http://127.0.0.1:$management_port/q/health/live" >/dev/null || { echo "the scanner did not start; see $work/scanner.log" >&2; exit 2; }
  echo "scanner-service alone at $url (logs in $work)"
fi

java -cp "$bench_jar" dev.drep.benchmarks.ReservationLoad --url "$url" "${args[@]}"

if [ -n "$pgbench_seconds" ]; then
  if [ -z "${DREP_DB_JDBC_URL:-}" ]; then echo "--pgbench needs the embedded database (no --url)" >&2; exit 2; fi
  hostport="${DREP_DB_JDBC_URL#jdbc:postgresql://}"; hostport="${hostport%%/*}"
  export PGHOST="${hostport%%:*}" PGPORT="${hostport##*:}" PGUSER="$DREP_DB_USER" PGPASSWORD="$DREP_DB_PASSWORD"
  export PGDATABASE="${DREP_DB_JDBC_URL##*/}"; PGDATABASE="${PGDATABASE%%\?*}"
  repo="$(psql -Atc "SELECT repository FROM scanner.reservation WHERE holder = 'bench' LIMIT 1")"
  paths="$(psql -Atc "SELECT array_agg(DISTINCT pattern) FROM scanner.reservation WHERE holder = 'bench'")"
  echo "pgbench: the reserve's SQL on $repo ($(psql -Atc "SELECT count(*) FROM scanner.reservation WHERE repository = '$repo' AND ended_at IS NULL") live reservations, $(psql -Atc "SELECT count(*) FROM scanner.reservation") reservations in $(psql -Atc "SELECT count(*) FROM scanner.reservation_set") rows)"
  pgbench -n -M prepared -c 1 -T "$pgbench_seconds" -r -D repo="$repo" -D paths="$paths" \
    -f "$root/scanner-service/load/reserve.pgbench.sql" | sed -n '/latency average/,$p'
fi
