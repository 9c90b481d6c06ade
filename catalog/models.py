from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractCategory, AbstractProduct
from oscar.apps.catalogue.managers import ProductQuerySet as OscarProductQuerySet

from core.localized import english_field, localized
from core.models import Decision


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


# (user id, whether that user reviewed the product), when the product's query asked.
REVIEWED_BY = "hn_reviewed_by"


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

    min_order_quantity = models.PositiveIntegerField(
        _("起订量"), default=1, validators=[MinValueValidator(1)], help_text=_("每单最少购买件数")
    )
    order_increment = models.PositiveIntegerField(
        _("购买增量"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("超过起订量后按此件数递增，如 2 表示只能买 2、4、6…件"),
    )

    objects = ProductQuerySet.as_manager()

    class Meta(AbstractProduct.Meta):
        app_label = "catalogue"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_order_quantity__gte=1), name="product_moq_at_least_one"
            ),
            models.CheckConstraint(
                condition=models.Q(order_increment__gte=1), name="product_increment_at_least_one"
            ),
        ]
        indexes = [
            # The storefront's "newest first" order (the home page's products when none are
            # chosen, a category's 相关推荐 row): the first few purchasable products are found
            # by walking this index instead of sorting the whole catalogue.
            models.Index(
                fields=["-priority", "-date_created", "-id"], name="product_storefront_order"
            ),
        ]

    def has_review_by(self, user) -> bool:
        """Oscar's, without a query when the product was read knowing whether ``user``
        reviewed it (``catalog.selectors.product_stock_read`` with ``reviewer``)."""
        known = getattr(self, REVIEWED_BY, None)
        if known is not None and user.is_authenticated and known[0] == user.pk:
            return known[1]
        return super().has_review_by(user)

    def quantity_problem(self, quantity: int) -> str | None:
        """Why ``quantity`` units cannot be ordered under the minimum and increment, or None."""
        if quantity < self.min_order_quantity:
            return str(_("起订量为 %(moq)s 件。")) % {"moq": self.min_order_quantity}
        if (quantity - self.min_order_quantity) % self.order_increment:
            return str(_("购买数量需为 %(moq)s 件起、每次增加 %(step)s 件。")) % {
                "moq": self.min_order_quantity,
                "step": self.order_increment,
            }
        return None

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


class Category(AbstractCategory):
    """Oscar's category with its name in English, shown on the English site
    (``core.localized``; ``display_name`` in templates)."""

    name_en = english_field(AbstractCategory._meta.get_field("name"))

    class Meta(AbstractCategory.Meta):
        app_label = "catalogue"

    @property
    def display_name(self) -> str:
        """The name in the visitor's language: English when filled in, Chinese otherwise."""
        return localized(self, "name")

    def get_meta_title(self) -> str:
        return self.meta_title or self.display_name

    @property
    def full_name(self) -> str:
        return self._full_name_separator.join(c.display_name for c in self.get_ancestors_and_self())


class ListingDecision(Decision):
    """One change of a product's listing state, for the audit trail: submitted for review,
    approved, rejected (back to draft), delisted by the supplier or because its supplier's
    certification ended. ``actor`` is empty for the system's own steps."""

    product = models.ForeignKey(
        "catalogue.Product",
        on_delete=models.CASCADE,
        related_name="listing_decisions",
        verbose_name=_("商品"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    from_status = models.CharField(_("原状态"), max_length=10, choices=ListingStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=10, choices=ListingStatus.choices)
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        app_label = "catalogue"
        verbose_name = _("上架审核记录")
        verbose_name_plural = _("上架审核记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.from_status} → {self.to_status}"


from oscar.apps.catalogue.models import *  # noqa: E402, F403
