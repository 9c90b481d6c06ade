"""Compile the project's .po files to .mo with Babel, so no GNU gettext install is needed.

The project's messages are written in Chinese, the source language (``LANGUAGE_CODE``), and
only the English catalogue translates them. A Chinese page would find none of them in any
catalogue: each lookup then tries every catalogue Django merged (one per app with its own
plural formula) and every app's ``zh`` fallback before it gives the message back unchanged,
about a tenth of a product page's render. So the source language's .mo also carries each
project message as its own translation: the first catalogue answers (ours, from
LOCALE_PATHS). Only messages with Chinese in them: an English message there comes from
another app's catalogue, which may translate it.
"""

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import to_locale

CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _read(po_path: Path) -> Catalog:
    with po_path.open("rb") as po_file:
        return read_po(po_file)


def source_language_catalog(catalog: Catalog, others: list[Catalog]) -> Catalog:
    """``catalog`` (the source language's own entries, which win) with every Chinese
    singular message of ``others`` as its own translation. Plural messages are left out:
    their two source forms may differ, and a missing entry returns the right one."""
    for other in others:
        for message in other:
            if (
                not message.id
                or message.pluralizable
                or not CHINESE.search(message.id)
                or (message.id, message.context) in catalog
            ):
                continue
            catalog.add(message.id, string=message.id, context=message.context)
    return catalog


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files (Babel; no gettext needed)."

    def handle(self, *args, **options):
        source = to_locale(settings.LANGUAGE_CODE)
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            po_paths = sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po"))
            for po_path in po_paths:
                is_source = po_path.parts[-3] == source
                # The source language's .mo is built from the other catalogues too.
                others = [
                    p for p in po_paths if is_source and p.name == po_path.name and p != po_path
                ]
                mo_path = po_path.with_suffix(".mo")
                # Built anew when a source or the way it is built here changes.
                inputs = [Path(__file__), po_path, *others]
                if mo_path.exists() and all(
                    mo_path.stat().st_mtime >= p.stat().st_mtime for p in inputs
                ):
                    continue
                catalog = _read(po_path)
                if is_source:
                    catalog = source_language_catalog(catalog, [_read(p) for p in others])
                with mo_path.open("wb") as mo_file:
                    write_mo(mo_file, catalog)
                compiled += 1
        self.stdout.write(f"compiled {compiled} translation file(s)")
