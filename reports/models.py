"""Sales facts and their rollups, rural e-commerce entities with their reported monthly
figures, official indicators, and spreadsheet import jobs.

Amounts are in 元 (Decimal, two places). Platform sales (facts) are the marketplace's own
transactions; reported online retail volume (entity figures) and official indicators come from
outside and are kept in their own tables so that no report can add them up by accident.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from orders.models import SalesChannel


class FactSource(models.TextChoices):
    ORDER = "order", _("订单")
    OFFLINE = "offline", _("线下录入")
    P832 = "p832", _("832平台采购统计导入")


class SalesFact(models.Model):
    """One append-only change to what an order line (or an offline sale) counts as sales.

    Facts are deltas: a payment adds a positive fact, a refund or a cancellation after counting
    adds a negative one, and a resync that finds nothing new adds nothing. The sum of an order
    line's facts per date is what that line counts on that date.
    """

    date = models.DateField(_("日期"), db_index=True)
    month = models.DateField(_("月份"))
    channel = models.CharField(_("销售渠道"), max_length=20, choices=SalesChannel.choices)
    source = models.CharField(
        _("来源"), max_length=10, choices=FactSource.choices, default=FactSource.ORDER
    )
    order = models.ForeignKey(
        "order.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales_facts",
        verbose_name=_("订单"),
    )
    line = models.ForeignKey(
        "order.Line",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales_facts",
        verbose_name=_("订单行"),
    )
    purchase_832 = models.ForeignKey(
        "procurement.Purchase832",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales_facts",
        verbose_name=_("832平台采购记录"),
    )
    # The organisation an offline "八进" entry was for, when known: ``reconcile_sales`` checks
    # that none of its platform orders of the same month is entered again offline.
    organisation = models.ForeignKey(
        "procurement.BudgetUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offline_sales",
        verbose_name=_("采购单位"),
    )
    supplier = models.ForeignKey(
        "partner.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales_facts",
        verbose_name=_("供应商"),
    )
    product = models.ForeignKey(
        "catalogue.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sales_facts",
        verbose_name=_("商品"),
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="sales_facts",
        verbose_name=_("产地区县"),
    )
    category = models.ForeignKey(
        "catalogue.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sales_facts",
        verbose_name=_("品类"),
    )
    quantity = models.IntegerField(_("数量"), default=0)
    amount = models.DecimalField(_("金额（元）"), max_digits=16, decimal_places=2)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("销售事实")
        verbose_name_plural = _("销售事实")
        indexes = [
            models.Index(fields=["order", "line", "date"], name="reports_fact_order_idx"),
            # the supplier portal reads one supplier's facts over a date range
            models.Index(fields=["supplier", "date"], name="reports_fact_supplier_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=["offline", "p832"], channel=models.F("source"))
                | (models.Q(source="order") & ~models.Q(channel__in=["offline", "p832"])),
                name="reports_fact_offline_channel",
            ),
            # 832 purchases are facts of their own source and channel, each tied to its
            # record and never to an order: they cannot be counted twice with one.
            models.CheckConstraint(
                condition=~models.Q(source="p832")
                | models.Q(
                    channel="p832",
                    purchase_832__isnull=False,
                    order__isnull=True,
                    line__isnull=True,
                ),
                name="reports_fact_p832_is_its_record",
            ),
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=True) | models.Q(source="offline"),
                name="reports_fact_organisation_only_offline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} · {self.get_channel_display()} · ¥{self.amount}"


class SalesDailyRollup(models.Model):
    """Sum of facts per day x origin county x top-level category x channel.

    Keys are plain integers (``category_key`` 0 = 未分类) so that the conflict target of the
    incremental upsert is never NULL; rollups are derived data and rebuilt nightly.
    """

    date = models.DateField(_("日期"))
    month = models.DateField(_("月份"))
    region_key = models.PositiveIntegerField(_("区县"))
    category_key = models.PositiveIntegerField(_("品类"), default=0)
    channel = models.CharField(_("销售渠道"), max_length=20, choices=SalesChannel.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=16, decimal_places=2, default=0)
    quantity = models.BigIntegerField(_("数量"), default=0)

    class Meta:
        verbose_name = _("销售日汇总")
        verbose_name_plural = _("销售日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "region_key", "category_key", "channel"],
                name="reports_daily_rollup_key",
            )
        ]
        indexes = [models.Index(fields=["month", "region_key"], name="reports_daily_month_idx")]

    def __str__(self) -> str:
        return f"{self.date} · {self.region_key} · {self.channel} · ¥{self.amount}"


class SalesMonthlyRollup(models.Model):
    """The daily rollup summed per month: what dashboards read for whole months."""

    month = models.DateField(_("月份"))
    region_key = models.PositiveIntegerField(_("区县"))
    category_key = models.PositiveIntegerField(_("品类"), default=0)
    channel = models.CharField(_("销售渠道"), max_length=20, choices=SalesChannel.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=16, decimal_places=2, default=0)
    quantity = models.BigIntegerField(_("数量"), default=0)

    class Meta:
        verbose_name = _("销售月汇总")
        verbose_name_plural = _("销售月汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "region_key", "category_key", "channel"],
                name="reports_monthly_rollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.region_key} · {self.channel} · ¥{self.amount}"


class RetailMonthlyRollup(models.Model):
    """Reported online retail volume per month x entity region, rebuilt from the entity
    figures whenever they change (imports, forms) and nightly."""

    month = models.DateField(_("月份"))
    region_key = models.PositiveIntegerField(_("区划"))
    amount = models.DecimalField(_("网络零售额（元）"), max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("网络零售额月汇总")
        verbose_name_plural = _("网络零售额月汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "region_key"], name="reports_retail_rollup_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.region_key} · ¥{self.amount}"


class SalesProductRollup(models.Model):
    """Sum of facts per month x origin county x supplier x product x channel (drill-down)."""

    month = models.DateField(_("月份"))
    region_key = models.PositiveIntegerField(_("区县"))
    supplier_key = models.PositiveIntegerField(_("供应商"), default=0)
    product_key = models.PositiveIntegerField(_("商品"), default=0)
    channel = models.CharField(_("销售渠道"), max_length=20, choices=SalesChannel.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=16, decimal_places=2, default=0)
    quantity = models.BigIntegerField(_("数量"), default=0)

    class Meta:
        verbose_name = _("商品月汇总")
        verbose_name_plural = _("商品月汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "region_key", "supplier_key", "product_key", "channel"],
                name="reports_product_rollup_key",
            )
        ]
        indexes = [models.Index(fields=["region_key", "month"], name="reports_product_region_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.product_key} · {self.channel} · ¥{self.amount}"


class Platform(models.TextChoices):
    TAOBAO = "taobao", _("淘宝")
    TMALL = "tmall", _("天猫")
    JD = "jd", _("京东")
    PINDUODUO = "pinduoduo", _("拼多多")
    DOUYIN = "douyin", _("抖音")
    KUAISHOU = "kuaishou", _("快手")
    P832 = "832", _("832平台")
    WECHAT = "wechat", _("微信小店")
    OTHER = "other", _("其他")


class EcommerceEntity(models.Model):
    """A rural e-commerce entity (农村电商主体): one shop on one platform."""

    name = models.CharField(_("主体名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    platform = models.CharField(_("平台"), max_length=20, choices=Platform.choices)
    shop_name = models.CharField(_("店铺名称"), max_length=100)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="ecommerce_entities",
        verbose_name=_("所在区划"),
    )
    registered_on = models.DateField(_("注册日期"))
    active = models.BooleanField(_("在营"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("农村电商主体")
        verbose_name_plural = _("农村电商主体")
        ordering = ["-registered_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="reports_entity_credit_code_unique",
            ),
            models.UniqueConstraint(
                fields=["platform", "shop_name"], name="reports_entity_shop_unique"
            ),
        ]
        indexes = [models.Index(fields=["registered_on"], name="reports_entity_reg_idx")]

    def __str__(self) -> str:
        return f"{self.name} · {self.get_platform_display()} · {self.shop_name}"


class EntityMonthlyFigure(models.Model):
    """An entity's reported online retail volume (网络零售额) for one month."""

    entity = models.ForeignKey(
        EcommerceEntity,
        on_delete=models.CASCADE,
        related_name="monthly_figures",
        verbose_name=_("电商主体"),
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    retail_amount = models.DecimalField(_("网络零售额（元）"), max_digits=16, decimal_places=2)
    order_count = models.PositiveIntegerField(_("订单数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("电商主体月度数据")
        verbose_name_plural = _("电商主体月度数据")
        ordering = ["-month", "entity_id"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "month"], name="reports_figure_month_unique"),
            models.CheckConstraint(
                condition=models.Q(retail_amount__gte=0), name="reports_figure_amount_nonneg"
            ),
        ]
        indexes = [models.Index(fields=["month", "entity"], name="reports_figure_month_idx")]

    def __str__(self) -> str:
        return f"{self.entity_id} · {self.month:%Y-%m} · ¥{self.retail_amount}"


class Indicator(models.TextChoices):
    AG_ONLINE_RETAIL = "ag_online_retail", _("农产品网络零售额")
    ONLINE_RETAIL = "online_retail", _("网络零售额")
    POVERTY_AREA_SALES = "poverty_area_sales", _("脱贫地区农副产品销售额")


class IndicatorRecord(models.Model):
    """A figure reported by a monitoring agency (商务局、统计局…) for a region and month.

    Shown beside platform sales and labelled with its source; never added to them."""

    indicator = models.CharField(_("指标"), max_length=30, choices=Indicator.choices)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="indicator_records",
        verbose_name=_("区划"),
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    value = models.DecimalField(_("数值（元）"), max_digits=16, decimal_places=2)
    source = models.CharField(_("来源"), max_length=100)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("官方指标")
        verbose_name_plural = _("官方指标")
        ordering = ["-month", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "month", "source"],
                name="reports_indicator_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} · {self.region} · {self.month:%Y-%m}"


class ImportKind(models.TextChoices):
    ENTITIES = "entities", _("电商主体")
    FIGURES = "figures", _("月度网络零售额")
    PURCHASES_832 = "purchases_832", _("832平台采购统计")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("处理中")
    DONE = "done", _("已导入")
    REJECTED = "rejected", _("未导入（有错误行）")
    FAILED = "failed", _("文件无法读取")


class ImportJob(models.Model):
    """One uploaded spreadsheet and what became of it, with progress for the page to poll."""

    kind = models.CharField(_("导入内容"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(_("文件"), upload_to="reports/imports/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    import_valid_rows = models.BooleanField(_("仅导入有效行"), default=False)
    scope_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("所辖区域")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    created_count = models.PositiveIntegerField(_("导入行数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} · {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0


class SalesOutbox(models.Model):
    """An order whose sales facts (and so the rollups) must be brought in line with it,
    written before its task is enqueued, so that the update is not lost when the broker is
    down: the task deletes the row once the facts are synced, the sweep does whatever is left
    (``reports.tasks.reports_outbox_sweep_task``)."""

    order_id = models.BigIntegerField(_("订单 ID"), db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("待同步销售")
        verbose_name_plural = _("待同步销售")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"order {self.order_id}"


class ClosureStatus(models.TextChoices):
    CLOSED = "closed", _("已关账")
    REOPENED = "reopened", _("已重新打开")


class AnnualReportClosure(models.Model):
    """A statistics year closed (关账) by city-level bureau staff for their region: from then
    on the annual report of that year, for the region and every region below it, is read from
    the snapshots taken at closing (``AnnualReportSnapshot``), not from the live data.

    One row per closing, never deleted: reopening moves it to 已重新打开 with who, when and
    why, and closing again writes a new row. At most one closing per year and region is in
    force (a constraint). Written by ``reports.services.closures``."""

    year = models.PositiveIntegerField(_("统计年度"))
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("区域")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ClosureStatus.choices, default=ClosureStatus.CLOSED
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("关账人"),
    )
    closed_at = models.DateTimeField(_("关账时间"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("重新打开人"),
    )
    reopened_at = models.DateTimeField(_("重新打开时间"), null=True, blank=True)
    reopen_reason = models.CharField(_("重新打开原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("年度统计关账")
        verbose_name_plural = _("年度统计关账")
        ordering = ["-closed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region"],
                condition=models.Q(status="closed"),
                name="reports_one_closing_in_force",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status="closed",
                        reopened_by__isnull=True,
                        reopened_at__isnull=True,
                        reopen_reason="",
                    )
                    | (
                        models.Q(
                            status="reopened",
                            reopened_by__isnull=False,
                            reopened_at__isnull=False,
                        )
                        & ~models.Q(reopen_reason="")
                    )
                ),
                name="reports_reopening_says_who_when_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} · {self.get_status_display()}"


class AnnualReportSnapshot(models.Model):
    """The annual report of one region as it stood when its year was closed: the figures
    (``report_snapshot_data``), not the labels, so the page and exports print them in the
    reader's language."""

    closure = models.ForeignKey(
        AnnualReportClosure,
        on_delete=models.PROTECT,
        related_name="snapshots",
        verbose_name=_("关账"),
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("区域")
    )
    data = models.JSONField(_("报表数据"))

    class Meta:
        verbose_name = _("年度统计快照")
        verbose_name_plural = _("年度统计快照")
        constraints = [
            models.UniqueConstraint(
                fields=["closure", "region"], name="reports_one_snapshot_per_region"
            )
        ]

    def __str__(self) -> str:
        return f"{self.closure_id} · {self.region_id}"
