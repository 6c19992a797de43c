"""The round comparison (/rounds/<code>/compare/): the from → to matrix adds up to
round_summary's counts of both rounds, the projects that moved, the money, the milestones
that slipped; the open round only for those who may read all of it."""

import pytest
from django.urls import reverse

from milestones.models import MilestoneState
from projects.models import ProjectStatus
from projects.models.users import Role
from relance.reporting.comparison import NONE
from relance.summary import round_summary
from tests.conftest import empty_cache
from tests.factories import FicheFactory, ReportingRoundFactory, UserFactory

from .reporting_plan import AFTER, BEFORE, DRAFT, build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return build_plan()


def compare(client, user, reporting_round):
    client.force_login(user)
    return client.get(reverse("rounds:compare", args=[reporting_round.code]))


def test_the_matrix_adds_up_to_both_rounds_summaries(client, reader, plan):
    comparison = compare(client, reader, plan.second).context["comparison"]

    # The comparison's summaries leave out the forecast and the clusters: the page shows
    # neither.
    now = round_summary(plan.second, outlook=False)
    then = round_summary(plan.first, outlook=False)
    assert comparison.summary.forecast is None
    assert comparison.summary.by_cluster == comparison.previous_summary.by_cluster == ()
    assert comparison.summary.as_json() == now.as_json()
    assert comparison.previous_summary.as_json() == then.as_json()
    statuses = [*ProjectStatus.values, NONE]
    columns = dict(zip(statuses, comparison.column_totals, strict=True))
    assert {s: columns[s] for s in ProjectStatus.values} == dict(now.totals.projects.counts)
    rows = {before: total for before, _cells, total in comparison.rows}
    assert {s: rows.get(s, 0) for s in ProjectStatus.values} == dict(then.totals.projects.counts)
    # Every project keeps its fiche: nothing arrives from or leaves for "no fiche".
    assert columns[NONE] == 0
    assert NONE not in rows


def test_the_matrix_counts_each_pair_of_statuses(client, reader, plan):
    comparison = compare(client, reader, plan.second).context["comparison"]

    expected: dict[tuple[str, str], int] = {}
    for index in range(len(plan.projects)):
        pair = (BEFORE[index % len(BEFORE)], AFTER[index % len(AFTER)])
        expected[pair] = expected.get(pair, 0) + 1
    found = {
        (before, after): n
        for before, row in comparison.matrix.items()
        for after, n in row.items()
        if n
    }
    assert found == expected


def test_the_projects_that_moved_are_listed_with_their_flags(client, reader, plan):
    response = compare(client, reader, plan.second)
    comparison = response.context["comparison"]

    moved = {move.code for move in comparison.moves}
    assert moved == {
        p.code
        for i, p in enumerate(plan.projects)
        if BEFORE[i % len(BEFORE)] != AFTER[i % len(AFTER)]
    }
    flagged = next(m for m in comparison.moves if m.status_after == ProjectStatus.ATTENTION)
    assert (flagged.flag_before, flagged.flag_after) == (None, "attention")
    assert "geen → oranje" in response.content.decode()


def test_the_money_that_moved_is_round_summarys(client, reader, plan):
    response = compare(client, reader, plan.second)
    comparison = response.context["comparison"]

    finance = round_summary(plan.second).totals.finance
    assert comparison.summary.totals.finance.paid_change_eur == finance.paid_change_eur
    change = sum(m.paid_change for m in comparison.moves + comparison.movers if m.paid_change)
    assert change  # the largest movements are listed
    per_project = {m.code: m.paid_change for m in comparison.movers}
    project = plan.projects[-1]
    assert per_project[project.code] == project.budget_eur * 4 / 10 - project.budget_eur * 2 / 10


def test_the_money_per_speerpunt_names_each_in_the_readers_language(client, reader, plan):
    speerpunt = plan.projects[0].cluster.speerpunt
    speerpunt.name_en = "Making the economy sustainable"
    speerpunt.save(update_fields=["name_en"])
    empty_cache()
    client.force_login(reader)
    url = reverse("rounds:compare", args=[plan.second.code])

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    dutch = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert "Making the economy sustainable" in english
    assert speerpunt.name not in english
    assert speerpunt.name in dutch
    assert "Making the economy sustainable" not in dutch


def test_the_milestones_that_slipped(client, reader, plan):
    comparison = compare(client, reader, plan.second).context["comparison"]

    slipped = {slip.project_code: slip for slip in comparison.slips}
    # Per project by index: 0 newly delayed, 1 expected later, 2 on schedule, 3 realised.
    assert set(slipped) == {p.code for i, p in enumerate(plan.projects) if i % 4 in (0, 1)}
    newly = slipped[plan.projects[0].code]
    assert newly.newly_delayed
    assert newly.status_after == MilestoneState.DELAYED
    later = slipped[plan.projects[1].code]
    assert not later.newly_delayed
    assert later.days_later == 183
    # In words of each language, not "(+183 d)".
    dutch = compare(client, reader, plan.second).content.decode()
    assert "(+183 dagen)" in dutch
    client.cookies["django_language"] = "en"
    english = client.get(reverse("rounds:compare", args=[plan.second.code])).content.decode()
    assert "(+183 days)" in english


def test_the_first_round_has_nothing_to_compare_with(client, reader):
    first = ReportingRoundFactory()
    FicheFactory(round=first)
    first.close(by=None)

    response = compare(client, reader, first)

    assert response.status_code == 200
    assert response.context["comparison"].previous is None
    assert "Geen vorig meetmoment" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.READER, 404), (Role.EDITOR, 404), (Role.COORDINATOR, 200), (Role.ADMIN, 200)],
)
def test_the_open_round_only_for_those_who_read_all_of_it(client, plan, domain, role, status):
    user = UserFactory(role=role, domains=[domain] if role == Role.EDITOR else [])

    response = compare(client, user, plan.opened)

    assert response.status_code == status
    assert DRAFT not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, plan):
    response = client.get(reverse("rounds:compare", args=[plan.second.code]))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_round_page_links_to_the_comparison_and_the_report(client, reader, plan):
    client.force_login(reader)
    page = client.get(plan.second.get_absolute_url()).content.decode()

    assert reverse("rounds:compare", args=[plan.second.code]) in page
    assert reverse("rounds:report", args=[plan.second.code]) in page


@pytest.mark.parametrize("size", [4, 24])
def test_the_comparison_takes_the_same_queries_whatever_the_plans_size(
    client, size, django_assert_max_num_queries
):
    plan = build_plan(size)
    client.force_login(UserFactory(role=Role.READER))
    # 22 since issue 14, 21 since issue 16: the data version read (one query more), the
    # summaries without the forecast that the page does not show (two fewer).
    with django_assert_max_num_queries(21):
        response = client.get(reverse("rounds:compare", args=[plan.second.code]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [4, 24])
@pytest.mark.parametrize("rrf", ["", "1"])
def test_the_comparison_takes_as_many_queries_when_it_lists_a_part(
    client, size, rrf, monkeypatch, django_assert_num_queries
):
    """The projects that moved and the milestones that slipped: the first LISTED of them
    and the count of all, in SQL, in the same queries at every size."""
    monkeypatch.setattr("relance.reporting.comparison.LISTED", 2)
    plan = build_plan(size)
    client.force_login(UserFactory(role=Role.READER))
    url = reverse("rounds:compare", args=[plan.second.code])
    client.get(url, {"rrf": rrf})  # the session, the permissions and the closed round cached
    empty_cache()
    with django_assert_num_queries(21):
        comparison = client.get(url, {"rrf": rrf}).context["comparison"]
    assert len(comparison.listed_moves) == min(2, len(comparison.moves))
    assert len(comparison.listed_slips) == min(2, len(comparison.slips))
    if size == 24:  # more of each than are listed
        assert len(comparison.moves) > 2
        assert len(comparison.slips) > 2
    # Read past the first rows, the lists are whole: their counts are exact.
    assert len(list(comparison.moves)) == len(comparison.moves)
    assert len(list(comparison.slips)) == len(comparison.slips)
