"""Writes of the procurement domain (keyword-only; each docstring says what callers may rely on)."""

from .approval_rules import (
    approval_rules_check,
    approval_rules_describe,
    approval_rules_may_edit,
    approval_rules_replace,
)
from .filings import (
    filing_approve,
    filing_return,
    filing_submit,
    policy_override_save,
    policy_ratios,
    policy_year_save,
)
from .fulfilment import (
    procurement_order_sync_shipping,
    procurement_shipment_accept,
    settlement_confirm_receipt,
    settlement_invoice,
    settlement_transfer,
)
from .group_orders import (
    group_order_accept_shipped,
    group_order_addresses_import,
    group_parcel_accept,
)
from .ledger import ledger_append, quota_adjust
from .lists import (
    basket_add_items,
    purchase_list_add_to_basket,
    purchase_list_save,
    reorder_to_basket,
)
from .orders import (
    procurement_order_approve,
    procurement_order_cancel,
    procurement_order_reject,
)
from .organisations import (
    order_terms,
    organisation_create,
    organisation_register,
    organisation_types,
    organisation_types_seed,
    union_target_set,
)
from .purchases832 import Purchase832Row, purchases_832_record
from .reconcile import quota_reconcile
from .refunds import procurement_refund_record, refundable_lines
from .reviews import filing_pre_review_approve, filing_pre_review_return
from .staff import (
    staff_invite_rotate,
    staff_link_by_code,
    staff_link_decide,
    staff_link_request,
    staff_link_revoke,
    staff_purchase_attribute,
    unit_org_type,
)
from .submission import (
    basket_lines,
    basket_of_items,
    procurement_order_preview,
    procurement_order_submit,
    procurement_order_submit_items,
)
from .unit_links import unit_links_set
from .units import (
    unit_create,
    unit_member_add,
    unit_member_remove,
    unit_register,
    unit_registration_approve,
    unit_registration_reject,
    unit_registration_resubmit,
    unit_registration_return,
    unit_registration_withdraw,
)

__all__ = [
    "Purchase832Row",
    "approval_rules_check",
    "approval_rules_describe",
    "approval_rules_may_edit",
    "approval_rules_replace",
    "basket_add_items",
    "basket_lines",
    "basket_of_items",
    "filing_approve",
    "filing_pre_review_approve",
    "filing_pre_review_return",
    "filing_return",
    "filing_submit",
    "group_order_accept_shipped",
    "group_order_addresses_import",
    "group_parcel_accept",
    "ledger_append",
    "order_terms",
    "organisation_create",
    "organisation_register",
    "organisation_types",
    "organisation_types_seed",
    "policy_override_save",
    "policy_ratios",
    "policy_year_save",
    "procurement_order_approve",
    "procurement_order_cancel",
    "procurement_order_preview",
    "procurement_order_reject",
    "procurement_order_submit",
    "procurement_order_submit_items",
    "procurement_order_sync_shipping",
    "procurement_refund_record",
    "procurement_shipment_accept",
    "purchase_list_add_to_basket",
    "purchase_list_save",
    "purchases_832_record",
    "quota_adjust",
    "quota_reconcile",
    "refundable_lines",
    "reorder_to_basket",
    "settlement_confirm_receipt",
    "settlement_invoice",
    "settlement_transfer",
    "staff_invite_rotate",
    "staff_link_by_code",
    "staff_link_decide",
    "staff_link_request",
    "staff_link_revoke",
    "staff_purchase_attribute",
    "union_target_set",
    "unit_create",
    "unit_links_set",
    "unit_member_add",
    "unit_member_remove",
    "unit_org_type",
    "unit_register",
    "unit_registration_approve",
    "unit_registration_reject",
    "unit_registration_resubmit",
    "unit_registration_return",
    "unit_registration_withdraw",
]
