from .bureau import BureauAwardsView, BureauReportExcelView, BureauReportView
from .clerk import (
    AwardActionView,
    AwardDetailView,
    AwardPhotoView,
    ClerkView,
    HouseholdImportView,
)
from .public import BoardView, IndexView, LookupView, NoticeSheetView
from .restock import RestockDetailView, RestockView
from .shop import ReceiptView, ShopView

__all__ = [
    "AwardActionView",
    "AwardDetailView",
    "AwardPhotoView",
    "BoardView",
    "BureauAwardsView",
    "BureauReportExcelView",
    "BureauReportView",
    "ClerkView",
    "HouseholdImportView",
    "IndexView",
    "LookupView",
    "NoticeSheetView",
    "ReceiptView",
    "RestockDetailView",
    "RestockView",
    "ShopView",
]
