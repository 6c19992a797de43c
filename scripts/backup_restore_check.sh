#!/usr/bin/env bash
# Back up the PostgreSQL database of DATABASE_URL with pg_dump, restore the dump into a fresh
# database with pg_restore, and compare the two: the row count of every table, and the
# round_summary JSON of every round. Exit 0 when they are equal, 1 when anything differs.
#
#   DATABASE_URL=postgres://user@host:5432/relance scripts/backup_restore_check.sh [DUMP]
#
# DUMP (default: a temporary file) keeps the backup. The fresh database, named after the
# source with a _restore_check suffix, is dropped again at the end. The user of DATABASE_URL
# needs the right to create databases. See docs/operations.md, "Backup and restore".
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database to back up}"
case "$DATABASE_URL" in
    postgres://*|postgresql://*) ;;
    *) echo "DATABASE_URL is not a PostgreSQL database: $DATABASE_URL" >&2; exit 2 ;;
esac
PYTHON="${PYTHON:-$(command -v .venv/bin/python || command -v python3)}"

source_url="${DATABASE_URL%%\?*}"
source_name="${source_url##*/}"
server_url="${source_url%/*}"
restore_name="${source_name}_restore_check"
restore_url="$server_url/$restore_name"
work="$(mktemp -d)"
dump="${1:-$work/relance.dump}"

cleanup() {
    psql "$server_url/postgres" -q -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS \"$restore_name\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "== pg_dump $source_name -> $dump"
pg_dump --format=custom --no-owner --no-privileges --file "$dump" "$source_url"

echo "== pg_restore into a fresh database $restore_name"
psql "$server_url/postgres" -q -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS \"$restore_name\" WITH (FORCE)" \
    -c "CREATE DATABASE \"$restore_name\""
pg_restore --no-owner --no-privileges --exit-on-error --dbname "$restore_url" "$dump"

# One line per table of the public schema: its name and its exact row count.
row_counts() {
    psql "$1" -At -v ON_ERROR_STOP=1 <<'SQL'
SELECT table_name || ' ' || (xpath('/row/n/text()',
       query_to_xml(format('SELECT count(*) AS n FROM public.%I', table_name), false, true, '')
       ))[1]::text
FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
ORDER BY table_name;
SQL
}

# Every round's figures, as `manage.py round_summary CODE --json` prints them.
summaries() {
    local codes
    codes="$(psql "$1" -At -v ON_ERROR_STOP=1 \
        -c "SELECT code FROM projects_reportinground ORDER BY reference_date")"
    for code in $codes; do
        DATABASE_URL="$1" "$PYTHON" manage.py round_summary "$code" --json
    done
}

echo "== comparing row counts"
row_counts "$source_url" >"$work/source-counts"
row_counts "$restore_url" >"$work/restored-counts"
tables="$(wc -l <"$work/source-counts")"
rows="$(awk '{ n += $2 } END { print n + 0 }' "$work/source-counts")"
if ! diff -u "$work/source-counts" "$work/restored-counts"; then
    echo "FAILED: the restored database's row counts differ" >&2
    exit 1
fi

echo "== comparing round_summary of every round"
summaries "$source_url" >"$work/source-summaries"
summaries "$restore_url" >"$work/restored-summaries"
rounds="$(psql "$source_url" -At -c "SELECT count(*) FROM projects_reportinground")"
if ! diff -u "$work/source-summaries" "$work/restored-summaries"; then
    echo "FAILED: the restored database's round summaries differ" >&2
    exit 1
fi

echo "OK: restored $tables tables ($rows rows) and $rounds round summaries, all equal."
