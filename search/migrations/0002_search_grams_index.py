"""On PostgreSQL, a GIN index of every character and character pair of a document's search
text and, marked with ``p:``, of its pinyin (``search_grams``). A term of one or two
characters is found by the index alone; a longer one is checked with ``LIKE '%term%'`` only
on the documents holding all its pairs. (pg_trgm needs three characters; most Chinese terms
have two.) SQLite keeps no such index: it scans."""

from django.db import migrations

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION search_grams(t text, p text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array(
        SELECT substr(t, i, n) FROM generate_series(1, length(t)) AS i, (VALUES (1), (2)) AS v(n)
        UNION ALL
        SELECT 'p:' || substr(p, i, n)
          FROM generate_series(1, length(p)) AS i, (VALUES (1), (2)) AS v(n)
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
