"""内容页面: the CMS page tree, site settings, editorial roles and demo editor accounts.

Pages are found by slug under their parent and created when missing; once created they
belong to the editors, so a rerun leaves them (and their revisions) alone.
"""

import datetime
import json
import uuid

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from oscar.core.loading import get_model
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, Site

from accounts.models import User
from frontend.models import (
    CountyPavilionPage,
    HomePage,
    NewsAttachment,
    NewsIndexPage,
    NewsPage,
    PavilionIndexPage,
    SiteChrome,
    StandardPage,
    StoryIndexPage,
    StoryPage,
    StoryProduct,
)
from frontend.services import editorial_setup, rich_text_clean
from regions.models import Region

from .. import data
from ..data import cms as content
from .base import Tally

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
Document = get_document_model()

_DEMO_SALT = "huinongDemoAccountsSalt2025"  # as in people.py: a rerun compares hashes


def seed_cms(*, home: HomePage, tally: Tally) -> int:
    """The page tree under ``home``; returns the number of CMS pages below it."""
    editorial_setup(root=home)
    _seed_editorial_users(tally)
    documents = _seed_documents(tally)
    products = {p.title: p for p in Product.objects.filter(title__in=_product_titles())}
    suppliers = {p.name: p for p in Partner.objects.filter(name__in=_supplier_names())}
    ctx = {"documents": documents, "products": products, "suppliers": suppliers, "home": home}

    news_index = _child(home, NewsIndexPage, content.NEWS_INDEX, tally)
    pavilion_index = _child(home, PavilionIndexPage, content.PAVILION_INDEX, tally)
    story_index = _child(home, StoryIndexPage, content.STORY_INDEX, tally)
    for entry in content.STANDARD_PAGES:
        fields = {
            "slug": entry["slug"],
            "title": entry["title"],
            "summary": entry["summary"],
            "body": lambda entry=entry: _body(entry["body"], ctx),
        }
        _child(home, StandardPage, fields, tally)
    _seed_english_pages(home, ctx, tally)
    for entry in content.NEWS:
        fields = {
            "slug": entry["slug"],
            "title": entry["title"],
            "category": entry["category"],
            "date": datetime.date.fromisoformat(entry["date"]),
            "summary": entry["summary"],
            "body": lambda entry=entry: _body(entry["body"], ctx),
            "attachments": lambda entry=entry: [
                NewsAttachment(document=documents[key], title=label, sort_order=i)
                for i, (key, label) in enumerate(entry.get("attachments", []))
            ],
        }
        _child(news_index, NewsPage, fields, tally)
    regions = {r.code: r for r in Region.objects.counties()}
    for entry in content.PAVILIONS:
        fields = {
            "slug": entry["slug"],
            "title": entry["title"],
            "region": regions[entry["region"]],
            "slogan": entry["slogan"],
            "introduction": rich_text_clean(entry["introduction"]),
        }
        _child(pavilion_index, CountyPavilionPage, fields, tally)
    for entry in content.STORIES:
        fields = {
            "slug": entry["slug"],
            "title": entry["title"],
            "date": datetime.date.fromisoformat(entry["date"]),
            "summary": entry["summary"],
            "supplier": suppliers.get(entry["supplier"]),
            "body": lambda entry=entry: _body(entry["body"], ctx),
            "linked_products": lambda entry=entry: [
                StoryProduct(product=products[title], sort_order=i)
                for i, title in enumerate(entry["products"])
                if title in products
            ],
        }
        _child(story_index, StoryPage, fields, tally)

    _seed_home_slides(home, tally)
    _seed_site_chrome(home, tally)
    return home.get_descendants().count()


def _child(parent: Page, model, fields: dict, tally: Tally) -> Page:
    existing = parent.get_children().filter(slug=fields["slug"]).first()
    if existing is not None:
        return existing.specific
    values = {k: (v() if callable(v) else v) for k, v in fields.items()}
    page = model(**values)
    parent.add_child(instance=page)
    page.save_revision().publish()
    tally.created += 1
    return page


def _seed_english_pages(home: HomePage, ctx: dict, tally: Tally) -> None:
    """English translations of the standard pages of ``content.ENGLISH_PAGES``, published.
    The English home page they live under is an alias of the Chinese one (Wagtail keeps it
    in step), whose English texts are its ``*_en`` fields."""
    english = Locale.objects.get(language_code="en")
    for slug, entry in content.ENGLISH_PAGES.items():
        page = home.get_children().filter(slug=slug).first()
        if page is None or page.get_translation_or_none(english) is not None:
            continue
        translation = page.specific.copy_for_translation(english, copy_parents=True)
        translation.title = entry["title"]
        translation.summary = entry["summary"]
        translation.body = _body(entry["body"], ctx)
        translation.save_revision().publish()
        tally.created += 1


def _uid() -> str:
    return str(uuid.uuid4())


def _body(blocks: list[tuple[str, object]], ctx: dict) -> str:
    """Raw StreamField JSON from the (type, value) pairs of ``demo.data.cms``."""
    raw = []
    for block_type, value in blocks:
        if block_type == "rich_text":
            value = rich_text_clean(value)
        elif block_type == "table":
            value = content.FIGURES_2023_TABLE
        elif block_type == "statistics":
            value = {
                "title": value["title"],
                "figures": ["sales_total", "supplier_count", "product_count", "households_helped"],
            }
        elif block_type == "product_grid":
            ids = [ctx["products"][t].pk for t in value.get("products", []) if t in ctx["products"]]
            value = {
                "title": value.get("title", ""),
                "source": value["source"],
                "products": [{"type": "item", "value": pk, "id": _uid()} for pk in ids],
                "county": value.get("county", ""),
                "limit": value.get("limit", 8),
            }
        elif block_type == "document":
            value = {"document": ctx["documents"][value["document"]].pk, "title": value["title"]}
        elif block_type == "call_to_action":
            target = ctx["home"].get_children().filter(slug=value["page"]).first()
            value = {
                "title": value["title"],
                "text": value["text"],
                "button_text": value["button_text"],
                "page": target.pk if target else None,
                "url": "" if target else "/",
            }
        elif block_type == "supplier_card":
            supplier = ctx["suppliers"].get(value["supplier"])
            if supplier is None:
                continue
            value = {"supplier": supplier.pk, "note": value["note"]}
        raw.append({"type": block_type, "value": value, "id": _uid()})
    return json.dumps(raw, ensure_ascii=False)


def _seed_documents(tally: Tally) -> dict:
    documents = {}
    for key, (title, file_name, text) in content.DOCUMENTS.items():
        document = Document.objects.filter(title=title).first()
        if document is None:
            document = Document(title=title)
            # UTF-8 with a byte-order mark, so that spreadsheet programs read the Chinese.
            document.file.save(file_name, ContentFile(("\ufeff" + text).encode()), save=False)
            document._set_document_file_metadata()
            document.save()
            tally.created += 1
        documents[key] = document
    return documents


def _seed_editorial_users(tally: Tally) -> None:
    password = make_password(data.DEMO_PASSWORD, salt=_DEMO_SALT)
    for email, last_name, first_name, group_name in content.EDITORIAL_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create(
                email=email, last_name=last_name, first_name=first_name, password=password
            )
            tally.created += 1
        group = Group.objects.get(name=group_name)
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
            tally.updated += 1


def _seed_home_slides(home: HomePage, tally: Tally) -> None:
    if home.hero_slides:
        return
    slides = []
    for slide in content.HOME_SLIDES:
        target = home.get_children().filter(slug=slide["page"]).first()
        slides.append(
            {
                "type": "slide",
                "id": _uid(),
                "value": {
                    "image": None,
                    "title": slide["title"],
                    "subtitle": slide["subtitle"],
                    "button_text": slide["button_text"],
                    "title_en": slide["title_en"],
                    "subtitle_en": slide["subtitle_en"],
                    "button_text_en": slide["button_text_en"],
                    "page": target.pk if target else None,
                    "url": "",
                },
            }
        )
    home.hero_slides = json.dumps(slides, ensure_ascii=False)
    home.save_revision().publish()
    tally.updated += 1


def _menu(home: HomePage, items) -> str:
    raw = []
    for label, label_en, target in items:
        page = None if target.startswith("/") else home.get_children().filter(slug=target).first()
        raw.append(
            {
                "type": "item",
                "id": _uid(),
                "value": {
                    "label": label,
                    "label_en": label_en,
                    "page": page.pk if page else None,
                    "url": target if page is None else "",
                },
            }
        )
    return json.dumps(raw, ensure_ascii=False)


def _seed_site_chrome(home: HomePage, tally: Tally) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    chrome = SiteChrome.objects.filter(site=site).first()
    if chrome is not None:
        _english_fill(chrome, tally)
        return
    values = {
        k: v for k, v in content.SITE_CHROME.items() if k not in ("main_menu", "footer_links")
    }
    SiteChrome.objects.create(
        site=site,
        main_menu=_menu(home, content.SITE_CHROME["main_menu"]),
        footer_links=_menu(home, content.SITE_CHROME["footer_links"]),
        **values,
    )
    tally.created += 1


def _english_fill(chrome: SiteChrome, tally: Tally) -> None:
    """Site settings seeded before they had English: the English texts an editor left empty,
    and the English labels of the demo's own menu items (matched by their Chinese label)."""
    changed = False
    for name, value in content.SITE_CHROME.items():
        if name.endswith("_en") and not getattr(chrome, name):
            setattr(chrome, name, value)
            changed = True
    for field in ("main_menu", "footer_links"):
        english = {label: label_en for label, label_en, _target in content.SITE_CHROME[field]}
        raw = getattr(chrome, field).raw_data
        for item in raw:
            label_en = english.get(item["value"].get("label"))
            if label_en and not item["value"].get("label_en"):
                item["value"]["label_en"] = label_en
                changed = True
        setattr(chrome, field, json.dumps(list(raw), ensure_ascii=False))
    if changed:
        chrome.save()
        tally.updated += 1


def _product_titles() -> set[str]:
    titles = {t for story in content.STORIES for t in story["products"]}
    return titles


def _supplier_names() -> set[str]:
    names = {story["supplier"] for story in content.STORIES}
    for story in content.STORIES:
        for block_type, value in story["body"]:
            if block_type == "supplier_card":
                names.add(value["supplier"])
    return names
