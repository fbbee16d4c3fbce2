#!/bin/sh
# Run a command with a throwaway PostgreSQL cluster of its own (see
# cluster.sh): HIMOYA_TEST_PG names the cluster's postgres database, and
# the API tests' servers each make a database there (tests/lib/server.mjs).
# HIMOYA_TEST_PGDATA is the cluster's files, for the tests that look at
# what reaches the disk.  The cluster goes when the command ends.
#
#   sh tests/pg/with-cluster.sh node --test tests/api/persons.test.mjs
set -u
here=$(cd "$(dirname "$0")" && pwd)
base=${TMPDIR:-/tmp}
dir=$(mktemp -d "$base/himoya-pg.XXXXXX") || exit 1
chmod 755 "$dir"
url=$(sh "$here/cluster.sh" start "$dir/c") || { rm -rf "$dir"; exit 1; }
trap 'sh "$here/cluster.sh" stop "$dir/c" >/dev/null 2>&1; rm -rf "$dir"' EXIT INT TERM
HIMOYA_TEST_PG=$url HIMOYA_TEST_PGDATA=$dir/c/data "$@"
