"""A unit's links to other units, set by bureau staff on the unit's page: its supervising
unit (主管预算单位, whose reviewers pre-review its filings) and its canteen case with the
host of a shared canteen (共用食堂主办单位)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.locks import row_lock

from ..access import bureau_require_scope
from ..models import BudgetUnit, CanteenStatus, UnitAction, UnitDecision


def _check(*, unit: BudgetUnit, supervisor, canteen_status: str, canteen_host) -> None:
    """Field errors in Chinese (``ValidationError`` by field) for links that cannot hold."""
    errors = {}
    if supervisor is not None:
        seen, above = {unit.pk}, supervisor
        while above is not None and "supervisor" not in errors:
            if above.pk in seen:
                errors["supervisor"] = _("不能选择本单位或本单位的下属单位作为主管预算单位。")
            seen.add(above.pk)
            above = above.supervisor
    if canteen_host is not None:
        if canteen_status != CanteenStatus.SHARED:
            errors["canteen_host"] = _("只有共用食堂的成员单位填写主办单位。")
        elif canteen_host.pk == unit.pk:
            errors["canteen_host"] = _("主办单位不能是本单位。")
        elif canteen_host.canteen_host_id is not None:
            errors["canteen_host"] = _("“%(host)s”本身是共用食堂的成员单位，不能作为主办单位。") % {
                "host": canteen_host.name
            }
        elif unit.canteen_members.exists():
            errors["canteen_host"] = _("本单位是其他单位的共用食堂主办单位，不能再加入其他食堂。")
    if errors:
        raise ValidationError(errors)


def unit_links_set(
    *, unit: BudgetUnit, user, supervisor, canteen_status: str, canteen_host
) -> BudgetUnit:
    """Set ``unit``'s supervising unit and canteen case (with the host of a shared canteen).
    Bureau staff whose region contains the unit, and the other units, only; a change is a
    ``UnitDecision`` (修改主管单位或食堂情况) saying what it is now. Raises a permission error,
    or ``ValidationError`` with Chinese field errors; nothing is written then. The free-text
    主管单位 follows the link's name so that lists and filters read the same."""
    bureau_require_scope(user=user, region=unit.region)
    for other in (supervisor, canteen_host):
        if other is not None:
            bureau_require_scope(user=user, region=other.region)
    with transaction.atomic():
        locked = row_lock(BudgetUnit, pk=unit.pk, own_row_only=True)
        _check(
            unit=locked,
            supervisor=supervisor,
            canteen_status=canteen_status,
            canteen_host=canteen_host,
        )
        before = (locked.supervisor_id, locked.canteen_status, locked.canteen_host_id)
        locked.supervisor = supervisor
        if supervisor is not None:
            locked.supervising_unit = supervisor.name
        locked.canteen_status = canteen_status
        locked.canteen_host = canteen_host
        if before == (locked.supervisor_id, locked.canteen_status, locked.canteen_host_id):
            return locked
        locked.save(
            update_fields=["supervisor", "supervising_unit", "canteen_status", "canteen_host"]
        )
        detail = _("主管预算单位：%(supervisor)s；食堂情况：%(canteen)s") % {
            "supervisor": supervisor.name if supervisor else _("无"),
            "canteen": locked.get_canteen_status_display(),
        }
        if canteen_host is not None:
            detail += _("（主办单位：%(host)s）") % {"host": canteen_host.name}
        UnitDecision.record(
            unit=locked, who=user, outcome=UnitAction.LINKS_CHANGED, reason=detail[:300]
        )
    return locked
