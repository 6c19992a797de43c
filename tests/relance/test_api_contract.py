"""The schema is exact: a property-based contract tester (schemathesis) calls every operation
of /api/schema/ in-process with generated input, valid and invalid, and checks that each
answer is one the schema lists, with the body and headers it describes."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from projects.models.users import Role
from projects.tokens import issue_token
from tests.conftest import empty_cache
from tests.factories import UserFactory
from tests.relance.open_data_plan import make_plan

pytestmark = pytest.mark.django_db

EXAMPLES = 10
# A write whose input fits the schema may still be refused, and rightly: 412 when its
# If-Match, well-formed, is not the fiche's current tag (a generated one never is), 400 when
# the fiche's rules refuse what the schema cannot state (a realisation date in the future, a
# delayed milestone without its new date). Everywhere else, valid input is accepted.
CONFIG = SchemathesisConfig.from_dict(
    {
        "operations": [
            {
                "include-method": ["PATCH", "POST"],
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "412"]
                    }
                },
            }
        ]
    }
)


def run(operation, mode, token, path_parameters=None):
    """Call the operation with generated cases; the first disagreement fails the test."""

    @given(case=operation.as_strategy(mode, path_parameters=path_parameters))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case):
        empty_cache()  # the rate limits count across examples otherwise
        case.call_and_validate(headers={"Authorization": f"Token {token}"})

    try:
        check()
    except Unsatisfiable:
        # Nothing of this operation can be made invalid (a path pinned to real values and
        # no other parameter): there is no negative case to try.
        assert mode == GenerationMode.NEGATIVE


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Schemathesis calls the WSGI application itself, which closes the database connection
    at the end of each request: the test's transaction (PostgreSQL's) would go with it.
    Django's own test client keeps it open in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token():
    return issue_token(user=UserFactory(role=Role.COORDINATOR))


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("rounds", ["any", "closed", "open"])
def test_the_api_answers_as_its_schema_says(token, mode, rounds):
    plan = make_plan()
    codes = {"closed": plan.closed.code, "open": plan.opened.code}
    api = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), config=CONFIG)
    failures = []
    for result in api.get_all_operations():
        operation = result.ok()
        names = {p.name for p in operation.path_parameters}
        if rounds != "any" and not operation.path.startswith("/api/rounds/{code}/"):
            continue
        pinned = {}
        if rounds != "any":
            # The round and project that exist, so that the answers past the 404 are tried.
            pinned = {"code": codes[rounds], "project": plan.projects[0].code}
            pinned = {name: value for name, value in pinned.items() if name in names}
            if rounds == "open" and "project" not in names:
                continue
        try:
            run(operation, mode, token, pinned or None)
        except Exception as error:  # noqa: BLE001 - every operation's failure, reported at once
            failures.append(f"{operation.label}: {error!r}"[:1500])
    assert failures == [], "\n\n".join(failures)
