"""On PostgreSQL a restocking order's funding must add up to its total, and its total to its
order's, at commit (a deferred constraint trigger: the order row and its funding rows are
written one after the other in one transaction). SQLite relies on the service's check and
``reconcile_points``."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION points_restock_funding_check() RETURNS trigger AS $$
DECLARE
    rid bigint;
    restock_total numeric;
    order_total numeric;
    funded numeric;
BEGIN
    IF TG_TABLE_NAME = 'points_restockorder' THEN
        rid := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        rid := OLD.restock_id;
    ELSE
        rid := NEW.restock_id;
    END IF;
    SELECT r.total, o.total_incl_tax INTO restock_total, order_total
        FROM points_restockorder r JOIN order_order o ON o.id = r.order_id WHERE r.id = rid;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT COALESCE(SUM(amount), 0) INTO funded
        FROM points_restockfunding WHERE restock_id = rid;
    IF funded <> restock_total OR restock_total <> order_total THEN
        RAISE EXCEPTION 'restock order %: funding % and total % and order total % differ',
            rid, funded, restock_total, order_total USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER points_restockorder_funded
    AFTER INSERT OR UPDATE ON points_restockorder
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION points_restock_funding_check();
CREATE CONSTRAINT TRIGGER points_restockfunding_adds_up
    AFTER INSERT OR UPDATE OR DELETE ON points_restockfunding
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION points_restock_funding_check();
"""

DROP = """
DROP TRIGGER IF EXISTS points_restockfunding_adds_up ON points_restockfunding;
DROP TRIGGER IF EXISTS points_restockorder_funded ON points_restockorder;
DROP FUNCTION IF EXISTS points_restock_funding_check();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("points", "0003_restock_orders"), ("order", "0027_points_supermarket_channel")]

    operations = [migrations.RunPython(forwards, backwards)]
