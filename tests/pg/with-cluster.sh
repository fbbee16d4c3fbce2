#!/bin/sh
# Run a command with a throwaway PostgreSQL cluster of its own (see
# cluster.sh): HIMOYA_TEST_PG names the cluster's postgres database, and
# the API tests' servers each make a database there (tests/lib/server.mjs).
# HIMOYA_TEST_PGDATA is the cluster's files, for the tests that look at
# what reaches the disk.  The cluster goes when the command ends.  A
# statement whose parameter PostgreSQL could not type fails the run.
#
#   sh tests/pg/with-cluster.sh node --test tests/api/persons.test.mjs
set -u
here=$(cd "$(dirname "$0")" && pwd)
base=${TMPDIR:-/tmp}
dir=$(mktemp -d "$base/himoya-pg.XXXXXX") || exit 1
chmod 755 "$dir"
url=$(sh "$here/cluster.sh" start "$dir/c") || { rm -rf "$dir"; exit 1; }
trap 'sh "$here/cluster.sh" stop "$dir/c" >/dev/null 2>&1; rm -rf "$dir"' EXIT INT TERM
# SQLite functions some tests call on the database directly (to tamper
# with the audit log, say), in the template every test database copies:
# for the tests only, never in the product's schema.
tpl=$(printf '%s' "$url" | sed 's|@/postgres?|@/template1?|')
psql "$tpl" -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || exit 1
CREATE FUNCTION hex(bytea) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT upper(encode($1, 'hex')) $$;
CREATE FUNCTION hex(text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT upper(encode(convert_to($1, 'UTF8'), 'hex')) $$;
CREATE FUNCTION json_set(doc text, path text, v text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT jsonb_set(doc::jsonb, string_to_array(substr(path, 3), '.'), to_jsonb(v))::text $$;
CREATE FUNCTION group_concat_step(acc text, v text, sep text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v ELSE acc || sep || v END $$;
CREATE FUNCTION group_concat_step(acc text, v text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT group_concat_step(acc, v, ',') $$;
CREATE AGGREGATE group_concat(text, text) (SFUNC = group_concat_step, STYPE = text);
CREATE AGGREGATE group_concat(text) (SFUNC = group_concat_step, STYPE = text);
CREATE FUNCTION typeof(v anyelement) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE WHEN v IS NULL THEN 'null' WHEN pg_typeof(v) = 'bytea'::regtype THEN 'blob'
    WHEN pg_typeof(v) IN ('bigint'::regtype, 'integer'::regtype) THEN 'integer' ELSE 'text' END $$;
CREATE FUNCTION instr(a bytea, b bytea) RETURNS bigint LANGUAGE sql IMMUTABLE
  AS $$ SELECT position(b IN a)::bigint $$;
CREATE FUNCTION instr(a text, b text) RETURNS bigint LANGUAGE sql IMMUTABLE
  AS $$ SELECT strpos(a, b)::bigint $$;
CREATE FUNCTION json_remove(doc text, path text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT (doc::jsonb #- string_to_array(substr(path, 3), '.'))::text $$;
SQL
HIMOYA_TEST_PG=$url HIMOYA_TEST_PGDATA=$dir/c/data "$@"
rc=$?
# Every parameter's first mention in the store's SQL tells its type (see
# src/store/pg.c): a statement the server could not type is a failure,
# whatever the command made of it.
if grep -qE 'could not determine data type of parameter|inconsistent types deduced for parameter' "$dir/c/server.log"; then
	echo "with-cluster.sh: PostgreSQL could not type a parameter (its log):" >&2
	grep -E -A2 'could not determine data type of parameter|inconsistent types deduced for parameter' "$dir/c/server.log" | head -40 >&2
	exit 1
fi
exit $rc
