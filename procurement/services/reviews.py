"""The supervising unit's pre-review (主管预算单位初审) of its subordinate units' filings.

Where the policy year asks for it (``PolicyYear.supervisor_review_required``), a filing
version of a unit with a supervising unit waits first for that unit's reviewers (主管审核人
or 单位管理员): they pass it on to the bureau, which gives the final review, or return it
with a reason. Each step is a ``FilingDecision`` row."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access import supervisor_require_reviewer
from ..exceptions import FilingInvalidError, FilingStateError
from ..models import Filing, FilingAction, FilingStatus, FilingVersion, ReviewRole
from .filings import FILING_MOVES, FILING_VERSION_MOVES, filing_decision_record
from .locks import filing_lock

F = FilingStatus


def _pre_review_version(filing: Filing) -> FilingVersion:
    version = filing.versions.order_by("-number").first()
    if version is None or version.status != F.PRE_REVIEW:
        raise FilingStateError(_("该填报没有等待主管预算单位初审的版本。"))
    return version


def filing_pre_review_approve(
    *, filing: Filing, user, at: datetime.datetime | None = None
) -> Filing:
    """Pass the version waiting for pre-review on to the bureau (待审核). Only a reviewer of
    the filing's unit's supervising unit; any other user is told the filing does not exist
    (``FilingNotFoundError``). Raises ``FilingStateError`` when no version waits for
    pre-review; nothing is written then."""
    supervisor = supervisor_require_reviewer(user=user, unit=filing.unit)
    at = at or timezone.now()
    with transaction.atomic():
        locked = filing_lock(filing_id=filing.pk)
        version = _pre_review_version(locked)
        FILING_VERSION_MOVES.move(version, F.SUBMITTED)
        if locked.status == F.PRE_REVIEW:
            FILING_MOVES.move(locked, F.SUBMITTED)
        filing_decision_record(
            filing=locked,
            version=version,
            user=user,
            role=ReviewRole.SUPERVISOR,
            office=supervisor.name,
            action=FilingAction.APPROVED,
            at=at,
        )
    return locked


def filing_pre_review_return(
    *, filing: Filing, user, reason: str, at: datetime.datetime | None = None
) -> Filing:
    """Return the version waiting for pre-review to the unit with a reason, as the bureau
    returns one: a first filing goes back for correction (已退回), a returned amendment leaves
    the approved figures in force. Same permission and state rules as the approval."""
    supervisor = supervisor_require_reviewer(user=user, unit=filing.unit)
    reason = (reason or "").strip()
    if not reason:
        raise FilingInvalidError(_("退回时必须填写原因。"))
    at = at or timezone.now()
    with transaction.atomic():
        locked = filing_lock(filing_id=filing.pk)
        version = _pre_review_version(locked)
        version.decided_by = user
        version.decided_at = at
        version.reason = reason
        FILING_VERSION_MOVES.move(version, F.RETURNED, also=["decided_by", "decided_at", "reason"])
        if locked.status != F.APPROVED:
            locked.return_reason = reason
            FILING_MOVES.move(locked, F.RETURNED, also=["return_reason"])
        filing_decision_record(
            filing=locked,
            version=version,
            user=user,
            role=ReviewRole.SUPERVISOR,
            office=supervisor.name,
            action=FilingAction.RETURNED,
            reason=reason,
            at=at,
        )
    return locked
