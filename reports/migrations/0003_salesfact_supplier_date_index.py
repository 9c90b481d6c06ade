from django.db import migrations, models


class Migration(migrations.Migration):
    """The supplier portal reads one supplier's facts over a date range: an index range."""

    dependencies = [("reports", "0002_monthly_rollups")]

    operations = [
        migrations.AddIndex(
            model_name="salesfact",
            index=models.Index(fields=["supplier", "date"], name="reports_fact_supplier_idx"),
        ),
    ]
