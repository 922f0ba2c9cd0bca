#!/usr/bin/env bash
# A three-silo Sessions cluster on this machine, over one private PostgreSQL.
#
#   deploy/local/cluster.sh start [--build]   PostgreSQL (initdb the first time), then silo-1..3
#   deploy/local/cluster.sh stop              SIGTERM the silos, wait for them to leave, stop PostgreSQL
#   deploy/local/cluster.sh status            what runs, /healthz and /readyz, and the Orleans membership table
#
# silo-N is an Orleans silo named silo-N (POD_NAME) serving HTTP on http://127.0.0.1:508N, silo-to-silo on port
# 1111N and Orleans clients (its gateway) on port 3000N; every silo advertises 127.0.0.1. The silos form the Orleans
# cluster SESSIONS_CLUSTER_ID (default `local`, service id `sessions`) through the orleans_membership table of the
# database. The gateway is built (Release) when its dll is missing, or always with --build. Everything the script
# writes lives in deploy/local/.data: pg/ (the database cluster), pg.port, postgres.log, silo-N.pid, silo-N.log and
# admin.key, the admin key every silo accepts (SESSIONS_ADMIN_KEY; made on the first start, readable by its owner only):
#   curl -H "Authorization: Bearer $(cat deploy/local/.data/admin.key)" http://127.0.0.1:5081/api/participants
#
# PostgreSQL comes from the machine: initdb and pg_ctl on PATH, or the newest /usr/lib/postgresql/*/bin
# (apt-get install -y postgresql). They refuse to run as root, so a root caller runs them as the `postgres`
# user. The server listens on 127.0.0.1 only, with trust authentication: it is for this machine's silos.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
DATA_DIR="$SCRIPT_DIR/.data"
PG_DATA="$DATA_DIR/pg"
PG_LOG="$DATA_DIR/postgres.log"
PG_PORT_FILE="$DATA_DIR/pg.port"
PG_FIRST_PORT=55432
PG_SUPERUSER=postgres
DATABASE=sessions
HOST_PROJECT="$REPO_ROOT/src/Sessions.Host"
HOST_DLL="$HOST_PROJECT/bin/Release/net10.0/Sessions.Host.dll"
SILOS=(1 2 3)
CLUSTER_ID="${SESSIONS_CLUSTER_ID:-local}"
START_TIMEOUT_SECONDS="${SESSIONS_START_TIMEOUT:-120}"
# After SIGTERM a silo stops HTTP and leaves the Orleans cluster gracefully: 2-6 s under load.
STOP_TIMEOUT_SECONDS="${SESSIONS_STOP_TIMEOUT:-45}"

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

say() {
  echo "==> $*"
}

usage() {
  sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# --- PostgreSQL -------------------------------------------------------------------------------------------

# The folder holding initdb, pg_ctl and postgres of one installation, so that their versions match.
pg_bin_dir() {
  local initdb dir candidate
  if initdb=$(command -v initdb 2>/dev/null); then
    dir=$(dirname "$(readlink -f "$initdb")")
    if [[ -x $dir/pg_ctl && -x $dir/postgres ]]; then
      echo "$dir"
      return
    fi
  fi
  # Debian keeps the server programs off PATH, one folder per major version.
  dir=""
  while IFS= read -r candidate; do
    if [[ -x $candidate/initdb && -x $candidate/pg_ctl && -x $candidate/postgres ]]; then
      dir=$candidate
    fi
  done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -V)
  [[ -n $dir ]] || die "PostgreSQL server programs not found (initdb, pg_ctl): apt-get install -y postgresql"
  echo "$dir"
}

is_root() {
  [[ $(id -u) -eq 0 ]]
}

runuser_path() {
  local candidate
  for candidate in /usr/sbin/runuser /sbin/runuser /usr/bin/runuser /bin/runuser; do
    if [[ -x $candidate ]]; then
      echo "$candidate"
      return
    fi
  done
  die "running as root needs 'runuser' (util-linux) to start PostgreSQL as the 'postgres' user"
}

# Runs a PostgreSQL server program as the user that owns the data: `postgres` when we are root, else us.
as_pg() {
  if is_root; then
    # From /, since the caller's working directory may be closed to the postgres user.
    (cd / && "$(runuser_path)" -u "$PG_SUPERUSER" -- "$@")
  else
    "$@"
  fi
}

# Hands a file or folder to the postgres user when the server will run as that user.
give_to_pg() {
  if is_root; then
    chown "$PG_SUPERUSER:" "$@"
  fi
}

check_pg_user() {
  if ! is_root; then
    return
  fi
  id -u "$PG_SUPERUSER" >/dev/null 2>&1 \
    || die "running as root needs an OS user '$PG_SUPERUSER' to own the database (apt-get install -y postgresql creates it)"
  as_pg test -x "$DATA_DIR" \
    || die "the '$PG_SUPERUSER' user cannot enter $DATA_DIR: every folder on the way must be searchable (chmod o+x)"
}

pg_running() {
  [[ -s $PG_DATA/PG_VERSION ]] && as_pg "$1/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The port of the last run if it is still free (a stable connection string), else the first free one from 55432.
choose_pg_port() {
  local port
  if [[ -s $PG_PORT_FILE ]]; then
    port=$(<"$PG_PORT_FILE")
    if ! port_in_use "$port"; then
      echo "$port"
      return
    fi
  fi
  for ((port = PG_FIRST_PORT; port < PG_FIRST_PORT + 100; port++)); do
    if ! port_in_use "$port"; then
      echo "$port"
      return
    fi
  done
  die "no free port in $PG_FIRST_PORT-$((PG_FIRST_PORT + 99)) for PostgreSQL"
}

connection_string() {
  echo "Host=127.0.0.1;Port=$(<"$PG_PORT_FILE");Database=$DATABASE;Username=$PG_SUPERUSER"
}

start_postgres() {
  local bin port exists
  bin=$(pg_bin_dir)
  mkdir -p "$DATA_DIR"
  check_pg_user

  if [[ ! -s $PG_DATA/PG_VERSION ]]; then
    say "initdb $PG_DATA ($bin)"
    rm -rf "$PG_DATA"
    mkdir -m 700 "$PG_DATA"
    give_to_pg "$PG_DATA"
    as_pg "$bin/initdb" -D "$PG_DATA" -U "$PG_SUPERUSER" --auth=trust --encoding=UTF8 --locale=C \
      >"$DATA_DIR/initdb.log" 2>&1 || { cat "$DATA_DIR/initdb.log" >&2; die "initdb failed"; }
  fi

  if pg_running "$bin"; then
    say "PostgreSQL already running on 127.0.0.1:$(<"$PG_PORT_FILE")"
  else
    port=$(choose_pg_port)
    touch "$PG_LOG"
    give_to_pg "$PG_LOG"
    say "starting PostgreSQL on 127.0.0.1:$port"
    # TCP on loopback only; no Unix socket, whose default folder may not exist or be writable here.
    as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" start >/dev/null \
      || { tail -n 20 "$PG_LOG" >&2; die "PostgreSQL did not start (log: $PG_LOG)"; }
    echo "$port" >"$PG_PORT_FILE"
  fi

  port=$(<"$PG_PORT_FILE")
  exists=$("$bin/psql" -X -h 127.0.0.1 -p "$port" -U "$PG_SUPERUSER" -d postgres -Atc \
    "select 1 from pg_database where datname = '$DATABASE'")
  if [[ $exists != 1 ]]; then
    say "creating database $DATABASE"
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$PG_SUPERUSER" "$DATABASE"
  fi
}

stop_postgres() {
  local bin
  bin=$(pg_bin_dir)
  if pg_running "$bin"; then
    say "stopping PostgreSQL"
    as_pg "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
  else
    say "PostgreSQL is not running"
  fi
}

# --- silos ------------------------------------------------------------------------------------------------

# Each silo's ports, distinct from every other silo's: silos on one machine share the address they advertise.
http_port() {
  echo "$((5080 + $1))"
}

silo_port() {
  echo "$((11110 + $1))"
}

gateway_port() {
  echo "$((30000 + $1))"
}

silo_pid_file() {
  echo "$DATA_DIR/silo-$1.pid"
}

# Prints the silo's pid if it runs. The command line is checked too: after a reboot the pid may be another program's.
silo_pid() {
  local file pid
  file=$(silo_pid_file "$1")
  [[ -s $file ]] || return 1
  pid=$(<"$file")
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'Sessions.Host.dll' || return 1
  echo "$pid"
}

http_status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true
}

build_gateway() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is required"
  say "building $HOST_PROJECT (Release)"
  dotnet build -c Release --nologo -v quiet "$HOST_PROJECT" >"$DATA_DIR/build.log" 2>&1 \
    || { tail -n 30 "$DATA_DIR/build.log" >&2; die "build failed (log: $DATA_DIR/build.log)"; }
}

# The admin key the silos share: 256 random bits (base64url, prefixed like the keys a lone gateway generates),
# written once to $DATA_DIR/admin.key with mode 600 and read back at every start.
admin_key() {
  local file="$DATA_DIR/admin.key"
  if [[ ! -s $file ]]; then
    (umask 077 && printf 'ssa_%s\n' "$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" >"$file")
  fi
  tr -d '\n' <"$file"
}

start_silo() {
  local n=$1 connection=$2 pid_file log_file key
  pid_file=$(silo_pid_file "$n")
  key=$(admin_key)
  log_file="$DATA_DIR/silo-$n.log"
  rm -f "$pid_file"
  say "starting silo-$n: http://127.0.0.1:$(http_port "$n"), silo port $(silo_port "$n"), gateway port $(gateway_port "$n")"
  # setsid: the silos outlive this script and the terminal. The child records its own pid before becoming dotnet.
  # shellcheck disable=SC2016 # $$, $0 and $@ are the child shell's.
  ConnectionStrings__Sessions="$connection" \
    SESSIONS_CLUSTER_ID="$CLUSTER_ID" \
    SESSIONS_SILO_PORT="$(silo_port "$n")" \
    SESSIONS_GATEWAY_PORT="$(gateway_port "$n")" \
    SESSIONS_ADVERTISED_ADDRESS=127.0.0.1 \
    SESSIONS_ADMIN_KEY="$key" \
    POD_NAME="silo-$n" \
    setsid sh -c 'echo $$ >"$0"; exec "$@"' "$pid_file" \
    dotnet "$HOST_DLL" --urls "http://127.0.0.1:$(http_port "$n")" \
    </dev/null >"$log_file" 2>&1 &
}

# Waits until every silo answers /healthz, which it serves only once it has joined the Orleans cluster; a silo that
# exits first fails the start, with the end of its log.
wait_for_silos() {
  local n pid deadline=$((SECONDS + START_TIMEOUT_SECONDS))
  for n in "${SILOS[@]}"; do
    while [[ ! -s $(silo_pid_file "$n") ]] && ((SECONDS < deadline)); do
      sleep 0.1
    done
    while [[ $(http_status "http://127.0.0.1:$(http_port "$n")/healthz") != 200 ]]; do
      if ! pid=$(silo_pid "$n"); then
        tail -n 30 "$DATA_DIR/silo-$n.log" >&2
        die "silo-$n exited during start (log: $DATA_DIR/silo-$n.log); 'cluster.sh stop' stops the rest"
      fi
      ((SECONDS < deadline)) || die "silo-$n (pid $pid) did not answer /healthz in ${START_TIMEOUT_SECONDS}s (log: $DATA_DIR/silo-$n.log)"
      sleep 0.5
    done
    say "silo-$n answers on http://127.0.0.1:$(http_port "$n")/healthz"
  done
}

start_silos() {
  local n pid connection port to_start=()
  for n in "${SILOS[@]}"; do
    if pid=$(silo_pid "$n"); then
      say "silo-$n already running (pid $pid)"
      continue
    fi
    for port in "$(http_port "$n")" "$(silo_port "$n")" "$(gateway_port "$n")"; do
      if port_in_use "$port"; then
        die "port $port is taken by another program: silo-$n cannot start"
      fi
    done
    to_start+=("$n")
  done
  if ((${#to_start[@]} == 0)); then
    return
  fi
  if [[ ${1:-} == --build || ! -f $HOST_DLL ]]; then
    build_gateway
  fi
  connection=$(connection_string)
  for n in "${to_start[@]}"; do
    start_silo "$n" "$connection"
  done
  wait_for_silos
}

# SIGTERM to every silo at once (each leaves the Orleans cluster: ShuttingDown, its grains deactivated, then Dead
# in orleans_membership), then waits for all.
stop_silos() {
  local n pid waited=() deadline
  for n in "${SILOS[@]}"; do
    if pid=$(silo_pid "$n"); then
      say "SIGTERM silo-$n (pid $pid)"
      kill -TERM "$pid"
      waited+=("$n")
    fi
  done
  deadline=$((SECONDS + STOP_TIMEOUT_SECONDS))
  for n in "${waited[@]}"; do
    while pid=$(silo_pid "$n") && ((SECONDS < deadline)); do
      sleep 0.2
    done
    if pid=$(silo_pid "$n"); then
      echo "cluster.sh: silo-$n did not stop within ${STOP_TIMEOUT_SECONDS}s: SIGKILL" >&2
      kill -KILL "$pid"
    else
      say "silo-$n stopped"
    fi
  done
  for n in "${SILOS[@]}"; do
    rm -f "$(silo_pid_file "$n")"
  done
}

# --- commands ---------------------------------------------------------------------------------------------

cmd_start() {
  command -v curl >/dev/null 2>&1 || die "curl is required (to wait for /healthz)"
  start_postgres
  start_silos "$@"
  say "cluster '$CLUSTER_ID' up: $(connection_string)"
  say "admin key in $DATA_DIR/admin.key (send it as 'Authorization: Bearer <key>')"
}

cmd_stop() {
  mkdir -p "$DATA_DIR"
  stop_silos
  stop_postgres
}

# The cluster's rows of the Orleans membership table (written by the ADO.NET clustering provider): the newest
# generation of each silo endpoint, since a restart on the same address and port adds a generation and the older
# ones stay behind as Dead until Orleans removes them. The cluster id is the psql variable `cluster`.
membership_sql() {
  cat <<'SQL'
select m.deployment_id, m.silo_name, m.address, m.port, m.proxy_port as gateway_port, m.generation,
       m.status || ' ' || case m.status
         when 1 then 'Created' when 2 then 'Joining' when 3 then 'Active'
         when 4 then 'ShuttingDown' when 5 then 'Stopping' when 6 then 'Dead' else '?' end as status,
       to_char(m.iamalive_time, 'HH24:MI:SS') as iamalive_time,
       round(extract(epoch from now() - m.iamalive_time))::int as seconds_ago,
       m.generations
  from (select distinct on (address, port) *, count(*) over (partition by address, port) as generations
          from orleans_membership
         where deployment_id = :'cluster'
         order by address, port, generation desc) m
 order by m.silo_name, m.port;
SQL
}

show_membership() {
  local bin=$1
  echo
  echo "orleans_membership (newest generation of each silo; status 3 Active, 6 Dead):"
  membership_sql | "$bin/psql" -X -q -h 127.0.0.1 -p "$(<"$PG_PORT_FILE")" -U "$PG_SUPERUSER" -d "$DATABASE" \
    -v ON_ERROR_STOP=1 -v cluster="$CLUSTER_ID" -P footer=off -f - \
    || echo "(not readable: the silos' migrations create orleans_membership at their first start)"
}

# Exit status 0 when PostgreSQL and every silo run, 3 otherwise (as an init script's status).
cmd_status() {
  local bin n pid all=0 postgres=0
  bin=$(pg_bin_dir)
  if pg_running "$bin"; then
    printf '%-10s running  127.0.0.1:%s  %s\n' postgres "$(<"$PG_PORT_FILE")" "$PG_DATA"
    postgres=1
  else
    printf '%-10s stopped\n' postgres
    all=3
  fi
  for n in "${SILOS[@]}"; do
    if pid=$(silo_pid "$n"); then
      printf '%-10s running  pid %-8s http://127.0.0.1:%s  healthz %s  readyz %s  silo port %s  gateway port %s\n' \
        "silo-$n" "$pid" "$(http_port "$n")" \
        "$(http_status "http://127.0.0.1:$(http_port "$n")/healthz")" "$(http_status "http://127.0.0.1:$(http_port "$n")/readyz")" \
        "$(silo_port "$n")" "$(gateway_port "$n")"
    else
      printf '%-10s stopped\n' "silo-$n"
      all=3
    fi
  done
  if ((postgres)); then
    show_membership "$bin"
  fi
  return "$all"
}

main() {
  local command=${1:-}
  shift || true
  case $command in
    start) cmd_start "$@" ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

# Sourced (by tests, to call the functions above) it only defines; run, it acts.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi
