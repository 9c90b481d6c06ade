from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from core.caching import CSRF_PLACEHOLDER
from core.localized import english_field

from ..blocks import BodyBlock, CarouselSlideBlock
from ..selectors import (
    county_pavilion_list,
    home_featured_categories,
    home_featured_products,
    latest_news,
    news_index_page,
    pavilion_page_urls,
    site_statistics,
)
from .base import with_english


class HomePage(Page):
    """The storefront's front page, every section editable: hero carousel, featured categories
    and products, county pavilions, latest news, live statistics and free blocks."""

    hero_title = models.CharField(_("主标题"), max_length=60, default="惠农集市")
    hero_title_en = english_field(hero_title, default="Huinong Market")
    hero_subtitle = models.CharField(
        _("副标题"), max_length=120, blank=True, default="买脱贫地区好物，助乡村振兴"
    )
    hero_subtitle_en = english_field(
        hero_subtitle, default="Buy from areas lifted out of poverty, help the countryside thrive"
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("主图"),
    )
    hero_button_text = models.CharField(_("按钮文字"), max_length=20, default="去逛逛")
    hero_button_text_en = english_field(hero_button_text, default="Start shopping")
    hero_slides = StreamField(
        [("slide", CarouselSlideBlock())],
        verbose_name=_("更多轮播图"),
        blank=True,
        help_text=_("首屏之后轮流显示的图片，可链接到新闻、特色馆或任意页面"),
    )
    intro = RichTextField(_("简介"), blank=True, features=["bold", "italic", "link"])
    intro_en = english_field(intro)
    categories_title = models.CharField(_("分类区标题"), max_length=30, default="商品分类")
    categories_title_en = english_field(categories_title, default="Categories")
    products_title = models.CharField(_("推荐商品区标题"), max_length=30, default="精选好物")
    products_title_en = english_field(products_title, default="Featured products")
    show_pavilions = models.BooleanField(_("显示区县特色馆"), default=True)
    pavilions_title = models.CharField(_("特色馆区标题"), max_length=30, default="区县特色馆")
    pavilions_title_en = english_field(pavilions_title, default="County showcases")
    show_news = models.BooleanField(_("显示最新资讯"), default=True)
    news_title = models.CharField(_("资讯区标题"), max_length=30, default="新闻资讯")
    news_title_en = english_field(news_title, default="News")
    news_count = models.PositiveSmallIntegerField(_("资讯条数"), default=4)
    show_statistics = models.BooleanField(_("显示实时数据"), default=True)
    statistics_title = models.CharField(_("数据区标题"), max_length=30, default="帮扶成效")
    statistics_title_en = english_field(statistics_title, default="Our impact")
    body = StreamField(
        BodyBlock(),
        verbose_name=_("更多内容"),
        blank=True,
        help_text=_("显示在首页下方：正文、商品列表、供应商、行动按钮、表格等"),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                *with_english("hero_title", "hero_subtitle"),
                FieldPanel("hero_image"),
                *with_english("hero_button_text"),
            ],
            heading=_("首屏"),
        ),
        FieldPanel("hero_slides"),
        *with_english("intro", "categories_title"),
        InlinePanel("featured_categories", label=_("推荐分类"), max_num=12),
        *with_english("products_title"),
        InlinePanel("featured_products", label=_("推荐商品"), max_num=16),
        MultiFieldPanel(
            [
                FieldPanel("show_statistics"),
                *with_english("statistics_title"),
                FieldPanel("show_pavilions"),
                *with_english("pavilions_title"),
                FieldPanel("show_news"),
                *with_english("news_title"),
                FieldPanel("news_count"),
            ],
            heading=_("首页栏目"),
        ),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "frontend.NewsIndexPage",
        "frontend.PavilionIndexPage",
        "frontend.StoryIndexPage",
        "frontend.StandardPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only when the cached home fragment is rendered (templates: home_page.html).
        news = SimpleLazyObject(
            lambda: latest_news(limit=self.news_count) if self.show_news else []
        )
        context.update(
            featured_categories=SimpleLazyObject(lambda: home_featured_categories(page=self)),
            featured_products=SimpleLazyObject(lambda: home_featured_products(page=self)),
            pavilions=SimpleLazyObject(
                lambda: county_pavilion_list() if self.show_pavilions else []
            ),
            pavilion_pages=SimpleLazyObject(
                lambda: pavilion_page_urls() if self.show_pavilions else {}
            ),
            news=news,
            news_index=SimpleLazyObject(lambda: news_index_page() if news else None),
            stats=SimpleLazyObject(lambda: site_statistics() if self.show_statistics else None),
        )
        if getattr(request, "csrf_placeholder", False):
            context["csrf_token"] = CSRF_PLACEHOLDER  # the real token goes in after the cache
        return context


class HomeFeaturedCategory(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_categories")
    category = models.ForeignKey(
        "catalogue.Category", on_delete=models.CASCADE, related_name="+", verbose_name=_("分类")
    )

    panels = [FieldPanel("category")]

    class Meta(Orderable.Meta):
        verbose_name = _("推荐分类")


class HomeFeaturedProduct(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_products")
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("商品")
    )

    panels = [FieldPanel("product")]

    class Meta(Orderable.Meta):
        verbose_name = _("推荐商品")
