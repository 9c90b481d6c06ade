import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractPartner, AbstractStockRecord

from core.models import ChangeRecord, Decision
from core.validators import validate_credit_code
from orders.exceptions import InsufficientStockError

from .storage import private_storage


class SupplierType(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    COOPERATIVE = "cooperative", _("农民专业合作社")
    FAMILY_FARM = "family_farm", _("家庭农场")
    INDIVIDUAL = "individual", _("个体工商户")


class Partner(AbstractPartner):
    """A supplier (供应商). ``certified_until`` caches the current certification's end date
    so that listing queries need no join to the certification history."""

    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
    )
    supplier_type = models.CharField(
        _("主体类型"), max_length=20, choices=SupplierType.choices, default=SupplierType.COOPERATIVE
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suppliers",
        verbose_name=_("所在区域"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    households_helped = models.PositiveIntegerField(_("带动脱贫户数"), default=0)
    introduction = models.TextField(_("简介"), blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=100, blank=True)
    bank_account = models.CharField(_("银行账号"), max_length=40, blank=True)
    certified_until = models.DateField(_("认定有效期至"), null=True, blank=True, editable=False)

    class Meta(AbstractPartner.Meta):
        app_label = "partner"
        verbose_name = _("供应商")
        verbose_name_plural = _("供应商")

    def is_certified_on(self, day: datetime.date) -> bool:
        return self.certified_until is not None and self.certified_until >= day

    @property
    def is_certified(self) -> bool:
        return self.is_certified_on(timezone.localdate())


#: The supplier's bank details: a change of either is recorded (``BankDetailsChange``).
BANK_DETAILS_FIELDS = ("bank_name", "bank_account")


class BankDetailsChange(ChangeRecord):
    """A change of a supplier's bank details (开户银行, 银行账号), where settlements are paid:
    who changed them, when, and the values before and after. Written by
    ``suppliers.services.supplier_profile_save`` and ``certification_apply``."""

    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        related_name="bank_details_changes",
        verbose_name=_("供应商"),
    )

    class Meta(ChangeRecord.Meta):
        verbose_name = _("收款账户变更记录")
        verbose_name_plural = _("收款账户变更记录")

    def __str__(self) -> str:
        return f"{self.partner_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class CertificationStatus(models.TextChoices):
    APPLIED = "applied", _("已申请")
    RECOMMENDED = "recommended", _("县级已推荐")
    RETURNED = "returned", _("已退回")
    CERTIFIED = "certified", _("已认定")
    REJECTED = "rejected", _("未通过")
    REVOKED = "revoked", _("已撤销")
    EXPIRED = "expired", _("已过期")


#: Open applications: the supplier or a reviewer still has to act on them.
CERTIFICATION_OPEN_STATUSES = (
    CertificationStatus.APPLIED,
    CertificationStatus.RECOMMENDED,
    CertificationStatus.RETURNED,
)


class Certification(models.Model):
    """A supplier's certification as a poverty-relief supplier (消费帮扶供应商认定).

    Its life: 已申请 → 县级已推荐 (county) → 已认定 (city, with certificate number and validity)
    or 未通过; county or city can return it (已退回) for the supplier to correct and resubmit;
    a certification can be 已撤销 (city) and becomes 已过期 after its last valid day. Every
    move is a ``CertificationDecision``.
    """

    partner = models.ForeignKey(
        "partner.Partner",
        on_delete=models.CASCADE,
        related_name="certifications",
        verbose_name=_("供应商"),
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=CertificationStatus.choices,
        default=CertificationStatus.APPLIED,
        db_index=True,
    )
    certificate_no = models.CharField(_("证书编号"), max_length=40, unique=True, null=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    applied_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("认定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("供应商认定")
        verbose_name_plural = _("供应商认定")
        ordering = ["-applied_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="certification_valid_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="certified")
                | (
                    models.Q(certificate_no__isnull=False)
                    & models.Q(valid_from__isnull=False)
                    & models.Q(valid_until__isnull=False)
                ),
                name="certification_certified_has_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in CERTIFICATION_OPEN_STATUSES

    def days_left(self, today: datetime.date | None = None) -> int | None:
        if self.status != CertificationStatus.CERTIFIED or self.valid_until is None:
            return None
        return (self.valid_until - (today or timezone.localdate())).days


class CertificationDecision(Decision):
    """One step of a certification, as the audit trail shows it: who, when, from, to, why.
    ``actor`` is empty for the system's own steps (expiry)."""

    certification = models.ForeignKey(
        Certification,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("供应商认定"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_label = models.CharField(_("操作单位"), max_length=100, blank=True)
    from_status = models.CharField(
        _("原状态"), max_length=20, choices=CertificationStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=20, choices=CertificationStatus.choices)
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        verbose_name = _("认定记录")
        verbose_name_plural = _("认定记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.certification_id}: {self.from_status or '-'} → {self.to_status}"


class DocumentKind(models.TextChoices):
    BUSINESS_LICENSE = "business_license", _("营业执照")
    POVERTY_PROOF = "poverty_proof", _("带贫减贫证明")
    QUALITY_PROOF = "quality_proof", _("产品质量证明")
    OTHER = "other", _("其他材料")


def _document_path(instance, filename: str) -> str:
    # The stored name never comes from the upload: only the checked extension does.
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"certifications/{instance.certification.partner_id}/{uuid.uuid4().hex}.{ext}"


class CertificationDocument(models.Model):
    """A document attached to an application, kept in private storage (never under
    ``MEDIA_URL``); ``suppliers.views`` serves it to the supplier's users and to reviewers."""

    certification = models.ForeignKey(
        Certification,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("供应商认定"),
    )
    kind = models.CharField(_("材料类型"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("文件"), upload_to=_document_path, storage=private_storage)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("认定材料")
        verbose_name_plural = _("认定材料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"


class CertificateSequence(models.Model):
    """The last certificate number given out in a year; the row is locked while numbering."""

    year = models.PositiveIntegerField(_("年度"), primary_key=True)
    last = models.PositiveIntegerField(_("最后序号"), default=0)

    class Meta:
        verbose_name = _("证书编号序列")
        verbose_name_plural = _("证书编号序列")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class NoticeKind(models.TextChoices):
    EXPIRY_30 = "expiry_30", _("认定 30 天内到期")
    EXPIRY_7 = "expiry_7", _("认定 7 天内到期")
    EXPIRED = "expired", _("认定已过期")
    CERTIFICATION = "certification", _("认定审核结果")
    LISTING = "listing", _("上架审核结果")
    AFTERSALES = "aftersales", _("售后")


class SupplierNotice(models.Model):
    """A message to a supplier in its portal. ``dedupe_key`` makes a reminder that a daily
    task may try to send twice exist only once."""

    partner = models.ForeignKey(
        "partner.Partner",
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("供应商"),
    )
    kind = models.CharField(_("类型"), max_length=20, choices=NoticeKind.choices)
    message = models.TextField(_("内容"))
    dedupe_key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("供应商通知")
        verbose_name_plural = _("供应商通知")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.partner} · {self.get_kind_display()}"


class StockRecord(AbstractStockRecord):
    """Oscar's stock record with an allocation that cannot oversell, and that knows whether
    a write changed what shoppers see.

    Oscar's ``allocate()`` adds to ``num_allocated`` without looking at the stock, so two
    concurrent checkouts of the last unit both succeed. Here the update is conditional on
    the free stock, evaluated by the database under its row lock, and a check constraint
    backs it up.

    A product card and a search document show, from the selling stock record, its supplier,
    its price, whether it is in stock and whether the minimum order quantity is
    (``suppliers.strategy``, ``search.documents``); not the number of units. The
    ``post_save`` receivers that retire cached pages and refresh search documents ask
    ``shown_changed()``, so that an allocation which leaves the product buyable costs no
    cache and no index work. What the record showed before a write is the row as loaded
    (``from_db``) for ``save()`` and Oscar's ``consume_allocation()`` (which leaves the free
    stock as it was), and for ``allocate()`` and ``cancel_allocation()`` the row just before
    the update, derived from the row read back under the update's lock.
    """

    _shown_before: tuple | None = None  # None: unknown (a new record), counts as changed

    class Meta(AbstractStockRecord.Meta):
        app_label = "partner"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(num_allocated__isnull=True)
                | models.Q(num_allocated__lte=F("num_in_stock")),
                name="stockrecord_allocated_within_stock",
            ),
            models.CheckConstraint(
                condition=models.Q(price__isnull=True) | models.Q(price__gte=0),
                name="stockrecord_price_not_negative",
            ),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        record._shown_before = record._shown()
        return record

    def _shown(self, *, net_stock_level: int | None = None) -> tuple | None:
        """The shopper-visible facts of this record as it is in memory (None when a field
        they come from was not loaded)."""
        names = ("product_id", "partner_id", "price", "price_currency")
        if any(name not in self.__dict__ for name in (*names, "num_in_stock", "num_allocated")):
            return None
        price = None if self.price is None else Decimal(str(self.price))
        net = self.net_stock_level if net_stock_level is None else net_stock_level
        return (self.product_id, self.partner_id, price, self.price_currency, net)

    def shown_changed(self) -> bool:
        """Whether the write being signalled changed what a product card or a search
        document shows: the supplier, the price, in stock or sold out, or whether the
        minimum order quantity can still be bought."""
        before, after = self._shown_before, self._shown()
        if before is None or after is None or before[:4] != after[:4]:
            return True
        net_before, net_after = before[4], after[4]
        if net_before == net_after:
            return False
        if (net_before > 0) != (net_after > 0):
            return True
        product = self.product.parent if self.product.is_child else self.product
        moq = product.min_order_quantity
        return (net_before >= moq) != (net_after >= moq)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._shown_before = self._shown()  # the post_save receivers have run

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None:  # the whole row: what it shows now is what the database has
            self._shown_before = self._shown()

    def post_save_signal(self):
        super().post_save_signal()
        self._shown_before = self._shown()

    def _allocation_signal(self, *, net_change: int | None) -> None:
        """After an allocation ``UPDATE`` (whose row lock we hold) and a reload of the stock
        columns: note what the row showed before (``net_change`` undone; None: not known)
        and send ``post_save``."""
        self._shown_before = (
            None
            if net_change is None
            else self._shown(net_stock_level=self.net_stock_level - net_change)
        )
        self.post_save_signal()

    def allocate(self, quantity: int) -> None:
        """Reserve ``quantity`` units or raise ``InsufficientStockError`` and change nothing."""
        if not self.can_track_allocations:
            return
        self.pre_save_signal()
        updated = (
            type(self)
            .objects.filter(
                pk=self.pk,
                num_in_stock__gte=Coalesce(F("num_allocated"), 0) + quantity,
            )
            .update(num_allocated=Coalesce(F("num_allocated"), 0) + quantity)
        )
        if updated != 1:
            self.refresh_from_db(fields=["num_in_stock", "num_allocated"])
            raise InsufficientStockError(
                stockrecord=self, requested=quantity, available=self.net_stock_level
            )
        self.refresh_from_db(fields=["num_in_stock", "num_allocated"])
        self._allocation_signal(net_change=-quantity)

    allocate.alters_data = True

    def cancel_allocation(self, quantity: int) -> None:
        """Oscar's: release up to ``quantity`` allocated units."""
        if not self.can_track_allocations:
            return
        self.pre_save_signal()
        allocated = Coalesce(F("num_allocated"), 0)
        type(self).objects.filter(pk=self.pk).update(
            num_allocated=allocated - Least(allocated, quantity)
        )
        self.refresh_from_db(fields=["num_in_stock", "num_allocated"])
        # Released in full unless the allocation ran out; then how much was is not known.
        self._allocation_signal(net_change=quantity if self.num_allocated else None)

    cancel_allocation.alters_data = True


from oscar.apps.partner.models import *  # noqa: E402, F403
