"""Abstract models every domain's audit trail shares. ``core`` has no tables of its own.

``Decision``: who decided what about one subject, when and why. The four decision tables
(catalogue ``ListingDecision``, ``suppliers.CertificationDecision``,
``procurement.UnitDecision`` and ``procurement.OrderApproval``) keep the table names and
columns they had before this base existed; each names its own columns for the four parts
(``who_field``, ``outcome_field``, ``reason_field``, ``when_field``), so that one reader
(``who``, ``when``, ``outcome``, ``why``) and one writer (``record``) serve them all.

``ChangeRecord``: who changed a record's audited fields, when, from what to what (the
supplier's bank details, a policy year), written by the service that makes the change.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Decision(models.Model):
    """One decision about one subject (a product's listing, a certification, a unit, an
    order). ``created_at`` is the column three of the tables share; ``OrderApproval`` keeps
    its own (``decided_at``)."""

    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    #: The columns that hold who decided (a user, or empty for the system's own steps),
    #: the outcome, the reason, and when.
    who_field = "actor"
    outcome_field = "to_status"
    reason_field = "reason"
    when_field = "created_at"

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    @classmethod
    def record(cls, *, who, outcome: str, reason: str = "", at=None, **subject):
        """Write one decision: ``subject`` names what it is about (and the table's other
        columns, e.g. ``from_status``); ``at`` defaults to now."""
        fields = {
            cls.who_field: who,
            cls.outcome_field: outcome,
            cls.reason_field: reason,
            cls.when_field: at or timezone.now(),
        }
        return cls._default_manager.create(**fields, **subject)

    @property
    def who(self):
        return getattr(self, self.who_field)

    @property
    def when(self):
        return getattr(self, self.when_field)

    @property
    def outcome(self) -> str:
        return getattr(self, self.outcome_field)

    @property
    def outcome_label(self) -> str:
        return str(getattr(self, f"get_{self.outcome_field}_display")())

    @property
    def why(self) -> str:
        return getattr(self, self.reason_field)


class ChangeRecord(models.Model):
    """Who changed the audited fields of a record, when, and their values ``before`` and
    ``after`` (JSON, field name -> value; ``before`` is empty for a record just created)."""

    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    before = models.JSONField(_("修改前"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("修改后"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @classmethod
    def values_of(cls, instance, fields) -> dict:
        """``instance``'s ``fields`` as JSON values (decimals and dates as text), so that a
        value read from the database and one about to be saved compare equal."""
        encoder = DjangoJSONEncoder()
        values = {}
        for name in fields:
            value = getattr(instance, name)
            plain = value is None or isinstance(value, str | int | bool)
            values[name] = value if plain else encoder.default(value)
        return values

    @property
    def changed_fields(self) -> list[str]:
        """The fields whose value differs between ``before`` and ``after``."""
        return [name for name in self.after if self.before.get(name) != self.after[name]]
