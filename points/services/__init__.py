"""The writes of the points domain (see each module's docstring)."""

from .awards import (
    award_credit,
    award_end_notice_early,
    award_record,
    award_review,
    awards_credit_due,
    household_by_code,
    objection_decide,
    objection_record,
    rule_book_for,
    rules_in_force,
)
from .expiry import points_expire_due
from .households import HouseholdImport, households_import
from .ledger import goods_lock, household_lock, ledger_append, stock_move_append
from .lookup import household_lookup
from .reconcile import points_reconcile
from .restock import (
    funding_parse,
    restock_for_manager,
    restock_order_place,
    restock_shipment_accept,
    restock_stock_on_acceptance,
    supermarket_buyer_open,
)
from .shop import Item, goods_restock, redemption_create, redemption_reverse

__all__ = [
    "HouseholdImport",
    "Item",
    "award_credit",
    "award_end_notice_early",
    "award_record",
    "award_review",
    "awards_credit_due",
    "funding_parse",
    "goods_lock",
    "goods_restock",
    "household_by_code",
    "household_lock",
    "household_lookup",
    "households_import",
    "ledger_append",
    "objection_decide",
    "objection_record",
    "points_expire_due",
    "points_reconcile",
    "redemption_create",
    "redemption_reverse",
    "restock_for_manager",
    "restock_order_place",
    "restock_shipment_accept",
    "restock_stock_on_acceptance",
    "rule_book_for",
    "rules_in_force",
    "stock_move_append",
    "supermarket_buyer_open",
]
