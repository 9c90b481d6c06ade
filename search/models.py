"""The search documents of the database engine, and the outbox of pending index updates."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductDocument(models.Model):
    """One purchasable product as both engines index it (denormalised, one row per product).

    The database engine searches and counts facets on this table alone; the Elasticsearch
    engine indexes the same fields (``search.documents``). ``certified_until`` is checked at
    query time, so a certification that ends needs no index update to hide its products.
    """

    product = models.OneToOneField(
        "catalogue.Product",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
        verbose_name=_("商品"),
    )
    title = models.CharField(_("标题"), max_length=255)
    text = models.TextField(_("检索文本"), help_text=_("标题、产地、分类、规格（规范化）"))
    pinyin = models.CharField(_("标题拼音"), max_length=1024, help_text=_("全拼与首字母"))
    category_ids = models.CharField(
        _("分类 ID"),
        max_length=255,
        blank=True,
        help_text=_("所属分类及其上级分类的 ID，逗号分隔（统计分面用）"),
    )
    origin_path = models.CharField(_("产地路径"), max_length=255, blank=True, db_index=True)
    county = models.ForeignKey(
        "regions.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("产地县区"),
    )
    supplier = models.ForeignKey(
        "partner.Partner",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("供应商"),
    )
    certified_until = models.DateField(_("供应商认定有效期至"))
    price = models.DecimalField(_("价格"), max_digits=12, decimal_places=2, null=True)
    in_stock = models.BooleanField(_("有货"), default=False)
    is_geo_indication = models.BooleanField(_("地理标志"), default=False)
    is_green = models.BooleanField(_("绿色食品"), default=False)
    is_organic = models.BooleanField(_("有机产品"), default=False)
    num_sold = models.PositiveIntegerField(_("销量"), default=0)
    priority = models.IntegerField(_("优先级"), default=0)
    date_created = models.DateTimeField(_("上架时间"))
    indexed_at = models.DateTimeField(_("索引时间"), auto_now=True)

    class Meta:
        verbose_name = _("商品检索文档")
        verbose_name_plural = _("商品检索文档")
        indexes = [
            models.Index(fields=["-priority", "-date_created"], name="search_doc_default_order"),
            models.Index(fields=["-date_created", "-product"], name="search_doc_newest"),
            models.Index(fields=["price"], name="search_doc_price"),
            models.Index(fields=["-num_sold"], name="search_doc_sales"),
            # Covering (PostgreSQL): counting facets without a text, over up to the whole
            # catalogue, reads this index alone instead of the wide rows.
            models.Index(
                fields=["certified_until"],
                include=[
                    "product",
                    "county",
                    "supplier",
                    "category_ids",
                    "in_stock",
                    "price",
                    "is_geo_indication",
                    "is_green",
                    "is_organic",
                ],
                name="search_doc_facets",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProductDocumentCategory(models.Model):
    """A document's category and each of its ancestors (so a parent counts its subtree)."""

    document = models.ForeignKey(
        ProductDocument, on_delete=models.CASCADE, related_name="category_links"
    )
    category = models.ForeignKey(
        "catalogue.Category", on_delete=models.CASCADE, related_name="+", verbose_name=_("分类")
    )

    class Meta:
        verbose_name = _("检索文档分类")
        verbose_name_plural = _("检索文档分类")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "category"], name="search_doc_category_unique"
            )
        ]
        indexes = [models.Index(fields=["category", "document"], name="search_doc_cat_by_cat")]

    def __str__(self) -> str:
        return f"{self.document_id} in {self.category_id}"


class SearchOutbox(models.Model):
    """A product whose index entries must be refreshed, written in the same transaction as
    the change, so that an update is not lost when the task broker is down."""

    product_id = models.BigIntegerField(_("商品 ID"), db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("待更新索引")
        verbose_name_plural = _("待更新索引")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"product {self.product_id}"
