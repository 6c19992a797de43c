"""Access on every path, as one truth table of roles × URLs (interfaces.md).

An editor here belongs to MOW; the fiche of VV001 is MOW's, the fiche of VV002 OMG's.
"""

import datetime as dt

import pytest
from django.urls import reverse

from projects.models.rounds import RoundState
from projects.models.users import Role
from tests.factories import (
    FicheFactory,
    PolicyDomainFactory,
    ProjectFactory,
    ReportingRoundFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
R, E, C, A = Role.READER, Role.EDITOR, Role.COORDINATOR, Role.ADMIN
LOGIN = "login"

# url: expected status for (anonymous, reader, editor, coordinator, admin); LOGIN = sent
# to the login page.
GET_TABLE = {
    "/": (LOGIN, 200, 200, 200, 200),
    "/projects/": (LOGIN, 200, 200, 200, 200),
    "/projects/?_export=csv": (LOGIN, 200, 200, 200, 200),
    "/projects/VV001/": (LOGIN, 200, 200, 200, 200),
    "/projects/VV001/fiche/": (LOGIN, 403, 200, 200, 200),
    "/projects/VV002/fiche/": (LOGIN, 403, 403, 200, 200),
    "/milestones/": (LOGIN, 200, 200, 200, 200),
    # The editor's home: their own domains' fiches; the others see it has none for them.
    "/mijn-fiches/": (LOGIN, 200, 200, 200, 200),
    "/start/": (LOGIN, 302, 302, 302, 302),
    "/rounds/": (LOGIN, 200, 200, 200, 200),
    "/rounds/2023-12/": (LOGIN, 200, 200, 200, 200),
    "/rounds/2024-12/": (LOGIN, 404, 200, 200, 200),
    "/rounds/2025-12/": (LOGIN, 404, 404, 200, 200),
    "/rounds/new/": (LOGIN, 403, 403, 200, 200),
    "/imports/": (LOGIN, 403, 403, 403, 200),
    "/exports/workbook.xlsx": (LOGIN, 403, 403, 200, 200),
    "/admin/": (LOGIN, LOGIN, LOGIN, 200, 200),
    "/health/": (200, 200, 200, 200, 200),
    "/accounts/login/": (200, 302, 302, 302, 302),
    "/accounts/password_reset/": (200, 200, 200, 200, 200),
    # The second factor: coordinators and admins only (enrolment first, before any code).
    "/accounts/two-factor/": (LOGIN, 403, 403, 200, 200),
    "/accounts/two-factor/verify/": (LOGIN, 403, 403, 302, 302),
}
WHO = (ANONYMOUS, R, E, C, A)


@pytest.fixture
def plan():
    mow = PolicyDomainFactory(code="MOW")
    omg = PolicyDomainFactory(code="OMG")
    own, other = ProjectFactory(code="VV001", domain=mow), ProjectFactory(code="VV002", domain=omg)
    closed = ReportingRoundFactory(reference_date=dt.date(2023, 12, 31))
    FicheFactory(round=closed, project=own)
    closed.close(by=None)
    opened = ReportingRoundFactory(reference_date=dt.date(2024, 12, 31), state=RoundState.OPEN)
    FicheFactory(round=opened, project=own)
    FicheFactory(round=opened, project=other)
    ReportingRoundFactory(reference_date=dt.date(2025, 12, 31))
    return {
        R: UserFactory(role=R),
        E: UserFactory(role=E, domains=[mow]),
        C: UserFactory(role=C),
        A: UserFactory(role=A),
    }


@pytest.mark.parametrize("url", GET_TABLE)
@pytest.mark.parametrize("who", range(len(WHO)))
def test_get_truth_table(client, plan, url, who):
    if WHO[who] != ANONYMOUS:
        client.force_login(plan[WHO[who]])
    response = client.get(url)
    expected = GET_TABLE[url][who]
    if expected == LOGIN:
        assert response.status_code == 302
        assert "login" in response["Location"]
    else:
        assert response.status_code == expected, f"{WHO[who]} {url}"


def test_the_table_covers_every_named_page():
    names = ["home", "projects:list", "milestones:list", "rounds:list", "rounds:create", "health"]
    names += ["my-fiches", "start"]
    named = {reverse(name) for name in [*names, "login"]}
    assert named <= set(GET_TABLE)
