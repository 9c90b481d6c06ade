"""What every CMS content page shares: a Chinese-aware search field and listing helpers."""

from django.utils.html import strip_tags
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from core.localized import ENGLISH_SUFFIX

from ..search import cjk_terms


def with_english(*names: str) -> list[FieldPanel]:
    """Panels of fields with an English companion (``core.localized``): each Chinese field
    followed by its English one."""
    return [FieldPanel(field) for name in names for field in (name, name + ENGLISH_SUFFIX)]


class SearchableMixin:
    """Adds ``search_terms`` (character pairs of the title, summary and body) to the index."""

    search_text_fields: tuple[str, ...] = ("summary",)

    def search_terms(self) -> str:
        parts = [self.title, self.search_description or ""]
        for name in self.search_text_fields:
            parts.append(str(getattr(self, name, "") or ""))
        body = getattr(self, "body", None)
        if body is not None:
            field = self._meta.get_field("body")
            parts.extend(str(text) for text in field.get_searchable_content(body))
        return cjk_terms(strip_tags(" ".join(parts)))


SEARCH_FIELDS = [
    *Page.search_fields,
    index.SearchField("search_terms"),
]
