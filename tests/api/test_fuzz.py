"""Schemathesis against /api/v1/openapi.json, as a visitor without credentials, a supplier
and a unit's purchaser (personal API tokens): no answer is a server error, and every answer
(status, content type, body) is one the schema documents, for data that fits the schema and
data that does not (each refusal a documented 4xx with a reason).

Bounded: ``MAX_EXAMPLES`` cases per operation, mode and role, derandomised, so a run takes
the same path each time and stays well under two minutes. (Schemathesis's own pytest
integration, ``from_fixture``, does not run under pytest 9; its strategies do.)"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from wagtail.models import APIToken

from tests.procurement.conftest import (  # noqa: F401
    city_staff,
    filing,
    policy_year,
    purchaser,
    unit,
)
from tests.suppliers.conftest import suppliers  # noqa: F401

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

MAX_EXAMPLES = 12
BOUNDED = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def token_headers(user) -> dict[str, str]:
    _token, key = APIToken.create_token(user=user, name="fuzz")
    return {"Authorization": f"Bearer {key}"}


def strategy(operation, headers):
    modes = [operation.as_strategy(GenerationMode.POSITIVE, headers=headers)]
    try:
        modes.append(operation.as_strategy(GenerationMode.NEGATIVE, headers=headers))
    except Exception:  # noqa: S110 (an operation without parameters has no invalid input)
        pass
    return st.one_of(modes)


def fuzz(headers: dict[str, str]) -> list[str]:
    """Every operation's failures (schemathesis's report of each), empty when all pass."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=strategy(operation, headers))
        @BOUNDED
        def run(case):
            # Input that fits the schema may still be refused with a reason (a category that
            # does not exist is a 400, a price with three decimals a 422): that is checked as
            # a documented status, not expected to be accepted.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:  # schemathesis's FailureGroup
            failures.append(f"{operation.label}: {error}")
    return failures


@pytest.fixture
def data(catalogue, suppliers, purchaser, filing):  # noqa: F811
    """Products, two suppliers' staff and a unit's purchaser with this year's filing.

    The requests go straight to Django's WSGI handler, in the test's transaction: like
    Django's test client, the start and end of a request must not close the database
    connection."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield {"supplier": suppliers["user1"], "purchaser": purchaser}
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_anonymous_requests_are_answered_as_the_schema_says(data):
    failures = fuzz({})

    assert failures == [], "\n\n".join(failures)


def test_a_suppliers_requests_are_answered_as_the_schema_says(data):
    failures = fuzz(token_headers(data["supplier"]))

    assert failures == [], "\n\n".join(failures)


def test_a_purchasers_requests_are_answered_as_the_schema_says(data):
    failures = fuzz(token_headers(data["purchaser"]))

    assert failures == [], "\n\n".join(failures)
