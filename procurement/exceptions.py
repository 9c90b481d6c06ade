"""Refusals of the procurement domain. Each carries a Chinese message for the user; views
show it as it is and the API answers it with a 4xx status (``status_code``)."""

from django.utils.translation import gettext as _


class ProcurementError(Exception):
    status_code = 400
    default_message = ""

    def __init__(self, message: str | None = None):
        self.message = message or _(self.default_message)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class ProcurementPermissionError(ProcurementError):
    status_code = 403
    default_message = "您没有权限执行此操作。"


class UnitMembershipRequiredError(ProcurementPermissionError):
    default_message = "您不是该预算单位的采购员，不能以该单位名义下单。"


class ApproverSelfApprovalError(ProcurementPermissionError):
    default_message = "采购员不能审批自己提交的订单。"


class PolicyYearMissingError(ProcurementError):
    status_code = 404
    default_message = "该年度的政策尚未发布。"


class PolicyYearClosedError(ProcurementError):
    status_code = 409
    default_message = "该年度已停止填报，不能再提交或修改预留份额。"


class FilingRatioTooLowError(ProcurementError):
    default_message = "预留比例低于年度最低要求。"


class FilingInvalidError(ProcurementError):
    default_message = "填报内容有误。"


class FilingStateError(ProcurementError):
    status_code = 409
    default_message = "当前状态下不能进行此操作。"


class FilingNotFoundError(ProcurementError):
    status_code = 404
    default_message = "没有找到该填报。"


class FilingNotApprovedError(ProcurementError):
    status_code = 409
    default_message = "该填报尚未通过审核，不能下单。"


class QuotaBalanceShortError(ProcurementError):
    status_code = 409
    default_message = "预留份额余额不足。"


class FilingSpendingCapError(QuotaBalanceShortError):
    """Past the policy year's spending cap (the filed annual canteen food budget); never
    raised for going past the reserved amount, which is a floor."""

    default_message = "超过本单位年度采购上限。"


class QuotaAdjustmentError(ProcurementError):
    default_message = "调整无效。"


class ProductNotFoundError(ProcurementError):
    status_code = 404
    default_message = "没有找到商品。"


class OrderItemsInvalidError(ProcurementError):
    default_message = "订单中有不可采购的商品。"


class BasketChangedError(ProcurementError):
    """The basket is not what the purchaser reviewed: a line, a quantity or a price changed
    between the review page and the submit. Nothing was written."""

    status_code = 409
    default_message = "购物车在您核对之后有变动，订单未提交。"


class ProcurementOrderStateError(ProcurementError):
    status_code = 409
    default_message = "订单当前状态下不能进行此操作。"


class AcceptanceQuantityError(ProcurementError):
    default_message = "验收数量有误。"


class GroupParcelNotFoundError(ProcurementError):
    status_code = 404
    default_message = "这个订单没有这个已发货的包裹。"


class SettlementError(ProcurementError):
    status_code = 409
    default_message = "结算信息有误。"


class UnitRegistrationError(ProcurementError):
    status_code = 409
    default_message = "不能提交单位注册。"


class UnitMemberError(ProcurementError):
    default_message = "成员信息有误。"


class RefundError(ProcurementError):
    default_message = "退款信息有误。"


class OrganisationError(ProcurementError):
    default_message = "“八进”单位信息有误。"


class UnionTargetError(ProcurementError):
    default_message = "工会消费帮扶任务有误。"


class StaffLinkError(ProcurementError):
    status_code = 409
    default_message = "不能关联该单位。"


class GroupAddressListRefusedError(ProcurementError):
    """An address list (多地址配送) with problems: ``errors`` holds (row, message) pairs, row
    0 for the file or the list as a whole; nothing was imported."""

    status_code = 400
    default_message = "地址清单有误，未导入任何地址。"

    def __init__(self, message: str | None = None, *, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__(message)
