"""On PostgreSQL, trigram indexes make the accent-free "contains" search of the folded
`search_text` columns (`text.search_filter`) indexed, for migrations to create.

pg_trgm needs a role that may create extensions; where it cannot be had, the search still
works, through the B-tree indexes of the rows in scope only.
"""

from django.db import DatabaseError, transaction


def trigram_indexes(*tables):
    """A migration's forward and backward functions: create (or drop) a trigram index on the
    `search_text` column of each of `tables`."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
            if cursor.fetchone() is None:
                return
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError:
            return  # not allowed to create extensions
        for table in tables:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_search_trgm "
                f"ON {table} USING gin (search_text gin_trgm_ops)"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")

    return create, drop
