"""Points over the integration API (/api/v1/points/): the rules in force in a village, award
recording and a household's balance, with the same rules and refusals as the pages (each
refusal a 4xx answer with a Chinese ``detail``, nothing written)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from procurement.api import ErrorOut

from . import selectors, services
from .access import user_is_clerk, user_oversees
from .exceptions import PointsError

router = Router(tags=["积分超市"])

MAX_ID = 2**31 - 1


class RuleOut(Schema):
    id: int
    aspect: str
    code: str
    title: str
    points: int
    unit: str
    cap_times: int | None
    cap_period: str
    evidence_required: bool


class AwardIn(Schema):
    household_code: str = Field(min_length=1, max_length=20)
    rule_id: int = Field(gt=0, le=MAX_ID)
    awarded_on: datetime.date
    note: str = Field(default="", max_length=300)


class AwardOut(Schema):
    id: int
    household_code: str
    rule_id: int
    points: int
    awarded_on: datetime.date
    status: str
    notice_ends_on: datetime.date | None


class EntryOut(Schema):
    kind: str
    delta: int
    balance_after: int
    created_at: datetime.datetime


class BalanceOut(Schema):
    code: str
    village: str
    balance: int
    pending_points: int
    entries: list[EntryOut]


def _award_out(award) -> AwardOut:
    return AwardOut(
        id=award.pk,
        household_code=award.household.code,
        rule_id=award.rule_id,
        points=award.points,
        awarded_on=award.awarded_on,
        status=award.status,
        notice_ends_on=award.notice_ends_on,
    )


@router.get(
    "/villages/{code}/rules",
    response={200: list[RuleOut], 404: ErrorOut},
    summary="村适用的评分细则",
    description="该村在 date（默认今天）适用的评分细则：县级细则优先于市级。",
)
def rules(request, code: str, date: datetime.date | None = None):
    village = selectors.village_by_code(code)
    if village is None:
        raise HttpError(404, _("没有找到该村。"))
    on = date or timezone.localdate()
    return [
        RuleOut(
            id=r.pk,
            aspect=r.aspect.name,
            code=r.code,
            title=r.title,
            points=r.points,
            unit=r.unit,
            cap_times=r.cap_times,
            cap_period=r.cap_period,
            evidence_required=r.evidence_required,
        )
        for r in services.rules_in_force(village=village, on=on)
    ]


@router.post(
    "/awards",
    response={201: AwardOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="记录积分",
    description="本村记分员为农户记录一条积分，等待村民代表评议。需上传佐证照片的细则请在页面上记录。"
    "未知农户 404；非本村记分员 403；细则不适用、超过上限、一次性细则重复 409；均不写入任何数据。",
)
def award_create(request, payload: AwardIn):
    try:
        award = services.award_record(
            user=request.user,
            household_code=payload.household_code,
            rule_id=payload.rule_id,
            awarded_on=payload.awarded_on,
            note=payload.note,
        )
    except PointsError as error:
        return error.status_code, ErrorOut(detail=str(error))
    return 201, _award_out(award)


@router.get(
    "/households/{code}",
    response={200: BalanceOut, 404: ErrorOut},
    summary="农户积分余额",
    description="本村记分员、所属积分超市管理员和辖区帮扶工作人员可查；其他人得到 404。",
)
def household_balance(request, code: str):
    try:
        household = services.household_by_code(code)
    except PointsError as error:
        return 404, ErrorOut(detail=str(error))
    village = household.village
    user = request.user
    if not (
        user_is_clerk(user=user, village=village)
        or user_oversees(user=user, village=village)
        or village.supermarket.managers.filter(pk=user.pk).exists()
    ):
        return 404, ErrorOut(detail=_("没有找到该户，请核对户编码。"))
    return 200, BalanceOut(
        code=household.code,
        village=village.name,
        balance=household.balance,
        pending_points=sum(a.points for a in selectors.household_pending(household=household)),
        entries=[
            EntryOut(
                kind=e.kind, delta=e.delta, balance_after=e.balance_after, created_at=e.created_at
            )
            for e in selectors.household_history(household=household, limit=50)
        ],
    )
