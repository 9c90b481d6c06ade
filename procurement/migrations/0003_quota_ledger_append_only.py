"""On PostgreSQL the quota ledger refuses UPDATE and DELETE: corrections are new entries.
SQLite keeps no trigger (tests of the refusal run on PostgreSQL)."""

from django.db import migrations

TABLES = ("procurement_quotaentry", "procurement_quotaentryline")

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION procurement_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'quota ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION procurement_ledger_append_only();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS procurement_ledger_append_only();")


class Migration(migrations.Migration):
    dependencies = [("procurement", "0002_policy_filings_ledger_orders")]

    operations = [migrations.RunPython(forwards, backwards)]
