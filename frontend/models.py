from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from .selectors import (
    county_pavilion_list,
    home_featured_categories,
    home_featured_products,
)


class HomePage(Page):
    """The storefront's front page: hero, featured categories and products, county pavilions."""

    hero_title = models.CharField(_("主标题"), max_length=60, default="惠农集市")
    hero_subtitle = models.CharField(
        _("副标题"), max_length=120, blank=True, default="买脱贫地区好物，助乡村振兴"
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
    intro = RichTextField(_("简介"), blank=True, features=["bold", "italic", "link"])

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_subtitle"),
                FieldPanel("hero_image"),
                FieldPanel("hero_button_text"),
            ],
            heading=_("首屏"),
        ),
        FieldPanel("intro"),
        InlinePanel("featured_categories", label=_("推荐分类"), max_num=12),
        InlinePanel("featured_products", label=_("推荐商品"), max_num=16),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured_categories"] = home_featured_categories(page=self)
        context["featured_products"] = home_featured_products(page=self)
        context["pavilions"] = county_pavilion_list()
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
