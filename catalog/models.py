from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct
from oscar.apps.catalogue.managers import ProductQuerySet as OscarProductQuerySet


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待审核")
    LISTED = "listed", _("已上架")
    DELISTED = "delisted", _("已下架")


class ProductQuerySet(OscarProductQuerySet):
    def purchasable(self, *, on=None):
        """Listed, public products with a stock record of a validly certified supplier."""
        from oscar.core.loading import get_model

        StockRecord = get_model("partner", "StockRecord")
        day = on or timezone.localdate()
        certified_stock = StockRecord.objects.filter(
            product=OuterRef("pk"), partner__certified_until__gte=day
        )
        return self.filter(
            is_public=True,
            parent__isnull=True,
            listing_status=ListingStatus.LISTED,
        ).filter(Exists(certified_stock))


class Product(AbstractProduct):
    """A farm product: Oscar's product plus origin, farm facts and certification flags."""

    origin_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("产地区划"),
    )
    origin_detail = models.CharField(
        _("产地"), max_length=100, blank=True, help_text=_("如：濉溪县段园镇")
    )
    spec = models.CharField(_("规格"), max_length=100, blank=True, help_text=_("如：5kg/箱"))
    shelf_life = models.CharField(_("保质期"), max_length=50, blank=True)
    storage = models.CharField(_("储存条件"), max_length=100, blank=True)
    is_geo_indication = models.BooleanField(_("地理标志"), default=False)
    is_green = models.BooleanField(_("绿色食品"), default=False)
    is_organic = models.BooleanField(_("有机产品"), default=False)
    listing_status = models.CharField(
        _("上架状态"),
        max_length=10,
        choices=ListingStatus.choices,
        default=ListingStatus.DRAFT,
        db_index=True,
    )

    objects = ProductQuerySet.as_manager()

    class Meta(AbstractProduct.Meta):
        app_label = "catalogue"

    @property
    def origin_display(self) -> str:
        if self.origin_detail:
            return self.origin_detail
        return self.origin_region.name if self.origin_region_id else ""

    @property
    def certification_flags(self) -> list[str]:
        flags = []
        if self.is_geo_indication:
            flags.append(str(_("地理标志")))
        if self.is_green:
            flags.append(str(_("绿色食品")))
        if self.is_organic:
            flags.append(str(_("有机产品")))
        return flags


from oscar.apps.catalogue.models import *  # noqa: E402, F403
