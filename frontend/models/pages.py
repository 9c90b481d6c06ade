"""News, county pavilions, stories and standard pages, with their index pages."""

import datetime

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from ..blocks import RICH_TEXT_FEATURES, BodyBlock
from .base import SEARCH_FIELDS, SearchableMixin

INDEX_PAGE_SIZE = 12


def _today() -> datetime.date:
    return timezone.localdate()


def _paginate(request, items, per_page: int = INDEX_PAGE_SIZE):
    paginator = Paginator(items, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def _image_field(label):
    return models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=label,
    )


# ---------------------------------------------------------------------------
# News
# ---------------------------------------------------------------------------
class NewsCategory(models.TextChoices):
    POLICY = "policy", _("政策文件")
    WORK = "work", _("工作动态")
    NOTICE = "notice", _("通知公告")


class NewsIndexPage(SearchableMixin, Page):
    """新闻资讯: lists its news pages, newest first, filterable by category."""

    intro = models.CharField(_("简介"), max_length=200, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = SEARCH_FIELDS
    search_text_fields = ("intro",)

    parent_page_types = ["frontend.HomePage"]
    subpage_types = ["frontend.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("新闻栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        category = request.GET.get("category", "")
        if category not in NewsCategory.values:
            category = ""
        from ..selectors import page_in_default_locale, pages_localized

        news = (
            NewsPage.objects.live()
            .public()
            .child_of(page_in_default_locale(self))
            .select_related("cover_image")
            .order_by("-date", "-first_published_at", "-pk")
        )
        if category:
            news = news.filter(category=category)
        context["category"] = category
        context["categories"] = NewsCategory.choices
        context["news"] = _paginate(request, news)
        context["news"].object_list = pages_localized(context["news"].object_list)
        return context


class NewsPage(SearchableMixin, Page):
    """政策文件 / 工作动态 / 通知公告: dated, with a summary, cover image and attachments."""

    category = models.CharField(
        _("栏目"), max_length=10, choices=NewsCategory.choices, default=NewsCategory.WORK
    )
    date = models.DateField(_("发布日期"), default=_today)
    source = models.CharField(_("来源"), max_length=60, blank=True, default="淮北市乡村振兴局")
    summary = models.TextField(_("摘要"), max_length=300, blank=True)
    cover_image = _image_field(_("封面图"))
    body = StreamField(BodyBlock(), verbose_name=_("正文"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("date"), FieldPanel("source")],
            heading=_("基本信息"),
        ),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("附件")),
    ]
    search_fields = SEARCH_FIELDS

    parent_page_types = ["frontend.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("新闻")
        indexes = [models.Index(fields=["category", "-date"], name="frontend_news_cat_date")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["attachments"] = list(self.attachments.select_related("document"))
        return context


class NewsAttachment(Orderable):
    page = ParentalKey(NewsPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("文档")
    )
    title = models.CharField(_("显示名称"), max_length=120, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("附件")

    @property
    def label(self) -> str:
        return self.title or self.document.title


# ---------------------------------------------------------------------------
# County pavilions
# ---------------------------------------------------------------------------
class PavilionIndexPage(SearchableMixin, Page):
    """区县特色馆: the county pavilions with their live counts."""

    intro = models.CharField(_("简介"), max_length=200, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = SEARCH_FIELDS
    search_text_fields = ("intro",)

    parent_page_types = ["frontend.HomePage"]
    subpage_types = ["frontend.CountyPavilionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("区县馆栏目")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import county_pavilion_list, page_in_default_locale, pages_localized

        context = super().get_context(request, *args, **kwargs)
        counts = {c.pk: c for c in county_pavilion_list()}
        pavilions = pages_localized(
            CountyPavilionPage.objects.live()
            .public()
            .child_of(page_in_default_locale(self))
            .select_related("region", "cover_image")
            .order_by("region__code")
        )
        for pavilion in pavilions:
            county = counts.get(pavilion.region_id)
            pavilion.product_count = county.product_count if county else 0
            pavilion.supplier_count = county.supplier_count if county else 0
        context["pavilions"] = pavilions
        return context


class CountyPavilionPage(SearchableMixin, Page):
    """消费帮扶馆 of one county: its introduction, certified suppliers and listed products."""

    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
        verbose_name=_("区县"),
    )
    slogan = models.CharField(_("宣传语"), max_length=60, blank=True)
    cover_image = _image_field(_("封面图"))
    introduction = RichTextField(_("区县介绍"), features=RICH_TEXT_FEATURES, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("更多内容"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("region"),
        FieldPanel("slogan"),
        FieldPanel("cover_image"),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = SEARCH_FIELDS
    search_text_fields = ("slogan", "introduction")

    parent_page_types = ["frontend.PavilionIndexPage"]
    subpage_types: list[str] = []

    products_shown = 12

    class Meta:
        verbose_name = _("区县特色馆")

    def clean(self):
        super().clean()
        if self.region_id is None:
            return
        if self.region.level != "county":
            raise ValidationError({"region": _("请选择区县一级的行政区划。")})
        taken = CountyPavilionPage.objects.filter(region_id=self.region_id).exclude(pk=self.pk)
        if taken.exists():
            raise ValidationError(
                {"region": _("%(region)s 已有特色馆页面。") % {"region": self.region.name}}
            )

    def get_context(self, request, *args, **kwargs):
        from ..selectors import pavilion_product_count, pavilion_suppliers, product_cards_latest

        context = super().get_context(request, *args, **kwargs)
        context["suppliers"] = pavilion_suppliers(region=self.region)
        context["products"] = product_cards_latest(region=self.region, limit=self.products_shown)
        context["product_count"] = pavilion_product_count(region=self.region)
        return context


# ---------------------------------------------------------------------------
# Stories
# ---------------------------------------------------------------------------
class StoryIndexPage(SearchableMixin, Page):
    """典型案例: the stories of co-ops and villages."""

    intro = models.CharField(_("简介"), max_length=200, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = SEARCH_FIELDS
    search_text_fields = ("intro",)

    parent_page_types = ["frontend.HomePage"]
    subpage_types = ["frontend.StoryPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("典型案例栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from ..selectors import page_in_default_locale, pages_localized

        stories = (
            StoryPage.objects.live()
            .public()
            .child_of(page_in_default_locale(self))
            .select_related("cover_image", "supplier")
            .order_by("-date", "-pk")
        )
        context["stories"] = _paginate(request, stories)
        context["stories"].object_list = pages_localized(context["stories"].object_list)
        return context


class StoryPage(SearchableMixin, Page):
    """A 典型案例: text and pictures, the supplier it is about and its products."""

    date = models.DateField(_("日期"), default=_today)
    summary = models.TextField(_("摘要"), max_length=300, blank=True)
    cover_image = _image_field(_("封面图"))
    supplier = models.ForeignKey(
        "partner.Partner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("相关供应商"),
    )
    body = StreamField(BodyBlock(), verbose_name=_("正文"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("supplier"),
        FieldPanel("body"),
        InlinePanel("linked_products", label=_("相关商品"), max_num=12),
    ]
    search_fields = SEARCH_FIELDS

    parent_page_types = ["frontend.StoryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("典型案例")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import product_cards_by_ids

        context = super().get_context(request, *args, **kwargs)
        ids = list(self.linked_products.values_list("product_id", flat=True))
        context["products"] = product_cards_by_ids(ids)
        return context


class StoryProduct(Orderable):
    page = ParentalKey(StoryPage, on_delete=models.CASCADE, related_name="linked_products")
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("商品")
    )

    panels = [FieldPanel("product")]

    class Meta(Orderable.Meta):
        verbose_name = _("相关商品")


# ---------------------------------------------------------------------------
# Standard pages
# ---------------------------------------------------------------------------
class StandardPage(SearchableMixin, Page):
    """关于我们, 帮助中心, 采购指南 and other plain pages; may nest."""

    summary = models.CharField(_("摘要"), max_length=200, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("正文"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = SEARCH_FIELDS

    parent_page_types = ["frontend.HomePage", "frontend.StandardPage"]
    subpage_types = ["frontend.StandardPage"]

    class Meta:
        verbose_name = _("普通页面")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from ..selectors import page_in_default_locale, pages_localized

        source = page_in_default_locale(self)
        parent = source.get_parent().specific_deferred
        siblings_root = source if source.get_children().exists() else parent
        if isinstance(siblings_root, StandardPage):
            context["section"] = pages_localized([siblings_root])[0]
            context["section_pages"] = pages_localized(
                siblings_root.get_children().live().public().order_by("path")
            )
        return context
