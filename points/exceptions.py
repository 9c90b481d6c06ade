"""Refusals of the points domain. Each carries a Chinese message for the user; views show it
as it is and the API answers it with its 4xx status (``status_code``). Every refusal is
raised before anything is written, or inside the transaction it rolls back."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.errors import DomainError


class PointsError(DomainError):
    pass


class PointsPermissionError(PointsError):
    status_code = 403
    default_message = gettext_noop("您没有权限执行此操作。")


class ClerkOutsideVillageError(PointsPermissionError):
    default_message = gettext_noop("您不是该村的记分员，不能为该村农户记分。")


class ReviewBySelfError(PointsPermissionError):
    default_message = gettext_noop(
        "记录积分的记分员不能评议自己记录的积分，请由本村其他记分员录入评议结果。"
    )


class HouseholdNotFoundError(PointsError):
    status_code = 404
    default_message = gettext_noop("没有找到该户，请核对户编码。")

    @staticmethod
    def lookup_message() -> str:
        return _("户编码或电话后四位不正确。")


class RuleNotInForceError(PointsError):
    status_code = 409
    default_message = gettext_noop("该评分细则在所选日期不适用。")


class RuleCapReachedError(PointsError):
    status_code = 409
    default_message = gettext_noop("该户本周期在此细则下的积分已达上限。")


class RuleOnceOnlyError(PointsError):
    status_code = 409
    default_message = gettext_noop("该细则为一次性积分，该户已记录过，不能重复记分。")


class EvidenceMissingError(PointsError):
    default_message = gettext_noop("该细则要求上传佐证照片。")


class EvidenceInvalidError(PointsError):
    default_message = gettext_noop("佐证照片无法识别。")


class AwardInvalidError(PointsError):
    default_message = gettext_noop("积分记录内容有误。")


class AwardStateError(PointsError):
    status_code = 409
    default_message = gettext_noop("该积分记录当前状态下不能进行此操作。")


class BalanceShortError(PointsError):
    status_code = 409
    default_message = gettext_noop("积分余额不足。")


class StockShortError(PointsError):
    status_code = 409
    default_message = gettext_noop("超市库存不足。")


class RedemptionInvalidError(PointsError):
    default_message = gettext_noop("兑换内容有误。")


class ImportFileInvalidError(PointsError):
    default_message = gettext_noop("导入文件无法读取。")


class LookupThrottledError(PointsError):
    status_code = 429
    default_message = gettext_noop("查询过于频繁，请稍后再试。")


class RestockNotOpenError(PointsError):
    status_code = 409
    default_message = gettext_noop(
        "本超市尚未开通集市补货（未登记采购主体），请联系乡村振兴局开通。"
    )


class RestockFundingError(PointsError):
    default_message = gettext_noop("资金来源填写有误。")


class RestockNotFoundError(PointsError):
    status_code = 404
    default_message = gettext_noop("没有找到该补货单。")
