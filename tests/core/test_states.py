"""core.states: a declared machine checks every move, refuses with the domain's own error and
Chinese reason, and writes nothing on a refusal; core.locks reads the row again under lock."""

import pytest
from django.db import transaction

from core.locks import row_lock
from core.states import StateMachine
from orders.exceptions import OrderStatusTransitionError
from orders.models import ORDER_STATUS_MOVES, OrderStatus
from procurement.exceptions import UnitRegistrationError
from procurement.models import BudgetUnit, RegistrationStatus
from procurement.services.units import REGISTRATION_MOVES
from tests.factories.procurement import BudgetUnitFactory


class DoorError(Exception):
    pass


class Door:
    """A stand-in row: the machine reads and sets the field and calls ``save``."""

    def __init__(self, state):
        self.state = state
        self.saved = []

    def save(self, *, update_fields):
        self.saved.append(update_fields)


DOOR = StateMachine(
    field="state",
    transitions={
        "door-open": ("door-shut",),
        "door-shut": ("door-open", "door-bolted"),
        "door-bolted": ("door-shut",),
    },
    error=DoorError,
    refusal="门现在是 %(status)s，不能改为 %(to)s。",
)


def test_an_allowed_move_saves_the_field_and_the_named_ones_and_returns_the_old_state():
    door = Door("door-shut")
    assert DOOR.move(door, "door-bolted", also=["key"]) == "door-shut"
    assert door.state == "door-bolted"
    assert door.saved == [["state", "key"]]


def test_a_move_the_machine_does_not_declare_is_refused_with_the_display_label_and_no_save():
    door = Door("door-open")
    with pytest.raises(DoorError) as caught:
        DOOR.move(door, "door-bolted")
    assert str(caught.value) == "门现在是 door-open，不能改为 door-bolted。"
    assert (door.state, door.saved) == ("door-open", [])


def test_a_service_may_start_a_move_from_fewer_states_and_use_its_own_refusal():
    door = Door("door-bolted")
    with pytest.raises(DoorError) as caught:
        DOOR.check(door, "door-shut", only_from=("door-open",), refusal="只能从%(status)s以外关门")
    assert str(caught.value) == "只能从door-bolted以外关门"
    DOOR.check(door, "door-shut")  # the machine itself allows it


def test_states_lists_every_source_and_target():
    assert DOOR.states == {"door-open", "door-shut", "door-bolted"}
    assert DOOR.allows("door-shut", "door-open") and not DOOR.allows("door-open", "door-bolted")


def test_order_status_machine_is_order_status_transitions_and_refuses_as_a_value_error():
    assert ORDER_STATUS_MOVES.transitions == {
        old: tuple(new) for old, new in OrderStatus.TRANSITIONS.items()
    }
    assert ORDER_STATUS_MOVES.states <= set(OrderStatus.ALL)
    assert issubclass(OrderStatusTransitionError, ValueError)


def test_every_registration_state_of_the_machine_is_a_choice():
    assert REGISTRATION_MOVES.states <= set(RegistrationStatus.values)


def test_a_model_state_is_named_by_its_choice_label_in_the_refusal():
    unit = BudgetUnit(registration_status=RegistrationStatus.APPROVED)
    with pytest.raises(UnitRegistrationError) as caught:
        REGISTRATION_MOVES.move(unit, RegistrationStatus.WITHDRAWN)
    assert str(caught.value) == "当前状态为“已通过”，不能执行此操作。"
    assert unit.registration_status == RegistrationStatus.APPROVED


@pytest.mark.django_db
def test_row_lock_reads_the_row_again_with_the_related_rows(django_assert_num_queries):
    unit = BudgetUnitFactory()
    BudgetUnit.objects.filter(pk=unit.pk).update(name="改名后的单位")
    with transaction.atomic():
        with django_assert_num_queries(1):
            locked = row_lock(BudgetUnit, pk=unit.pk, related=("region",))
            assert locked.region.name == "淮北市"  # joined: no further query
    assert locked.name == "改名后的单位"
    with pytest.raises(BudgetUnit.DoesNotExist), transaction.atomic():
        row_lock(BudgetUnit.objects.filter(is_active=False), pk=unit.pk)
