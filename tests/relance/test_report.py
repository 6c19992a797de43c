"""The progress report (/rounds/<code>/report/ and report.pdf): round_summary's figures, one
fiche per project of the round and every one of them in the PDF, never a draft to those who
may not read it, a fixed number of queries, and a PDF made without the network."""

import pytest
from django.urls import reverse
from weasyprint.formatting_structure.boxes import TextBox

from projects.models import Fiche
from projects.models.users import Role
from relance.reporting import pdf as pdf_module
from relance.reporting.pdf import ORIGIN, StaticFilesFetcher
from relance.summary import round_summary, summary_text
from tests.factories import UserFactory

from .reporting_plan import ACTION, DRAFT, MOTIVATION, build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return build_plan()


@pytest.fixture(autouse=True)
def _reports_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def documents(monkeypatch):
    """The WeasyPrint documents the PDF views lay out, as they made them."""
    made = []
    render = pdf_module.render_document

    def spy(html):
        document = render(html)
        made.append(document)
        return document

    monkeypatch.setattr(pdf_module, "render_document", spy)
    return made


def text_of(document) -> str:
    """The text WeasyPrint laid out on the PDF's pages."""
    return " ".join(
        box.text
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, TextBox)
    )


def get(client, user, name, reporting_round, **query):
    client.force_login(user)
    return client.get(reverse(name, args=[reporting_round.code]), query)


def test_the_report_page_has_round_summarys_figures_and_text(client, reader, plan):
    response = get(client, reader, "rounds:report-page", plan.second)

    report = response.context["report"]
    summary = round_summary(plan.second)
    assert report.summary.as_json() == summary.as_json()
    assert [block.figures.as_json() for block in report.speerpunten] == [
        part.figures.as_json() for part in summary.by_speerpunt
    ]
    page = response.content.decode()
    for line in summary_text(summary).splitlines()[2:4]:
        assert line in page


def test_the_report_has_one_fiche_per_project_of_the_round(client, reader, plan):
    response = get(client, reader, "rounds:report-page", plan.second)

    codes = sorted(Fiche.objects.filter(round=plan.second).values_list("project__code", flat=True))
    assert sorted(response.context["report"].codes) == codes
    page = response.content.decode()
    for code in codes:
        assert page.count(f'id="fiche-{code}"') == 1
        assert f"Gepubliceerde toelichting {code} {plan.second.code}" in page


def test_a_fiche_shows_its_flag_milestones_money_and_indicators(client, reader, plan):
    page = get(client, reader, "rounds:report-page", plan.second).content.decode()

    assert MOTIVATION in page
    assert ACTION in page
    assert "I-1.01" in page  # the RRF measure
    assert "42,5" in page  # the indicator's value in the round
    assert "verwacht 31-12-2024" in page  # a delayed milestone's forecast
    assert "€\u00a02.000.000" in page  # a budget, in Dutch


def test_the_pdf_holds_every_fiche_of_the_round(client, reader, plan, documents):
    response = get(client, reader, "rounds:report", plan.second)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"voortgangsrapport-{plan.second.code}.pdf" in response["Content-Disposition"]
    (document,) = documents
    anchors = [name for page in document.pages for name in page.anchors]
    fiches = sorted(a.removeprefix("fiche-") for a in anchors if a.startswith("fiche-"))
    assert fiches == sorted(p.code for p in plan.projects)
    # Each fiche begins a page: the cover and the figures come first.
    first_on_page = [
        next((a for a in page.anchors if a.startswith("fiche-")), None) for page in document.pages
    ]
    assert sum(1 for a in first_on_page if a) == len(plan.projects)
    assert len(document.pages) >= len(plan.projects) + 2
    text = text_of(document)
    assert f"Gepubliceerde toelichting {plan.projects[0].code} {plan.second.code}" in text
    assert MOTIVATION in text


def test_the_pdf_of_a_speerpunt_holds_its_fiches_only(client, reader, plan, documents):
    response = get(client, reader, "rounds:report", plan.second, speerpunt="2")

    assert response.status_code == 200
    assert "speerpunt-2" in response["Content-Disposition"]
    (document,) = documents
    anchors = {name for page in document.pages for name in page.anchors}
    expected = {p.code for p in plan.projects if p.cluster.speerpunt.number == 2}
    assert {a.removeprefix("fiche-") for a in anchors if a.startswith("fiche-")} == expected
    assert round_summary(plan.second, speerpunt=2).totals.projects.total == len(expected)


def test_an_unknown_speerpunt_is_404(client, reader, plan):
    assert get(client, reader, "rounds:report", plan.second, speerpunt="9").status_code == 404
    assert get(client, reader, "rounds:report-page", plan.second, speerpunt="x").status_code == 404


def test_a_closed_rounds_report_does_not_hold_the_open_rounds_draft(
    client, coordinator, plan, documents
):
    page = get(client, coordinator, "rounds:report-page", plan.second).content.decode()
    get(client, coordinator, "rounds:report", plan.second)

    assert DRAFT not in page
    assert DRAFT not in text_of(documents[0])


@pytest.mark.parametrize("name", ["rounds:report", "rounds:report-page"])
@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.READER, 404), (Role.EDITOR, 404), (Role.COORDINATOR, 200), (Role.ADMIN, 200)],
)
def test_the_open_rounds_report_only_for_those_who_read_all_of_it(
    client, plan, domain, name, role, status, documents
):
    user = UserFactory(role=role, domains=[domain] if role == Role.EDITOR else [])

    response = get(client, user, name, plan.opened)

    assert response.status_code == status
    if status == 404:
        assert DRAFT.encode() not in response.content
        assert documents == []
    elif name == "rounds:report-page":
        assert DRAFT in response.content.decode()
    else:
        assert DRAFT in text_of(documents[0])


def test_a_closed_rounds_pdf_is_made_once(client, reader, plan, documents, tmp_path):
    first = get(client, reader, "rounds:report", plan.second).content
    second = get(client, reader, "rounds:report", plan.second).content

    assert first == second
    assert len(documents) == 1
    assert [p.name.rsplit("-", 1)[0] for p in (tmp_path / "reports").iterdir()] == [
        f"voortgangsrapport-{plan.second.code}"
    ]


def test_the_open_rounds_pdf_is_made_afresh(client, coordinator, plan, documents, tmp_path):
    get(client, coordinator, "rounds:report", plan.opened)
    get(client, coordinator, "rounds:report", plan.opened)

    assert len(documents) == 2
    assert not (tmp_path / "reports").exists()


def test_the_pdf_fetches_nothing_but_local_static_files():
    fetcher = StaticFilesFetcher()

    response = fetcher.fetch(f"{ORIGIN}/static/css/report.css")
    assert b"@page" in response.read()
    response.close()
    for url in (
        "https://example.org/static/css/report.css",
        f"{ORIGIN}/media/secret.pdf",
        f"{ORIGIN}/static/../relance/settings.py",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError, match="nothing but its own static files"):
            fetcher.fetch(url)


def test_anonymous_visitors_are_sent_to_sign_in(client, plan):
    response = client.get(reverse("rounds:report", args=[plan.second.code]))

    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("size", [4, 24])
def test_the_report_takes_the_same_queries_whatever_the_plans_size(
    client, size, django_assert_max_num_queries
):
    plan = build_plan(size)
    client.force_login(UserFactory(role=Role.READER))
    # 17 since issue 14: the summary's forecast takes one query.
    with django_assert_max_num_queries(17):
        response = client.get(reverse("rounds:report-page", args=[plan.second.code]))
    assert len(response.context["report"].sheets) == size
