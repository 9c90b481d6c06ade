"""Address book entries keep the county's division code like delivery addresses; entries
already written get it from their names where those name one province–city–county of the
table, free text keeps an empty code."""

from django.db import migrations, models

from regions.divisions import division_by_names


def codes_from_names(apps, schema_editor):
    UserAddress = apps.get_model("address", "UserAddress")
    for address in UserAddress.objects.filter(region_code="").iterator(chunk_size=2000):
        division = division_by_names(address.state, address.line4, address.line3)
        if division:
            UserAddress.objects.filter(pk=address.pk).update(region_code=division.code)


class Migration(migrations.Migration):
    dependencies = [
        ("address", "0007_useraddress_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="useraddress",
            name="region_code",
            field=models.CharField(blank=True, max_length=6, verbose_name="区划代码"),
        ),
        migrations.RunPython(codes_from_names, migrations.RunPython.noop, elidable=True),
    ]
