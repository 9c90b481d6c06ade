"""The supplier portal home (/supplier/) served from the cache, and what retires it.

Each supplier has a version counter (``suppliers:partner:<id>:version``). The home's cached
copy is keyed by the user, the supplier, its counter, the day (this month's sales, the
certificate's days left) and the language. Any write to what the home reads moves the
counters of the suppliers it concerns when it commits:

- ``post_save`` / ``post_delete`` of the supplier, its stock records (an allocation's
  ``UPDATE`` sends ``post_save`` too), products (mapped to their suppliers when the
  transaction commits), orders (mapped to the suppliers of their lines), lines, shipments,
  sales facts, and every model of the suppliers app with a ``partner`` (certifications,
  notices...);
- the writes that send no signal call ``suppliers_changed`` themselves (notices marked read
  and products delisted by ``UPDATE``) or send a signal of their own (sales facts made by
  ``bulk_create``: ``reports.signals.sales_facts_written``).

A suppliers-app model without a ``partner`` moves the counters of every supplier
(``SUPPLIERS_VERSION_KEY``), so that a new model is safe before it is mapped.
"""

import hashlib
from collections.abc import Iterable

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

from core.caching import version_bump_on_commit, versions_get
from core.scoped_caching import OnCommitIds, ScopeVersions

PARTNER_VERSIONS = ScopeVersions("suppliers:partner")
SUPPLIERS_VERSION_KEY = "suppliers:portal:version"


def _partners_resolve(items: set) -> None:
    """Bump the suppliers of ``items`` (("partner" | "order" | "product", pk)), read after
    the commit: the suppliers of an order's lines, of a product's stock records."""
    from oscar.core.loading import get_model

    Line = get_model("order", "Line")
    StockRecord = get_model("partner", "StockRecord")
    by_kind: dict[str, set] = {}
    for kind, pk in items:
        by_kind.setdefault(kind, set()).add(pk)
    partners = set(by_kind.get("partner", ()))
    if by_kind.get("order"):
        partners.update(
            Line.objects.filter(order_id__in=by_kind["order"]).values_list("partner_id", flat=True)
        )
    if by_kind.get("product"):
        partners.update(
            StockRecord.objects.filter(product_id__in=by_kind["product"]).values_list(
                "partner_id", flat=True
            )
        )
    PARTNER_VERSIONS.bump_now(partners - {None})


_PENDING = OnCommitIds(_partners_resolve)


def suppliers_changed(
    *,
    partner_ids: Iterable = (),
    order_ids: Iterable = (),
    product_ids: Iterable = (),
    using: str | None = None,
) -> None:
    """Retire the cached portal homes of these suppliers (and of the suppliers of these
    orders and products) when the current transaction commits."""
    _PENDING.add(
        {("partner", pk) for pk in partner_ids if pk is not None}
        | {("order", pk) for pk in order_ids if pk is not None}
        | {("product", pk) for pk in product_ids if pk is not None},
        using=using,
    )


def _by_partner(instance):
    return {"partner_ids": [instance.partner_id]}


MAPPINGS = {
    "partner.Partner": lambda i: {"partner_ids": [i.pk]},
    "partner.StockRecord": _by_partner,
    "catalogue.Product": lambda i: {"product_ids": [i.pk, i.parent_id]},
    "order.Order": lambda i: {"order_ids": [i.pk]},
    "order.Line": _by_partner,
    "order.ShippingEvent": lambda i: {"partner_ids": [i.partner_id], "order_ids": [i.order_id]},
    "reports.SalesFact": lambda i: {"partner_ids": [i.supplier_id]},
    # Written at checkout when stock runs low: mapped, so that it does not retire every home.
    "partner.StockAlert": lambda i: {"partner_ids": [i.stockrecord.partner_id]},
    "partner.CertificationDecision": lambda i: {"partner_ids": [i.certification.partner_id]},
    "partner.CertificationDocument": lambda i: {"partner_ids": [i.certification.partner_id]},
}


def _receiver(mapping):
    def receiver(sender, instance, using=None, **kwargs):
        suppliers_changed(**mapping(instance), using=using)

    return receiver


def _all_receiver(sender, using=None, **kwargs):
    version_bump_on_commit(SUPPLIERS_VERSION_KEY, using=using)


_receivers: list = []  # kept: signals hold receivers weakly


def _facts_written(sender, facts, **kwargs):
    suppliers_changed(partner_ids={fact.supplier_id for fact in facts})


def receivers_connect() -> None:
    """Connect the receivers (``PartnerConfig.ready``)."""
    from reports.signals import sales_facts_written

    sales_facts_written.connect(_facts_written, dispatch_uid="supplier-cache:sales-facts")
    models = {label: apps.get_model(label) for label in MAPPINGS}
    for model in apps.get_app_config("partner").get_models():
        label = f"{model._meta.app_label}.{model.__name__}"
        if label in models:
            continue
        models[label] = model
        names = {f.name for f in model._meta.get_fields()}
        if "partner" not in names:
            MAPPINGS[label] = None
        elif label not in MAPPINGS:
            MAPPINGS[label] = _by_partner
    for label, model in models.items():
        mapping = MAPPINGS[label]
        receiver = _receiver(mapping) if mapping is not None else _all_receiver
        _receivers.append(receiver)
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, dispatch_uid=f"supplier-cache:{label}:{signal}")


def supplier_home_key(*, request, partner) -> str:
    """The cache key of ``request.user``'s copy of ``partner``'s portal home."""
    versions = versions_get(PARTNER_VERSIONS.key(partner.pk), SUPPLIERS_VERSION_KEY)
    digest = hashlib.sha256(repr((request.user.pk, request.get_full_path())).encode()).hexdigest()
    return ":".join(
        [
            "suppliers:home",
            str(partner.pk),
            *map(str, versions),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            digest[:32],
        ]
    )
