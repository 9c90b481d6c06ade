"""A migration operation that makes tables append-only on PostgreSQL: a trigger refuses
UPDATE and DELETE, so corrections are new rows. SQLite keeps no trigger (the refusal is
tested on PostgreSQL). TRUNCATE, which the test database flush uses, fires no row trigger."""

from django.db import migrations


def append_only(function: str, tables: tuple[str, ...], label: str) -> migrations.RunPython:
    create = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{label} is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(create, params=None)
        for table in tables:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {function}();"
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}();")

    return migrations.RunPython(forwards, backwards)
