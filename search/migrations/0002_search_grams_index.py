"""On PostgreSQL, a GIN index of every character and character pair of a document's search
text and pinyin (``search_grams``), so that ``LIKE '%term%'`` is checked only on documents
holding all the term's pairs (pg_trgm needs three characters, most Chinese terms have two).
SQLite keeps no such index: it scans."""

from django.db import migrations

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION search_grams(t text, p text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array(
        SELECT substr(x.s, i, n)
          FROM (SELECT coalesce(t, '') || ' ' || coalesce(p, '') AS s) AS x,
               generate_series(1, length(x.s)) AS i,
               (VALUES (1), (2)) AS v(n)
    )
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION, params=None)
    schema_editor.execute(
        "CREATE INDEX search_doc_grams ON search_productdocument "
        "USING gin (search_grams(text, pinyin))",
        params=None,
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS search_doc_grams", params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS search_grams(text, text)", params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
