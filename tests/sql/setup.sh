# Sourced by tests/sql/run and bench/sql: the engines' installs, kept under target/sql/.
#   sql_venv    a Python venv with the DuckDB CLI and PySpark from PyPI, in $SQL_VENV,
#               rebuilt only when the requirements change (pip's downloads cached)
#   sql_java    a Java runtime for Spark: Debian's default-jre-headless when there is none
#   apt_install Debian packages, quietly, with time limits, and no service started
# Needs ROOT (the repository).
SQL_DIR=$ROOT/target/sql
SQL_VENV=$SQL_DIR/venv
SQL_REQUIREMENTS="duckdb-cli==1.5.6 pyspark==4.3.0"
mkdir -p "$SQL_DIR"
say() { echo "sql: $*" >&2; }

apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    say "cannot install $* (no apt-get)"
    return 1
  fi
  say "installing $* (Debian)..."
  timeout 300 apt-get update -qq >/dev/null 2>&1 || true
  # No service may start from the install (postgresql would start a cluster of its own).
  local policy=/usr/sbin/policy-rc.d made=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made=1
  fi
  local status=0
  timeout 900 env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
    >"$SQL_DIR/apt.log" 2>&1 || status=$?
  [ -z "$made" ] || rm -f "$policy"
  if [ "$status" -ne 0 ]; then
    tail -20 "$SQL_DIR/apt.log" >&2
    return "$status"
  fi
}

sql_venv() {
  if [ "$(cat "$SQL_VENV/requirements" 2>/dev/null)" != "$SQL_REQUIREMENTS" ] \
    || ! "$SQL_VENV/bin/duckdb" --version >/dev/null 2>&1 \
    || ! "$SQL_VENV/bin/python" -c 'import pyspark' 2>/dev/null; then
    say "installing $SQL_REQUIREMENTS (PyPI) into $SQL_VENV..."
    rm -rf "$SQL_VENV"
    python3 -m venv "$SQL_VENV"
    # shellcheck disable=SC2086
    PIP_CACHE_DIR=$SQL_DIR/pip-cache timeout 900 "$SQL_VENV/bin/pip" install -q --disable-pip-version-check $SQL_REQUIREMENTS
    echo "$SQL_REQUIREMENTS" >"$SQL_VENV/requirements"
  fi
}

sql_java() {
  command -v java >/dev/null 2>&1 || apt_install default-jre-headless
}
