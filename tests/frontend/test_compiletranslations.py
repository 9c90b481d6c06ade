"""The source language's catalogue answers the project's own (Chinese) messages itself."""

import io
import os
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import write_po
from django.core.management import call_command
from django.test import override_settings

from frontend.management.commands.compiletranslations import source_language_catalog


def _english() -> Catalog:
    english = Catalog(locale="en")
    english.add("加入购物车", "Add to basket")
    english.add("规格", "Spec", context="product")
    english.add("Basket", "Basket")  # an Oscar message our templates also use
    english.add(("%(n)s 件", "%(n)s 件商品"), ("%(n)s item", "%(n)s items"))
    return english


def test_chinese_messages_become_their_own_translation_and_corrections_win():
    chinese = Catalog(locale="zh_Hans")
    chinese.add("加入购物车", "放入购物车")  # a correction of our own wins

    merged = source_language_catalog(chinese, [_english()])

    assert merged.get("加入购物车").string == "放入购物车"
    assert merged.get("规格", context="product").string == "规格"
    # English messages are other apps' to translate; plural forms stay untranslated.
    assert merged.get("Basket") is None
    assert merged.get(("%(n)s 件", "%(n)s 件商品")) is None


def _write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po_file:
        write_po(po_file, catalog)


def test_the_command_builds_the_source_catalogue_from_the_others_and_rebuilds_it(tmp_path):
    english_po = tmp_path / "en/LC_MESSAGES/django.po"
    chinese_po = tmp_path / "zh_Hans/LC_MESSAGES/django.po"
    _write(english_po, _english())
    _write(chinese_po, Catalog(locale="zh_Hans"))

    with override_settings(LOCALE_PATHS=[tmp_path], LANGUAGE_CODE="zh-hans"):
        call_command("compiletranslations", stdout=io.StringIO())
        with chinese_po.with_suffix(".mo").open("rb") as mo_file:
            compiled = read_mo(mo_file)
        assert compiled.get("加入购物车").string == "加入购物车"
        assert compiled.get("Basket") is None

        # A new English message: the Chinese .mo is built again though its .po is older.
        english = _english()
        english.add("售罄", "Sold out")
        _write(english_po, english)
        later = chinese_po.with_suffix(".mo").stat().st_mtime + 5
        os.utime(english_po, (later, later))
        out = io.StringIO()
        call_command("compiletranslations", stdout=out)
        with chinese_po.with_suffix(".mo").open("rb") as mo_file:
            assert read_mo(mo_file).get("售罄").string == "售罄"
        assert "compiled 2" in out.getvalue()
