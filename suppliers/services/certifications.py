"""The certification workflow: apply, recommend or return (county), approve or reject (city),
resubmit after a return, revoke (city), expire (daily task).

Every decision locks the certification row, checks the move against ``CERTIFICATION_MOVES``
(``TRANSITIONS``, through ``core.states``) and the
reviewer's level and region, and records a ``CertificationDecision`` in the same
transaction; a refused decision raises and writes nothing.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from oscar.core.loading import get_model

from core.locks import row_lock
from core.states import StateMachine

from ..access import (
    is_city_reviewer,
    is_county_reviewer,
    reviewer_covers,
    reviewer_for_user,
)
from ..exceptions import (
    CertificationApplicationOpenError,
    CertificationPermissionError,
    CertificationTransitionError,
    DocumentInvalidError,
)
from ..models import (
    CERTIFICATION_OPEN_STATUSES,
    CertificateSequence,
    Certification,
    CertificationDecision,
    CertificationDocument,
    CertificationStatus,
    DocumentKind,
    NoticeKind,
)
from .documents import CheckedFile
from .notices import notice_create
from .profile import bank_details_change_record, bank_details_stored

logger = logging.getLogger(__name__)

Partner = get_model("partner", "Partner")
S = CertificationStatus

#: The whole state machine; the system alone makes the move to 已过期.
TRANSITIONS = {
    S.APPLIED: (S.RECOMMENDED, S.RETURNED),
    S.RECOMMENDED: (S.CERTIFIED, S.REJECTED, S.RETURNED),
    S.RETURNED: (S.APPLIED,),
    S.CERTIFIED: (S.REVOKED, S.EXPIRED),
    S.REJECTED: (),
    S.REVOKED: (),
    S.EXPIRED: (),
}
CERTIFICATION_MOVES = StateMachine(
    field="status",
    transitions=TRANSITIONS,
    error=CertificationTransitionError,
    refusal=_lazy("该申请当前为“%(status)s”，不能执行此操作。"),
)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def _locked(certification: Certification) -> Certification:
    return row_lock(
        Certification,
        pk=certification.pk,
        related=("partner", "partner__region"),
        own_row_only=True,
    )


def _move(
    certification: Certification,
    *,
    to: str,
    actor=None,
    actor_label: str = "",
    reason: str = "",
    fields: dict | None = None,
) -> CertificationDecision:
    CERTIFICATION_MOVES.check(certification, to)
    for name, value in (fields or {}).items():
        setattr(certification, name, value)
    old = CERTIFICATION_MOVES.move(certification, to, also=list(fields or {}))
    return CertificationDecision.record(
        certification=certification,
        who=actor,
        outcome=to,
        reason=reason,
        actor_label=actor_label,
        from_status=old,
    )


def _reviewer(user, certification, *, level: str):
    staff = reviewer_for_user(user)
    allowed_level = is_county_reviewer(staff) if level == "county" else is_city_reviewer(staff)
    if not allowed_level:
        raise CertificationPermissionError(
            _("只有县级帮扶工作人员可以推荐或退回申请。")
            if level == "county"
            else _("只有市级帮扶工作人员可以作出此决定。")
        )
    if not reviewer_covers(staff, certification.partner):
        raise CertificationPermissionError(_("该供应商不在您的管辖区域内。"))
    return staff


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CertificationTransitionError(_("请填写理由。"))
    return reason


def partner_certified_until_refresh(*, partner) -> datetime.date | None:
    """Recompute the cached ``certified_until`` from the supplier's 已认定 certifications."""
    until = Certification.objects.filter(partner=partner, status=S.CERTIFIED).aggregate(
        until=Max("valid_until")
    )["until"]
    if partner.certified_until != until:
        partner.certified_until = until
        partner.save(update_fields=["certified_until"])
    return until


def _documents_add(*, certification, documents: list[tuple[str, CheckedFile]], user) -> None:
    # Documents are checked before any row is written; a file left by a later rollback is
    # never served (no row points at it) and has a random name.
    for kind, checked in documents:
        doc = CertificationDocument(
            certification=certification,
            kind=kind,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=user,
        )
        doc.file.save(f"upload.{checked.extension}", checked.content, save=False)
        doc.save()


# ---------------------------------------------------------------------------
# Supplier side
# ---------------------------------------------------------------------------
@transaction.atomic
def certification_apply(
    *, partner, user, documents: list[tuple[str, CheckedFile]], note: str = ""
) -> Certification:
    """File a new application for ``partner`` (saved here if new, with ``user`` as its staff)
    with its checked documents; the first application needs a business licence. Raises
    ``CertificationApplicationOpenError`` when one is already under way."""
    is_new = partner.pk is None
    bank_details = bank_details_stored(partner=partner)  # locks an existing supplier's row
    if not is_new:
        if Certification.objects.filter(
            partner=partner, status__in=CERTIFICATION_OPEN_STATUSES
        ).exists():
            raise CertificationApplicationOpenError(
                _("您已有一份正在办理的认定申请，请在该申请上继续操作。")
            )
    if not any(kind == DocumentKind.BUSINESS_LICENSE for kind, _doc in documents):
        raise DocumentInvalidError(_("请上传营业执照。"))
    partner.save()
    bank_details_change_record(partner=partner, user=user, before=bank_details)
    if is_new:
        partner.users.add(user)
    certification = Certification.objects.create(partner=partner, status=S.APPLIED)
    CertificationDecision.record(
        certification=certification,
        who=user,
        outcome=S.APPLIED,
        reason=note.strip() or _("提交认定申请"),
        actor_label=partner.name,
        from_status="",
    )
    _documents_add(certification=certification, documents=documents, user=user)
    logger.info("certification %s: %s applied", certification.pk, partner.name)
    return certification


@transaction.atomic
def certification_resubmit(
    *, certification, user, documents: list[tuple[str, CheckedFile]], note: str = ""
) -> Certification:
    """Send a returned application back to the county after correcting it (profile edits are
    saved by the caller in the same transaction; more documents may be added)."""
    certification = _locked(certification)
    if not certification.partner.users.filter(pk=user.pk).exists():
        raise CertificationPermissionError(_("您不是该供应商的工作人员。"))
    _documents_add(certification=certification, documents=documents, user=user)
    _move(
        certification,
        to=S.APPLIED,
        actor=user,
        actor_label=certification.partner.name,
        reason=note.strip() or _("已按要求修改，重新提交"),
        fields={"applied_at": timezone.now()},
    )
    return certification


# ---------------------------------------------------------------------------
# Reviewer side
# ---------------------------------------------------------------------------
@transaction.atomic
def certification_recommend(*, certification, user, reason: str = "") -> Certification:
    """County reviewer: the application goes on to the city."""
    certification = _locked(certification)
    staff = _reviewer(user, certification, level="county")
    _move(
        certification,
        to=S.RECOMMENDED,
        actor=user,
        actor_label=staff.bureau_name,
        reason=reason.strip() or _("材料齐全，同意推荐"),
    )
    return certification


@transaction.atomic
def certification_return(*, certification, user, reason: str) -> Certification:
    """County reviewer (an application) or city reviewer (a recommended one): back to the
    supplier with the reason, for correction."""
    certification = _locked(certification)
    level = "county" if certification.status == S.APPLIED else "city"
    staff = _reviewer(user, certification, level=level)
    reason = _require_reason(reason)
    _move(certification, to=S.RETURNED, actor=user, actor_label=staff.bureau_name, reason=reason)
    notice_create(
        partner=certification.partner,
        kind=NoticeKind.CERTIFICATION,
        message=_("您的认定申请被退回，请修改后重新提交。理由：%(reason)s") % {"reason": reason},
        email=True,
    )
    return certification


def certificate_number_next(*, year: int) -> str:
    """The next certificate number of ``year`` (淮北消帮认〔2026〕0001). Takes the year's
    sequence row lock, so concurrent approvals get distinct numbers; call in a transaction."""
    CertificateSequence.objects.get_or_create(year=year)
    seq = CertificateSequence.objects.select_for_update().get(pk=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{settings.SUPPLIERS_CERTIFICATE_PREFIX}〔{year}〕{seq.last:04d}"


@transaction.atomic
def certification_approve(*, certification, user, reason: str = "") -> Certification:
    """City reviewer: certify. The certificate gets the next number of the year and is valid
    for ``SUPPLIERS_CERTIFICATION_VALID_DAYS`` from today, or, for a renewal, from the day
    after the current certificate ends. The supplier's products may then be listed."""
    certification = _locked(certification)
    staff = _reviewer(user, certification, level="city")
    if certification.status != S.RECOMMENDED:
        _move(certification, to=S.CERTIFIED)  # raises the transition error
    today = timezone.localdate()
    partner = Partner.objects.select_for_update().get(pk=certification.partner_id)
    valid_from = today
    if partner.certified_until and partner.certified_until >= today:
        valid_from = partner.certified_until + datetime.timedelta(days=1)
    valid_until = valid_from + datetime.timedelta(
        days=settings.SUPPLIERS_CERTIFICATION_VALID_DAYS - 1
    )
    number = certificate_number_next(year=today.year)
    _move(
        certification,
        to=S.CERTIFIED,
        actor=user,
        actor_label=staff.bureau_name,
        reason=reason.strip() or _("经审核，予以认定"),
        fields={
            "certificate_no": number,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "decided_at": timezone.now(),
        },
    )
    partner_certified_until_refresh(partner=partner)
    notice_create(
        partner=partner,
        kind=NoticeKind.CERTIFICATION,
        message=_("恭喜，您已通过消费帮扶供应商认定，证书编号 %(no)s，有效期至 %(until)s。")
        % {"no": number, "until": valid_until.isoformat()},
        email=True,
    )
    return certification


@transaction.atomic
def certification_reject(*, certification, user, reason: str) -> Certification:
    """City reviewer: refuse a recommended application, with the reason."""
    certification = _locked(certification)
    staff = _reviewer(user, certification, level="city")
    reason = _require_reason(reason)
    _move(
        certification,
        to=S.REJECTED,
        actor=user,
        actor_label=staff.bureau_name,
        reason=reason,
        fields={"decided_at": timezone.now()},
    )
    notice_create(
        partner=certification.partner,
        kind=NoticeKind.CERTIFICATION,
        message=_("您的认定申请未通过。理由：%(reason)s") % {"reason": reason},
        email=True,
    )
    return certification


@transaction.atomic
def certification_revoke(*, certification, user, reason: str) -> Certification:
    """City reviewer: withdraw a certificate, with the reason. When the supplier holds no
    other valid certificate its products are delisted at once."""
    from .listings import products_delist_uncertified

    certification = _locked(certification)
    staff = _reviewer(user, certification, level="city")
    reason = _require_reason(reason)
    _move(
        certification,
        to=S.REVOKED,
        actor=user,
        actor_label=staff.bureau_name,
        reason=reason,
        fields={"decided_at": timezone.now()},
    )
    partner = Partner.objects.select_for_update().get(pk=certification.partner_id)
    partner_certified_until_refresh(partner=partner)
    products_delist_uncertified(
        partners=[partner], reason=_("供应商认定已撤销：%(reason)s") % {"reason": reason}
    )
    notice_create(
        partner=partner,
        kind=NoticeKind.CERTIFICATION,
        message=_("您的供应商认定已被撤销，商品已下架。理由：%(reason)s") % {"reason": reason},
        email=True,
    )
    return certification


# ---------------------------------------------------------------------------
# The daily sweep
# ---------------------------------------------------------------------------
@transaction.atomic
def certifications_expire(*, today: datetime.date | None = None) -> list[int]:
    """Mark 已认定 certifications past their last valid day as 已过期 (system decision),
    refresh their suppliers and delist the products of every supplier left without a valid
    certificate (also those revoked or expired earlier). Idempotent. Returns the expired
    certification ids."""
    from .listings import products_delist_uncertified

    today = today or timezone.localdate()
    due = list(
        Certification.objects.select_for_update(of=("self",))
        .filter(status=S.CERTIFIED, valid_until__lt=today)
        .select_related("partner")
        .order_by("pk")
    )
    partners = {}
    for certification in due:
        _move(
            certification,
            to=S.EXPIRED,
            actor_label=str(_("系统")),
            reason=_("有效期已于 %(day)s 届满") % {"day": certification.valid_until.isoformat()},
        )
        partners[certification.partner_id] = certification.partner
    for partner in partners.values():
        partner_certified_until_refresh(partner=partner)
    for certification in due:
        if not certification.partner.is_certified_on(today):
            notice_create(
                partner=certification.partner,
                kind=NoticeKind.EXPIRED,
                message=_(
                    "您的供应商认定（%(no)s）已过期，商品已下架。如需继续销售，请重新申请认定。"
                )
                % {"no": certification.certificate_no},
                dedupe_key=f"expired:{certification.pk}",
                email=True,
            )
    stale = Partner.objects.exclude(certified_until__gte=today)
    products_delist_uncertified(partners=stale, reason=_("供应商认定已失效"), today=today)
    return [c.pk for c in due]


def certification_expiry_reminders(*, today: datetime.date | None = None) -> list[str]:
    """Remind suppliers 30 and 7 days before their certificate ends (portal notice and email),
    each reminder once; a supplier already renewed beyond it is not reminded. Returns the
    reminders sent as ``"<days>:<certification id>"``."""
    today = today or timezone.localdate()
    thresholds = sorted(settings.SUPPLIERS_EXPIRY_NOTICE_DAYS)
    horizon = today + datetime.timedelta(days=thresholds[-1])
    sent = []
    due = Certification.objects.filter(
        status=S.CERTIFIED, valid_until__gte=today, valid_until__lte=horizon
    ).select_related("partner")
    for certification in due:
        partner = certification.partner
        if partner.certified_until and partner.certified_until > certification.valid_until:
            continue
        days_left = (certification.valid_until - today).days
        threshold = next(d for d in thresholds if days_left <= d)
        kind = NoticeKind.EXPIRY_7 if threshold <= 7 else NoticeKind.EXPIRY_30
        with transaction.atomic():
            notice = notice_create(
                partner=partner,
                kind=kind,
                message=_(
                    "您的供应商认定（%(no)s）将于 %(until)s 到期，还剩 %(days)s 天。"
                    "请及时提交续期申请，到期后商品将自动下架。"
                )
                % {
                    "no": certification.certificate_no,
                    "until": certification.valid_until.isoformat(),
                    "days": days_left,
                },
                dedupe_key=f"expiry-{threshold}:{certification.pk}",
                email=True,
            )
        if notice is not None:
            sent.append(f"{threshold}:{certification.pk}")
    return sent
