"""Writes for suppliers: certification workflow, documents, products and listing review,
stock and price updates, shipments, notices. Each function is keyword-only and atomic."""

from .certifications import (
    TRANSITIONS,
    certificate_number_next,
    certification_apply,
    certification_approve,
    certification_expiry_reminders,
    certification_recommend,
    certification_reject,
    certification_resubmit,
    certification_return,
    certification_revoke,
    certifications_expire,
    partner_certified_until_refresh,
)
from .documents import CheckedFile, document_check, product_image_check
from .listings import (
    listing_approve,
    listing_reject,
    product_delist,
    product_submit_for_review,
    products_delist_uncertified,
)
from .notices import notice_create, notices_mark_read
from .products import supplier_product_save
from .profile import supplier_profile_save
from .shipments import (
    group_shipment_ship,
    order_shippable_by_supplier,
    shipment_create,
    shipped_quantities,
)
from .stock import stock_bulk_update

__all__ = [
    "TRANSITIONS",
    "CheckedFile",
    "certificate_number_next",
    "certification_apply",
    "certification_approve",
    "certification_expiry_reminders",
    "certification_recommend",
    "certification_reject",
    "certification_resubmit",
    "certification_return",
    "certification_revoke",
    "certifications_expire",
    "document_check",
    "group_shipment_ship",
    "listing_approve",
    "listing_reject",
    "notice_create",
    "notices_mark_read",
    "order_shippable_by_supplier",
    "partner_certified_until_refresh",
    "product_delist",
    "product_image_check",
    "product_submit_for_review",
    "products_delist_uncertified",
    "shipment_create",
    "shipped_quantities",
    "stock_bulk_update",
    "supplier_product_save",
    "supplier_profile_save",
]
