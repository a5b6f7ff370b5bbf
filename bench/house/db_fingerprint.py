"""Prints a fingerprint of a PostgreSQL database: exact row count of every table, and an md5 of all rows (in id
order) of the tables given. Usage: db_fingerprint.py DBNAME table1 table2 ..."""

import sys

import psycopg

db, digest = sys.argv[1], set(sys.argv[2:])
with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={db}") as c:
    tables = [
        r[0]
        for r in c.execute(
            "select tablename from pg_tables where schemaname='public' and tablename not like 'django_migrations' order by 1"
        )
    ]
    for t in tables:
        n = c.execute(f'select count(*) from "{t}"').fetchone()[0]
        line = f"{t} {n}"
        if t in digest:
            cols = [
                r[0]
                for r in c.execute(
                    "select column_name from information_schema.columns where table_name=%s order by column_name",
                    [t],
                )
            ]
            order = "id" if "id" in cols else "1"
            h = c.execute(
                f"select md5(coalesce(string_agg(row_to_json(x)::text, '|' order by {order}), '')) from (select {', '.join(chr(34) + x + chr(34) for x in cols)} from \"{t}\") x"
            ).fetchone()[0]
            line += f" md5={h}"
        print(line, flush=True)
