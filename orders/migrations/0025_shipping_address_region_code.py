"""Delivery addresses keep the county's division code beside the names; addresses already
written get it from their names where those name one province–city–county of the table."""

from django.db import migrations, models

from regions.divisions import division_by_names


def codes_from_names(apps, schema_editor):
    ShippingAddress = apps.get_model("order", "ShippingAddress")
    for address in ShippingAddress.objects.filter(region_code="").iterator(chunk_size=2000):
        division = division_by_names(address.state, address.line4, address.line3)
        if division:
            ShippingAddress.objects.filter(pk=address.pk).update(region_code=division.code)


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0024_purchases_832"),
    ]

    operations = [
        migrations.AddField(
            model_name="shippingaddress",
            name="region_code",
            field=models.CharField(blank=True, max_length=6, verbose_name="区划代码"),
        ),
        migrations.RunPython(codes_from_names, migrations.RunPython.noop, elidable=True),
    ]
