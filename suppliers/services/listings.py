"""Listing review: a supplier submits a product, a bureau reviewer (or an administrator)
lists it or sends it back; products of suppliers without a valid certificate are delisted."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalog.models import ListingDecision, ListingStatus
from core.locks import row_lock
from core.states import StateMachine

from ..access import reviewer_covers, reviewer_for_user
from ..exceptions import (
    ListingPermissionError,
    ListingTransitionError,
    SupplierNotCertifiedError,
)
from ..models import NoticeKind
from ..portal_cache import suppliers_changed
from .notices import notice_create

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
L = ListingStatus

#: Every move of a product's listing state. A listed product whose supplier edits what the
#: reviewers saw goes back to review (``products.product_save``).
LISTING_MOVES = StateMachine(
    field="listing_status",
    transitions={
        L.DRAFT: (L.PENDING,),
        L.DELISTED: (L.PENDING,),
        L.PENDING: (L.LISTED, L.DRAFT, L.DELISTED),
        L.LISTED: (L.DELISTED, L.PENDING),
    },
    error=ListingTransitionError,
)


def _catalogue_changed() -> None:
    from core.caching import catalogue_changed

    catalogue_changed()  # on commit


def _locked_product(product):
    return row_lock(Product, pk=product.pk)


def _product_partner(product):
    record = (
        StockRecord.objects.filter(product=product)
        .select_related("partner", "partner__region")
        .order_by("pk")
        .first()
    )
    return record.partner if record else None


def _set_status(product, *, to: str, actor=None, reason: str = "") -> ListingDecision:
    old = LISTING_MOVES.move(product, to, also=["date_updated"])
    return ListingDecision.record(
        product=product, who=actor, outcome=to, reason=reason, from_status=old
    )


@transaction.atomic
def product_submit_for_review(*, product, partner, user, note: str = ""):
    """The supplier asks for a draft or delisted product to be listed (待审核). Only a
    validly certified supplier may; the product must be its own."""
    product = _locked_product(product)
    if not StockRecord.objects.filter(product=product, partner=partner).exists():
        raise ListingPermissionError(_("这不是您的商品。"))
    if not partner.is_certified:
        raise SupplierNotCertifiedError(_("您的供应商认定无效，暂不能申请上架。"))
    LISTING_MOVES.check(
        product,
        L.PENDING,
        only_from=(L.DRAFT, L.DELISTED),
        refusal=_("商品当前为“%(status)s”，不能提交上架审核。"),
    )
    _set_status(product, to=L.PENDING, actor=user, reason=note.strip() or _("提交上架审核"))
    return product


def _check_reviewer(user, partner) -> None:
    if user.is_superuser:
        return
    staff = reviewer_for_user(user)
    if staff is None or partner is None or not reviewer_covers(staff, partner):
        raise ListingPermissionError(_("该商品的供应商不在您的管辖区域内。"))


@transaction.atomic
def listing_approve(*, product, user, reason: str = ""):
    """A reviewer whose region covers the supplier (or an administrator) lists the product."""
    product = _locked_product(product)
    partner = _product_partner(product)
    _check_reviewer(user, partner)
    LISTING_MOVES.check(product, L.LISTED, refusal=_("该商品不在待审核状态。"))
    if not partner.is_certified:
        raise SupplierNotCertifiedError(_("该供应商认定无效，商品不能上架。"))
    _set_status(product, to=L.LISTED, actor=user, reason=reason.strip() or _("审核通过，上架"))
    notice_create(
        partner=partner,
        kind=NoticeKind.LISTING,
        message=_("商品“%(title)s”已通过审核并上架。") % {"title": product.get_title()},
    )
    _catalogue_changed()
    return product


@transaction.atomic
def listing_reject(*, product, user, reason: str):
    """Send a product under review back to draft, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ListingTransitionError(_("请填写退回理由。"))
    product = _locked_product(product)
    partner = _product_partner(product)
    _check_reviewer(user, partner)
    LISTING_MOVES.check(product, L.DRAFT, refusal=_("该商品不在待审核状态。"))
    _set_status(product, to=L.DRAFT, actor=user, reason=reason)
    notice_create(
        partner=partner,
        kind=NoticeKind.LISTING,
        message=_("商品“%(title)s”未通过上架审核，理由：%(reason)s")
        % {"title": product.get_title(), "reason": reason},
    )
    return product


@transaction.atomic
def product_delist(*, product, partner, user, reason: str = ""):
    """The supplier takes its own listed (or pending) product off sale."""
    product = _locked_product(product)
    if not StockRecord.objects.filter(product=product, partner=partner).exists():
        raise ListingPermissionError(_("这不是您的商品。"))
    LISTING_MOVES.check(product, L.DELISTED, refusal=_("该商品未上架。"))
    _set_status(product, to=L.DELISTED, actor=user, reason=reason.strip() or _("供应商下架"))
    _catalogue_changed()
    return product


def products_delist_uncertified(
    *, partners, reason: str, today: datetime.date | None = None
) -> list[int]:
    """Delist (已下架) the listed or pending products of ``partners`` that no validly
    certified supplier sells, recording a system decision for each. Returns their ids."""
    today = today or timezone.localdate()
    certified_stock = StockRecord.objects.filter(
        product=OuterRef("pk"), partner__certified_until__gte=today
    )
    ids = list(
        Product.objects.filter(
            stockrecords__partner__in=partners,
            parent__isnull=True,
            listing_status__in=[L.LISTED, L.PENDING],
        )
        .exclude(Exists(certified_stock))
        .values_list("pk", flat=True)
        .distinct()
    )
    if not ids:
        return []
    products = list(Product.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    ListingDecision.objects.bulk_create(
        ListingDecision(
            product=p, from_status=p.listing_status, to_status=L.DELISTED, reason=reason
        )
        for p in products
    )
    Product.objects.filter(pk__in=ids).update(
        listing_status=L.DELISTED, date_updated=timezone.now()
    )
    suppliers_changed(product_ids=ids)  # an UPDATE sends no signal
    _catalogue_changed()
    return ids
