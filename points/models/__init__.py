"""Village points supermarkets: places and households, the rule book, awards with their
review and notice, the points ledger, goods, stock and redemptions, restocking orders."""

from .awards import (
    LIVE_STATUSES,
    Award,
    AwardAction,
    AwardStatus,
    AwardStep,
    Objection,
    ObjectionDecision,
)
from .ledger import EntryKind, PointsEntry
from .places import Household, Supermarket, Village
from .restock import FundingSource, RestockFunding, RestockOrder
from .rules import Aspect, CapPeriod, Rule, RuleBook, RuleUnit
from .shop import Goods, Redemption, RedemptionLine, RedemptionStatus, StockMove, StockMoveKind

__all__ = [
    "LIVE_STATUSES",
    "Aspect",
    "Award",
    "AwardAction",
    "AwardStatus",
    "AwardStep",
    "CapPeriod",
    "EntryKind",
    "FundingSource",
    "Goods",
    "Household",
    "Objection",
    "ObjectionDecision",
    "PointsEntry",
    "Redemption",
    "RedemptionLine",
    "RedemptionStatus",
    "RestockFunding",
    "RestockOrder",
    "Rule",
    "RuleBook",
    "RuleUnit",
    "StockMove",
    "StockMoveKind",
    "Supermarket",
    "Village",
]
