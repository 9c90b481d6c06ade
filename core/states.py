"""One way to move a state: each state field declares its moves once (``TRANSITIONS``: a state
-> the states it may move to) in a ``StateMachine``, and every service moves the field through
it, on a row it read under its lock (``core.locks.row_lock``).

A refused move raises the domain's own error (``error``, an exception whose ``str()`` is the
Chinese reason) before anything is written, so views answer it as they answer every other
refusal of that domain.
"""

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy as _

#: The refusal of a machine that declares none of its own.
REFUSAL = _("当前状态为“%(status)s”，不能执行此操作。")


class StateMachine:
    """The declared moves of one state field.

    ``refusal`` is the Chinese message of a refused move; it may name the current state as
    ``%(status)s`` (its display label) and the wanted one as ``%(to)s``. A service whose
    refusal reads differently for one move passes its own message to ``check`` or ``move``.
    """

    def __init__(
        self,
        *,
        field: str,
        transitions: Mapping[str, Iterable[str]],
        error: type[Exception],
        refusal=REFUSAL,
    ):
        self.field = field
        self.transitions = {str(old): tuple(new) for old, new in transitions.items()}
        self.error = error
        self.refusal = refusal

    @property
    def states(self) -> set[str]:
        """Every state the machine names, as a source or a target."""
        return set(self.transitions) | {s for targets in self.transitions.values() for s in targets}

    def allows(self, old: str, new: str) -> bool:
        return new in self.transitions.get(old, ())

    def check(
        self, instance, to: str, *, refusal=None, only_from: Iterable[str] | None = None
    ) -> None:
        """Raise ``error`` unless ``instance``'s state may move to ``to`` (and, for a service
        that starts the move from fewer states than the machine allows, is in ``only_from``)."""
        old = getattr(instance, self.field)
        if not self.allows(old, to) or (only_from is not None and old not in only_from):
            message = refusal if refusal is not None else self.refusal
            labels = {"status": self._label(instance, old), "to": self._label(instance, to)}
            raise self.error(message % labels)

    def move(
        self,
        instance,
        to: str,
        *,
        refusal=None,
        only_from: Iterable[str] | None = None,
        also: Iterable[str] = (),
    ) -> str:
        """Check the move and save ``instance`` in state ``to`` (its state field and the
        fields named in ``also``, set by the caller beforehand). ``instance`` must have been
        read under its row lock in the caller's transaction. Returns the old state."""
        self.check(instance, to, refusal=refusal, only_from=only_from)
        old = getattr(instance, self.field)
        setattr(instance, self.field, to)
        instance.save(update_fields=[self.field, *also])
        return old

    def _label(self, instance, state: str) -> str:
        """The state's label: the field's choice label, else the state translated (order
        statuses are their own Chinese words)."""
        meta = getattr(instance, "_meta", None)
        if meta is not None:
            labels = dict(meta.get_field(self.field).flatchoices)
            if state in labels:
                return str(labels[state])
        return str(_(state))
