"""On PostgreSQL the points ledger, the stock moves and the award steps refuse UPDATE and
DELETE: corrections are new rows."""

from django.db import migrations

from core.ledger_triggers import append_only


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]

    operations = [
        append_only(
            "points_append_only",
            ("points_pointsentry", "points_stockmove", "points_awardstep"),
            "points ledger",
        )
    ]
