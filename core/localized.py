"""English beside Chinese for text that editors and staff type in (menus, site settings, home
page sections, category names): a field ``<name>`` gets a companion ``<name>_en``, and
``localized(obj, "<name>")`` shows the English text to an English visitor, the Chinese text
to everyone else and wherever the English one was left empty.

Texts of the code itself go through gettext (``locale/en``); whole CMS pages are translated
with Wagtail's localisation instead (docs/cms.md).
"""

from collections.abc import Mapping

from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

ENGLISH_SUFFIX = "_en"
#: English runs longer than the Chinese it translates: the companion field holds this much more.
ENGLISH_LENGTH_FACTOR = 3


def default_language_active() -> bool:
    """Whether the visitor reads the site in its source language (Chinese): pages, lists and
    fields are shown as stored, with no look-up of translations."""
    return (get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE


def english_active() -> bool:
    """Whether the visitor reads the site in English (the header's language switch)."""
    return (get_language() or "").split("-")[0] == "en"


def english_field(field: models.Field, **overrides) -> models.Field:
    """The companion of ``field`` for its English text: the same kind of field, optional,
    longer, labelled "<label>（英文）"; ``overrides`` are further field options."""
    _name, _path, args, kwargs = field.deconstruct()
    kwargs.pop("null", None)
    kwargs.pop("db_index", None)
    kwargs.update(
        blank=True,
        default="",
        verbose_name=format_lazy("{}{}", field.verbose_name, _("（英文）")),
        help_text=_("英文网站显示的文字；留空时显示中文。"),
    )
    if kwargs.get("max_length"):
        kwargs["max_length"] *= ENGLISH_LENGTH_FACTOR
    kwargs.update(overrides)
    return field.__class__(*args, **kwargs)


def _value(obj, name: str):
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def localized(obj, name: str):
    """``obj.<name>_en`` for an English visitor when it is filled in, ``obj.<name>``
    otherwise. ``obj`` is a model instance or a mapping (a StreamField block's value)."""
    if obj is None:
        return ""
    if english_active():
        english = _value(obj, name + ENGLISH_SUFFIX)
        if english:
            return english
    return _value(obj, name)
