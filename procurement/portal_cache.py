"""The unit portal (/procurement/) served from the cache, and what retires it.

Each budget unit has a version counter (``procurement:unit:<id>:version``); one more,
``procurement:portal:version``, covers what every unit's page reads (policy years,
organisation types, units' names and links, suppliers' names). A unit's cached portal is
keyed by the user, the unit, the year, the user's units and roles, the day (the even-pace
target moves daily), the language, and the counters of the unit, of the unit whose filing it
shows (a shared canteen's host) and the global one. Any write to what the page reads moves
the counters of the units it concerns when it commits:

- ``post_save`` / ``post_delete`` of every procurement model and of orders, lines, shipments
  and payment events (``receivers_connect``); an order or a filing is mapped to its units
  when the transaction commits (the unit, the union's parent unit, the filing's unit); a
  user's save (not a sign-in's ``last_login``) to the units they belong to (their name);
- the writes that send no signal call ``units_changed`` themselves: the ledger's balance
  ``UPDATE``, settlements, approval rules, list items and members made by ``bulk_create``,
  and an order's channel set by ``UPDATE``.

A procurement model without a mapping here moves the global counter, so that a new model
is safe before it is mapped.
"""

import hashlib
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

from core.caching import version_bump_on_commit, versions_get
from core.scoped_caching import OnCommitIds, ScopeVersions

UNIT_VERSIONS = ScopeVersions("procurement:unit")
GLOBAL_VERSION_KEY = "procurement:portal:version"


def _units_resolve(items: set) -> None:
    """Bump the units of ``items`` (("unit" | "order" | "procurement" | "filing" | "user",
    pk)), read after the commit: an order's or procurement order's unit, the union's parent
    unit (its page shows its unions' purchases) and the filing's unit; a filing's unit and
    its parent; a user's units (their name is on the unit's orders and to-dos)."""
    from .models import BudgetUnitMember, Filing, ProcurementOrder

    by_kind: dict[str, set] = {}
    for kind, pk in items:
        by_kind.setdefault(kind, set()).add(pk)
    units = set(by_kind.get("unit", ()))
    fields = ("unit_id", "unit__parent_id", "filing__unit_id")
    for kind, lookup in (("order", "order_id__in"), ("procurement", "pk__in")):
        if by_kind.get(kind):
            for row in ProcurementOrder.objects.filter(**{lookup: by_kind[kind]}).values_list(
                *fields
            ):
                units.update(row)
    if by_kind.get("user"):
        units.update(
            BudgetUnitMember.objects.filter(user_id__in=by_kind["user"]).values_list(
                "unit_id", flat=True
            )
        )
    if by_kind.get("filing"):
        for row in Filing.objects.filter(pk__in=by_kind["filing"]).values_list(
            "unit_id", "unit__parent_id"
        ):
            units.update(row)
    UNIT_VERSIONS.bump_now(units - {None})


_PENDING = OnCommitIds(_units_resolve)


def units_changed(
    *,
    unit_ids: Iterable = (),
    order_ids: Iterable = (),
    procurement_ids: Iterable = (),
    filing_ids: Iterable = (),
    using: str | None = None,
) -> None:
    """Retire the cached portals of these units (and of the units of these orders,
    procurement orders and filings) when the current transaction commits."""
    _PENDING.add(
        {("unit", pk) for pk in unit_ids if pk is not None}
        | {("order", pk) for pk in order_ids if pk is not None}
        | {("procurement", pk) for pk in procurement_ids if pk is not None}
        | {("filing", pk) for pk in filing_ids if pk is not None},
        using=using,
    )


def portal_changed(*, using: str | None = None, **kwargs) -> None:
    """Retire every unit's cached portal when the current transaction commits."""
    version_bump_on_commit(GLOBAL_VERSION_KEY, using=using)


# Which rows a write concerns, by model: a function of the instance giving units_changed's
# keyword arguments. Rows written with their parent in the same transaction map to nothing.
def _by_unit(instance):
    return {"unit_ids": [instance.unit_id]}


def _by_procurement(instance):
    return {"procurement_ids": [instance.procurement_id]}


def _by_filing(instance):
    return {"filing_ids": [instance.filing_id]}


def _by_order(instance):
    return {"order_ids": [instance.order_id]}


MAPPINGS = {
    "procurement.BudgetUnitMember": _by_unit,
    "procurement.Filing": lambda i: {"filing_ids": [i.pk], "unit_ids": [i.unit_id]},
    "procurement.FilingVersion": _by_filing,
    "procurement.FilingDecision": _by_filing,
    "procurement.QuotaEntry": lambda i: {"filing_ids": [i.filing_id], "order_ids": [i.order_id]},
    "procurement.QuotaEntryLine": lambda i: {},  # written with its entry
    "procurement.ProcurementOrder": lambda i: {"procurement_ids": [i.pk], "unit_ids": [i.unit_id]},
    "procurement.ApprovalRule": _by_unit,
    "procurement.OrderApproval": _by_procurement,
    "procurement.Acceptance": _by_procurement,
    "procurement.AcceptanceLine": lambda i: {},  # written with its acceptance
    "procurement.Settlement": _by_procurement,
    "procurement.ProcurementRefund": _by_procurement,
    "procurement.ProcurementRefundLine": lambda i: {},  # written with its refund
    "procurement.PurchaseList": _by_unit,
    "procurement.PurchaseListItem": lambda i: {"unit_ids": [i.purchase_list.unit_id]},
    "procurement.ReminderSent": _by_unit,
    "procurement.Purchase832": lambda i: {"unit_ids": [i.unit_id], "filing_ids": [i.filing_id]},
    "procurement.UnionTarget": lambda i: {"unit_ids": [i.union_id]},
    "procurement.StaffLink": _by_unit,
    "procurement.StaffInvite": _by_unit,
    "procurement.StaffPurchase": _by_unit,
    "procurement.UnitDecision": _by_unit,
    "order.Order": lambda i: {"order_ids": [i.pk]},
    "order.Line": _by_order,
    "order.ShippingEvent": _by_order,
    "order.PaymentEvent": _by_order,
}
# What every unit's page reads: suppliers' names (shipments, settlements).
GLOBAL_MODELS = ("partner.Partner",)


def _receiver(mapping):
    def receiver(sender, instance, using=None, **kwargs):
        units_changed(**mapping(instance), using=using)

    return receiver


def _user_saved(sender, instance, using=None, update_fields=None, **kwargs):
    # A sign-in writes last_login only, which no portal shows.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    _PENDING.add({("user", instance.pk)}, using=using)


def _global_receiver(sender, using=None, **kwargs):
    portal_changed(using=using)


_receivers: list = []  # kept: signals hold receivers weakly


def receivers_connect() -> None:
    """Connect the receivers (``ProcurementConfig.ready``): every procurement model, the
    order models the page reads, and the global ones."""
    models = {
        f"{m._meta.app_label}.{m.__name__}": m
        for m in apps.get_app_config("procurement").get_models()
    }
    for label in MAPPINGS:
        if label not in models:
            app_label, name = label.split(".")
            models[label] = apps.get_model(app_label, name)
    for label, model in models.items():
        mapping = MAPPINGS.get(label)
        receiver = _receiver(mapping) if mapping is not None else _global_receiver
        _receivers.append(receiver)
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, dispatch_uid=f"portal-cache:{label}:{signal}")
    post_save.connect(
        _user_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="portal-cache:user"
    )
    for label in GLOBAL_MODELS:
        for signal in (post_save, post_delete):
            signal.connect(
                _global_receiver,
                sender=apps.get_model(label),
                dispatch_uid=f"portal-cache:{label}:{signal}",
            )


def unit_portal_key(*, request, unit, units, roles, year: int) -> str:
    """The cache key of ``request.user``'s portal page of ``unit`` for ``year``."""
    versions = versions_get(
        UNIT_VERSIONS.key(unit.pk), UNIT_VERSIONS.key(unit.filing_unit_id), GLOBAL_VERSION_KEY
    )
    who = repr(
        (
            request.user.pk,
            [(u.pk, u.name) for u in units],
            sorted(roles),
            request.get_full_path(),
        )
    )
    digest = hashlib.sha256(who.encode()).hexdigest()[:32]
    return ":".join(
        [
            "procurement:portal",
            str(unit.pk),
            str(year),
            *map(str, versions),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            digest,
        ]
    )
