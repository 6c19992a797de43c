"""The data version (relance/summary/version.py): every committed change to the figures'
tables changes it, whatever the path (a save, a bulk update, a delete), and nothing else
does; the open round's dashboard is kept in the cache under it, so that a save shows at
once; so is the open round's comparison, which a flag changes too. The tests commit
(``transaction=True``), as the requests of a running site do: the triggers of PostgreSQL
raise the version when a transaction commits."""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from finance.models import FinanceReport
from milestones.models import MilestoneState, MilestoneStatus
from projects.models import Fiche, Project, ProjectStatus, ReportingRound, Speerpunt, StatusFlag
from projects.models.review import FlagLevel
from projects.models.users import Role
from relance.reporting.comparison import compare_rounds
from relance.summary import compute_round_summary
from relance.summary.figures import project_status_by_round
from relance.summary.version import data_version
from tests.conftest import empty_cache
from tests.factories import UserFactory

from .reporting_plan import build_plan

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plan():
    return build_plan(4)


def first_fiche(plan):
    return Fiche.objects.get(round=plan.opened, project=plan.projects[0])


@pytest.mark.parametrize(
    "change",
    [
        lambda plan: Fiche.objects.filter(round=plan.opened).update(status=ProjectStatus.STARTED),
        lambda plan: first_fiche(plan).save(),
        lambda plan: FinanceReport.objects.filter(fiche=first_fiche(plan)).update(paid_eur=1),
        lambda plan: MilestoneStatus.objects.filter(round=plan.opened).update(
            status=MilestoneState.DELAYED
        ),
        lambda plan: Project.objects.filter(pk=plan.projects[0].pk).update(budget_eur=5),
        lambda plan: MilestoneStatus.objects.filter(round=plan.opened).delete(),
    ],
    ids=["bulk-update", "save", "finance", "milestones", "project", "delete"],
)
def test_every_committed_change_to_the_figures_changes_the_version(plan, change):
    before = data_version()
    assert before is not None

    change(plan)

    assert data_version() not in (None, before)


def test_other_writes_and_rolled_back_ones_keep_the_version(plan):
    before = data_version()

    UserFactory(username="someone")

    def rolled_back():
        with transaction.atomic():
            Fiche.objects.filter(round=plan.opened).update(status=ProjectStatus.STARTED)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        rolled_back()

    assert data_version() == before


def test_a_transaction_that_has_written_computes_afresh(plan):
    with transaction.atomic():
        Fiche.objects.filter(round=plan.opened).update(status=ProjectStatus.STARTED)
        version = data_version()
    if connection.vendor == "postgresql":
        assert version is None  # its own change is not in any committed version
    else:
        assert version is not None  # SQLite's triggers raise it at once


def open_dashboard(client, plan, **query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"), {"round": plan.opened.code, **query})
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("query", [{}, {"speerpunt": "1", "rrf": "1"}])
def test_the_open_rounds_dashboard_comes_from_the_cache_until_a_save(client, plan, query):
    client.force_login(UserFactory(username="coordinator", role=Role.COORDINATOR))
    first_count, first = open_dashboard(client, plan, **query)
    second_count, second = open_dashboard(client, plan, **query)
    assert second_count < first_count
    assert second.context["dashboard"].summary.as_json() == (
        first.context["dashboard"].summary.as_json()
    )

    fiche = first_fiche(plan)
    fiche.status = ProjectStatus.STARTED
    fiche.save()
    _count, after = open_dashboard(client, plan, **query)

    shown = after.context["dashboard"].summary
    expected = compute_round_summary(plan.opened, **shown_filters(shown))
    assert shown.as_json() == expected.as_json()
    assert (
        shown.totals.projects.counts[ProjectStatus.STARTED]
        == 1 + (first.context["dashboard"].summary.totals.projects.counts[ProjectStatus.STARTED])
    )
    assert after.content != second.content


def shown_filters(summary):
    return {"speerpunt": summary.speerpunt, "domain": summary.domain, "rrf_only": summary.rrf_only}


def test_a_closed_rounds_dashboard_shows_a_save_in_the_open_round_in_its_history(client, plan):
    client.force_login(UserFactory(username="coordinator", role=Role.COORDINATOR))
    client.get(reverse("home"))
    Fiche.objects.filter(round=plan.opened).update(status=ProjectStatus.STARTED)

    response = client.get(reverse("home"))

    history = {row.round.pk: row.counts for row in response.context["dashboard"].history}
    rounds = [plan.first, plan.second, plan.opened]
    assert history == project_status_by_round(rounds)
    assert history[plan.opened.pk][ProjectStatus.STARTED] == len(plan.projects)


@pytest.mark.parametrize("size", [4, 24])
@pytest.mark.parametrize("round_", ["closed", "open"])
def test_a_kept_dashboard_takes_the_same_queries_whatever_the_plans_size(
    client, size, round_, django_assert_num_queries
):
    plan = build_plan(size)
    client.force_login(UserFactory(username="coordinator", role=Role.COORDINATOR))
    query = {"round": (plan.second if round_ == "closed" else plan.opened).code}
    client.get(reverse("home"), query)
    # The session and the user, their role; the data version; the rounds and the domains
    # of the filters, the rounds of the list, the open round's grant check; the round's
    # chain, summaries, heat map, history and the plan's totals come from the cache.
    with django_assert_num_queries(QUERIES[round_]):
        response = client.get(reverse("home"), query)
    assert response.status_code == 200


QUERIES = {"closed": 9, "open": 9}


def dashboard_html(client, **query):
    """The dashboard's HTML, its per-request CSRF tokens aside."""
    response = client.get(reverse("home"), query)
    assert response.status_code == 200
    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1", response.text)


def fresh_html(client, **query):
    """The dashboard as it renders with nothing kept: this worker's keys emptied, never
    ``cache.clear()``, which on Redis empties the other xdist worker's keys too (a kept
    dashboard of another test there missed its cache)."""
    empty_cache()
    return dashboard_html(client, **query)


@pytest.mark.parametrize("round_", ["closed", "open"])
def test_the_dashboards_kept_html_is_the_fresh_html_after_each_committed_change(
    client, plan, round_
):
    client.force_login(UserFactory(username="coordinator", role=Role.COORDINATOR))
    query = {"round": (plan.second if round_ == "closed" else plan.opened).code}
    first = dashboard_html(client, **query)
    assert dashboard_html(client, **query) == first  # kept

    # A committed change to the open round shows on the open round's dashboard and in the
    # closed round's history; a speerpunt's new name on both.
    Fiche.objects.filter(round=plan.opened).update(status=ProjectStatus.STARTED)
    changed = dashboard_html(client, **query)
    assert changed != first
    assert changed == fresh_html(client, **query)
    Speerpunt.objects.filter(number=1).update(name="Hernoemd speerpunt")
    renamed = dashboard_html(client, **query)
    assert renamed.count("Hernoemd speerpunt") >= 3  # the figures and the plan's two lists
    assert renamed == fresh_html(client, **query)
    # The open round renamed: the plan's list of rounds.
    ReportingRound.objects.filter(pk=plan.opened.pk).update(name="Hernoemd meetmoment")
    assert "Hernoemd meetmoment" in dashboard_html(client, **query)


def test_the_dashboards_kept_html_is_each_languages_and_each_users_own(client, plan):
    coordinator = UserFactory(username="coordinator", role=Role.COORDINATOR)
    reader = UserFactory(username="lezer", role=Role.READER)
    query = {"round": plan.second.code}
    client.force_login(coordinator)
    dutch = dashboard_html(client, **query)
    client.cookies["django_language"] = "en"
    english = dashboard_html(client, **query)
    assert english != dutch
    assert english == fresh_html(client, **query)

    # The coordinator's history and list of rounds hold the open round, which a reader may
    # not see.
    client.cookies["django_language"] = "nl"
    client.force_login(coordinator)
    for_coordinator = dashboard_html(client, **query)
    assert f"round={plan.opened.code}" in for_coordinator
    assert f'href="/rounds/{plan.opened.code}/"' in for_coordinator
    client.force_login(reader)
    for_reader = dashboard_html(client, **query)
    assert f"round={plan.opened.code}" not in for_reader
    assert f'href="/rounds/{plan.opened.code}/"' not in for_reader
    assert for_reader == fresh_html(client, **query)


def open_comparison(client, plan, **query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("rounds:compare", args=[plan.opened.code]), query)
    assert response.status_code == 200
    return len(queries), response.context["comparison"]


def moves_of(comparison):
    return {move.code: move for move in comparison.moves}


@pytest.mark.parametrize("query", [{}, {"rrf": "1"}])
def test_the_open_rounds_comparison_comes_from_the_cache_until_a_flag_or_a_save(
    client, plan, query
):
    coordinator = UserFactory(username="coordinator", role=Role.COORDINATOR)
    client.force_login(coordinator)
    first_count, first = open_comparison(client, plan, **query)
    second_count, second = open_comparison(client, plan, **query)
    assert second_count < first_count
    assert (second.matrix, second.listed_moves) == (first.matrix, first.listed_moves)
    fiche = first_fiche(plan)  # the first project is an RRF project
    code = fiche.project.code
    assert moves_of(first)[code].flag_after is None

    # A flag raised shows at once, and so does its lifting.
    flag = StatusFlag.objects.create(
        fiche=fiche, level=FlagLevel.ACTION_REQUIRED, motivation="Te laat", raised_by=coordinator
    )
    _count, flagged = open_comparison(client, plan, **query)
    assert moves_of(flagged)[code].flag_after == FlagLevel.ACTION_REQUIRED
    flag.lifted_at = timezone.now()
    flag.lift_reason = "Opgelost"
    flag.save()
    _count, lifted = open_comparison(client, plan, **query)
    assert moves_of(lifted)[code].flag_after is None

    # A save shows at once: what is shown is what the comparison computes afresh.
    fiche.status = ProjectStatus.STARTED
    fiche.save()
    _count, saved = open_comparison(client, plan, **query)
    fresh = compare_rounds(plan.opened, rrf_only=bool(query))
    assert saved.matrix == fresh.matrix != first.matrix
    assert saved.listed_moves == fresh.listed_moves
    assert moves_of(saved)[code].status_after == ProjectStatus.STARTED


@pytest.mark.parametrize("size", [4, 24])
@pytest.mark.parametrize("round_", ["closed", "open"])
def test_a_kept_comparison_takes_the_same_queries_whatever_the_plans_size(
    client, size, round_, django_assert_num_queries
):
    plan = build_plan(size)
    client.force_login(UserFactory(username="coordinator", role=Role.COORDINATOR))
    url = reverse(
        "rounds:compare", args=[(plan.second if round_ == "closed" else plan.opened).code]
    )
    client.get(url)
    # The session and the user, their permissions and groups; the round; the data version;
    # the chain and the comparison come from the cache.
    with django_assert_num_queries(COMPARISON_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


COMPARISON_QUERIES = 7


@pytest.mark.parametrize("size", [4, 24])
def test_the_open_dashboard_after_a_save_computes_the_round_once(client, size):
    """The dashboard's summary and its heat map's clusters come from one computation of
    the round's figures: one money query, one of the projects, one of the milestones and
    one forecast, whatever the plan's size."""
    plan = build_plan(size)
    client.force_login(UserFactory(username="coordinator", role=Role.COORDINATOR))
    query = {"round": plan.opened.code}
    client.get(reverse("home"), query)
    first_fiche(plan).save()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"), query)
    assert response.status_code == 200
    forecasts = [q["sql"] for q in queries.captured_queries if "f_start" in q["sql"]]
    assert len(forecasts) == 1
    assert len(queries) == COLD_DASHBOARD_QUERIES
    assert response.context["dashboard"].heat_rows  # the clusters are there


COLD_DASHBOARD_QUERIES = 18  # 23 before issue 16: the round computed twice
