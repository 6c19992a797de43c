"""The fiche of the open round: who may open it, save it and submit it, and what it keeps."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from finance.models import FinanceReport
from milestones.models import MilestoneState, MilestoneStatus
from projects.models import Fiche, IndicatorValue, ProjectStatus, ReviewEvent, ReviewState
from projects.models.users import Role
from tests.factories import FicheFactory, PolicyDomainFactory, ProjectFactory, UserFactory
from tests.relance.fiche_helpers import complete, fiche_post, snapshot

pytestmark = pytest.mark.django_db

DELAYED = {"status": MilestoneState.DELAYED, "forecast_date": "2031-01-01", "delay_reason": "x"}


def url(fiche):
    return reverse("fiche", args=[fiche.project.code])


@pytest.mark.parametrize(
    ("role", "get", "post"),
    [
        (Role.READER, 403, 403),
        (Role.EDITOR, 200, 302),
        (Role.COORDINATOR, 200, 302),
        (Role.ADMIN, 200, 302),
    ],
)
def test_who_may_open_and_save_the_fiche(client, users, fiche, role, get, post):
    client.force_login(users[role])
    assert client.get(url(fiche)).status_code == get
    before = snapshot(fiche)
    response = client.post(url(fiche), fiche_post(fiche, narrative="Nieuw"))
    assert response.status_code == post
    fiche.refresh_from_db()
    if post == 403:
        assert snapshot(fiche) == before
    else:
        assert fiche.narrative == "Nieuw"


def test_another_domains_editor_gets_403_and_changes_nothing(client, fiche, other_domain):
    outsider = UserFactory(role=Role.EDITOR, domains=[other_domain])
    client.force_login(outsider)
    assert client.get(url(fiche)).status_code == 403
    before = snapshot(fiche)
    response = client.post(url(fiche), {**complete(fiche), "submit": "1"})
    assert response.status_code == 403
    assert snapshot(fiche) == before


def test_anonymous_visitors_go_to_the_login_page(client, fiche):
    before = snapshot(fiche)
    response = client.post(url(fiche), fiche_post(fiche, narrative="Nieuw"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert snapshot(fiche) == before


def test_the_form_is_prefilled_with_what_is_stored(client, editor, fiche):
    client.force_login(editor)
    page = client.get(url(fiche)).content.decode()
    assert "Vorige toelichting" in page
    assert 'value="100,00"' in page  # Dutch decimals


def test_saving_a_draft_keeps_everything_typed(client, editor, fiche):
    client.force_login(editor)
    post = fiche_post(
        fiche,
        owner_status=ProjectStatus.REALISED,
        narrative="Project afgerond.",
        committed_eur="1234567,89",
        paid_eur="1000000.10",
        milestones={2: {"status": MilestoneState.REALISED, "realised_on": "2024-11-30"}},
    )
    post["iv-0-value"] = "-12,5"
    response = client.post(url(fiche), post)
    assert response.status_code == 302
    fiche.refresh_from_db()
    assert (fiche.owner_status, fiche.status) == (ProjectStatus.REALISED, ProjectStatus.REALISED)
    assert fiche.narrative == "Project afgerond."
    assert fiche.review_state == ReviewState.DRAFT
    assert fiche.version == 2
    finance = FinanceReport.objects.get(fiche=fiche)
    assert (finance.committed_eur, finance.paid_eur) == (
        Decimal("1234567.89"),
        Decimal("1000000.10"),
    )
    second = MilestoneStatus.objects.get(round=fiche.round, milestone__number=2)
    assert (second.status, second.realised_on) == (MilestoneState.REALISED, dt.date(2024, 11, 30))
    assert IndicatorValue.objects.get(round=fiche.round).value == Decimal("-12.5")
    assert fiche.history.count() >= 1  # who and when, kept


def test_submitting_a_complete_fiche(client, editor, fiche):
    client.force_login(editor)
    response = client.post(url(fiche), {**complete(fiche), "submit": "1"}, follow=True)
    assert "De fiche is ingediend." in response.content.decode()
    fiche.refresh_from_db()
    assert fiche.review_state == ReviewState.SUBMITTED
    assert fiche.submitted_by == editor
    assert ReviewEvent.objects.filter(fiche=fiche, action="submitted", by=editor).exists()


def test_submitting_an_incomplete_fiche_saves_a_draft_and_says_what_is_missing(
    client, editor, fiche
):
    client.force_login(editor)
    post = fiche_post(fiche, narrative="  ", paid_eur="", milestones={2: {"status": ""}})
    response = client.post(url(fiche), {**post, "submit": "1"}, follow=True)
    page = response.content.decode()
    assert "De toelichting is leeg." in page
    assert "Het vereffende bedrag (VEK) ontbreekt." in page
    assert "Mijlpaal 2 (Gunning van de opdracht) heeft geen status." in page
    fiche.refresh_from_db()
    assert fiche.review_state == ReviewState.DRAFT
    assert FinanceReport.objects.get(fiche=fiche).paid_eur is None  # the draft was kept


def test_what_is_still_missing_names_the_milestone_it_is_about(client, editor, fiche):
    """ "Er ontbreekt nog: Geef de nieuwe verwachte datum." said not of which milestone."""
    client.force_login(editor)
    delayed = {"status": MilestoneState.DELAYED, "forecast_date": "", "delay_reason": ""}
    post = fiche_post(fiche, milestones={2: delayed})
    response = client.post(url(fiche), {**post, "submit": "1"}, follow=True)
    [warning] = [str(m) for m in response.context["messages"] if "concept" in str(m)]
    assert "Mijlpaal 2: Geef de nieuwe verwachte datum." in warning
    fiche.refresh_from_db()
    assert fiche.review_state == ReviewState.DRAFT


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": MilestoneState.REALISED, "realised_on": ""}, "Geef de datum waarop"),
        ({"status": MilestoneState.REALISED, "realised_on": "2999-01-01"}, "in de toekomst"),
        ({**DELAYED, "forecast_date": "2030-01-01"}, "na de deadline"),
        ({"status": "done"}, "geen beschikbare keuze"),
    ],
)  # fmt: skip
def test_milestone_rules_refuse_bad_input_and_keep_it(client, editor, fiche, changes, message):
    client.force_login(editor)
    before = snapshot(fiche)
    post = fiche_post(fiche, narrative="Getypt en niet verloren", milestones={2: changes})
    response = client.post(url(fiche), post)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Getypt en niet verloren" in page
    assert snapshot(fiche) == before


@pytest.mark.parametrize("amount", ["-1", "12,345", "1.234.5678,9", "veel"])
def test_amounts_must_be_euro_and_cents(client, editor, fiche, amount):
    client.force_login(editor)
    before = snapshot(fiche)
    response = client.post(url(fiche), fiche_post(fiche, committed_eur=amount))
    assert response.status_code == 400
    assert snapshot(fiche) == before


@pytest.mark.parametrize(
    ("language", "typed", "shown"),
    [("nl", "1.650.000,50", "1.650.000,50"), ("en", "1,650,000.50", "1,650,000.50")],
)
def test_amounts_are_typed_and_shown_as_the_language_writes_them(
    client, editor, fiche, language, typed, shown
):
    client.force_login(editor)
    client.cookies["django_language"] = language
    response = client.post(url(fiche), fiche_post(fiche, committed_eur=typed))
    assert response.status_code == 302
    assert FinanceReport.objects.get(fiche=fiche).committed_eur == Decimal("1650000.50")
    page = client.get(url(fiche)).content.decode()
    assert re.search(
        rf'<input type="text" name="fiche-committed_eur" value="{re.escape(shown)}"[^>]*'
        r'inputmode="decimal"',
        page,
    )


def test_a_delay_keeps_the_deadline_and_counts_postponements(client, editor, fiche):
    client.force_login(editor)
    delayed = {"status": MilestoneState.DELAYED, "delay_reason": "Beroep bij de Raad van State"}
    client.post(
        url(fiche), fiche_post(fiche, milestones={2: {**delayed, "forecast_date": "2031-01-31"}})
    )
    client.post(
        url(fiche), fiche_post(fiche, milestones={2: {**delayed, "forecast_date": "2031-06-30"}})
    )
    client.post(
        url(fiche), fiche_post(fiche, milestones={2: {**delayed, "forecast_date": "2031-06-30"}})
    )
    status = MilestoneStatus.objects.select_related("milestone").get(
        round=fiche.round, milestone__number=2
    )
    assert status.forecast_date == dt.date(2031, 6, 30)
    assert status.milestone.deadline == dt.date(2030, 6, 30)
    # Postponed in one round, however often it was saved (count_postponements).
    assert status.postponements == 1


def test_a_stale_form_is_refused_and_the_input_shown_back(client, editor, coordinator, fiche):
    stale = fiche_post(fiche, narrative="Mijn versie van de toelichting")
    # Someone else saves in between.
    client.force_login(coordinator)
    assert (
        client.post(
            url(fiche), fiche_post(fiche, narrative="Versie van de coördinator")
        ).status_code
        == 302
    )
    between = snapshot(fiche)

    client.force_login(editor)
    response = client.post(url(fiche), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Iemand anders heeft deze fiche intussen opgeslagen" in page
    assert "Mijn versie van de toelichting" in page  # nothing typed is lost
    assert "Versie van de coördinator" in page  # and the saved version is shown beside it
    assert snapshot(fiche) == between
    assert Fiche.objects.get(pk=fiche.pk).narrative == "Versie van de coördinator"


def test_a_submitted_fiche_is_read_only_for_its_editor_until_returned(client, editor, fiche):
    client.force_login(editor)
    client.post(url(fiche), {**complete(fiche), "submit": "1"})
    page = client.get(url(fiche)).content.decode()
    assert "wacht op beoordeling" in page
    before = snapshot(fiche)
    response = client.post(url(fiche), fiche_post(fiche, narrative="Toch nog"))
    assert response.status_code == 409
    assert "Toch nog" in response.content.decode()  # shown back, not lost
    assert snapshot(fiche) == before


def test_the_owner_status_never_hides_a_flag(client, editor, coordinator, fiche):
    from relance.fiches.review import FollowUp, flag_project

    flag_project(
        fiche=fiche, by=coordinator, level="attention", motivation="Vertraging",
        actions=[FollowUp("Plan voorleggen", "Kabinet", dt.date(2030, 1, 1))],
    )  # fmt: skip
    client.force_login(editor)
    client.post(url(fiche), fiche_post(fiche, owner_status=ProjectStatus.REALISED))
    fiche.refresh_from_db()
    assert fiche.owner_status == ProjectStatus.REALISED
    assert fiche.status == ProjectStatus.ATTENTION


def test_owners_cannot_choose_orange_or_red(client, editor, fiche):
    client.force_login(editor)
    before = snapshot(fiche)
    response = client.post(
        url(fiche), fiche_post(fiche, owner_status=ProjectStatus.ACTION_REQUIRED)
    )
    assert response.status_code == 400
    assert snapshot(fiche) == before


def test_a_new_indicator_is_added_and_a_duplicate_code_refused(client, editor, fiche):
    client.force_login(editor)
    post = fiche_post(fiche)
    post.update(
        {
            "ind-1-code": "OUT2",
            "ind-1-name": "Aantal fietspaden",
            "ind-1-kind": "output",
            "ind-1-unit": "km",
        }
    )
    assert client.post(url(fiche), post).status_code == 302
    assert set(fiche.project.indicators.values_list("code", flat=True)) == {"OUT1", "OUT2"}

    post = fiche_post(fiche)
    post.update(
        {
            "ind-2-code": "OUT1",
            "ind-2-name": "Dubbel",
            "ind-2-kind": "output",
            "ind-TOTAL_FORMS": "3",
        }
    )
    before = snapshot(fiche)
    response = client.post(url(fiche), post)
    assert response.status_code == 400
    assert snapshot(fiche) == before


def test_no_fiche_form_outside_the_open_round(client, editor, fiche):
    fiche.round.close(by=None)
    client.force_login(editor)
    assert client.get(url(fiche)).status_code == 404


def test_the_fiche_page_takes_a_fixed_number_of_queries(
    client, coordinator, open_round, django_assert_max_num_queries
):
    from tests.factories import MilestoneFactory, MilestoneStatusFactory

    counts = []
    for milestones in (2, 30):
        project = ProjectFactory(domain=PolicyDomainFactory())
        fiche = FicheFactory(round=open_round, project=project)
        for number in range(1, milestones + 1):
            MilestoneStatusFactory(
                round=open_round, milestone=MilestoneFactory(project=project, number=number)
            )
        client.force_login(coordinator)
        with django_assert_max_num_queries(30) as captured:
            assert client.get(url(fiche)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
