/*
 * baseline_dump.c - print the PostgreSQL baseline (store/pg_baseline.sql) and
 * the migrations after it (store/migrate.c), the schema a PostgreSQL
 * database has after the last migration, for tests/pg/schema.test.mjs to
 * load into a throwaway cluster.
 */
#include <stdio.h>

#include "store/store_internal.h"

int main(void)
{
	const char *sql;
	size_t i;

	if (fputs(pg_baseline, stdout) == EOF)
		return 1;
	for (i = 0; (sql = pg_migration_after(i)) != NULL; i++)
		if (fputs(sql, stdout) == EOF || fputc('\n', stdout) == EOF)
			return 1;
	return fflush(stdout) != 0;
}
