"""Wagtail's localisation is switched on: the Chinese and English locales exist, and every
existing page belongs to the Chinese one (its English translation is made by an editor)."""

from django.db import migrations

CHINESE = "zh-hans"
ENGLISH = "en"


def page_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    chinese, _created = Locale.objects.get_or_create(language_code=CHINESE)
    Locale.objects.get_or_create(language_code=ENGLISH)
    Page.objects.exclude(locale__language_code__in=[CHINESE, ENGLISH]).update(locale=chinese)


class Migration(migrations.Migration):
    dependencies = [
        ("frontend", "0004_english_fields"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(page_locales, migrations.RunPython.noop)]
