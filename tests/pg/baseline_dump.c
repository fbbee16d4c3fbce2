/*
 * baseline_dump.c - print the PostgreSQL baseline (store/pg_schema.c) for
 * tests/pg/schema.test.mjs to load into a throwaway cluster.
 */
#include <stdio.h>

#include "store/store_internal.h"

int main(void)
{
	return fputs(pg_baseline, stdout) == EOF || fflush(stdout) != 0;
}
