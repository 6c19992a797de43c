"""The progress report (/rounds/<code>/report/ and report.pdf): round_summary's figures, one
fiche per project of the round and every one of them in the PDF, never a draft to those who
may not read it, a fixed number of queries, and a PDF made without the network. The PDF is
the real one, printed by Chromium, read back with pypdf."""

import pytest
from django.urls import reverse

from projects.models import Fiche
from projects.models.users import Role
from relance.reporting import pdf as pdf_module
from relance.reporting.pdf import ORIGIN, static_response
from relance.summary import round_summary, summary_text
from tests.factories import UserFactory

from .pdfs import outline, page_texts, read, text_of
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
    """The PDFs Chromium printed for the views, as it printed them (the real ones, counted)."""
    made = []
    print_html = pdf_module.print_html

    def spy(html):
        pdf = print_html(html)
        made.append(pdf)
        return pdf

    monkeypatch.setattr(pdf_module, "print_html", spy)
    return made


def fiche_headings(reader):
    """The outline's fiches (their title begins with the project's code), by code."""
    (top,) = outline(reader)
    return {h.title.split()[0]: h for h in top.children if h.title.startswith("VV")}


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


def test_the_english_report_names_a_fiches_money_and_domain_in_english(client, reader, plan):
    project = plan.second.fiches.first().project
    project.domain.name_en = "Environment"
    project.domain.save(update_fields=["name_en"])
    client.force_login(reader)
    page = client.get(
        reverse("rounds:report-page", args=[plan.second.code]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "Commitments (VAK)" in page
    assert "Payments (VEK)" in page
    assert "Vastgelegd (VAK)" not in page
    assert "Vereffend (VEK)" not in page
    assert f"{project.domain.code} – Environment" in page


def test_the_pdf_holds_every_fiche_of_the_round(client, reader, plan, documents):
    response = get(client, reader, "rounds:report", plan.second)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"voortgangsrapport-{plan.second.code}.pdf" in response["Content-Disposition"]
    assert len(documents) == 1
    document = read(response.content)
    fiches = fiche_headings(document)
    assert sorted(fiches) == sorted(p.code for p in plan.projects)
    # Each fiche begins a page of its own, at its top: the cover and the figures come first.
    pages = [h.page for h in fiches.values()]
    assert len(set(pages)) == len(plan.projects)
    assert min(pages) >= 2
    height = float(document.pages[0].mediabox.height)
    assert all(h.top is not None and h.top > 0.85 * height for h in fiches.values())
    assert len(document.pages) >= len(plan.projects) + 2
    texts = page_texts(document)
    for code, heading in fiches.items():
        assert code in texts[heading.page]
    text = text_of(document)
    assert f"Gepubliceerde toelichting {plan.projects[0].code} {plan.second.code}" in text
    assert MOTIVATION in text


def test_the_pdf_is_tagged_titled_in_its_language_with_an_outline(client, reader, plan):
    response = get(client, reader, "rounds:report", plan.second)

    document = read(response.content)
    assert document.pdf_header == "%PDF-1.7"
    catalog = document.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "nl"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    title = f"Voortgangsrapport Vlaamse Veerkracht · {plan.second}"
    assert document.metadata.title == title
    xmp = document.xmp_metadata
    assert xmp.dc_title == {"x-default": title}
    assert xmp.dc_language == ["nl"]
    assert b"<pdfuaid:part>1</pdfuaid:part>" in catalog["/Metadata"].get_data()
    # The outline: the sections and the fiches under the report's title, nothing deeper.
    (top,) = outline(document)
    assert top.title == f"Vlaamse Veerkracht · {plan.second}"
    titles = [h.title for h in top.children]
    assert titles[:2] == ["Nota aan de Vlaamse Regering", "Cijfers per speerpunt"]
    assert len(titles) == 2 + len(plan.projects)
    assert all(h.children == [] for h in top.children)
    # The foot of every page: the title (not on the cover) and the page number.
    texts = page_texts(document)
    total = len(texts)
    assert title not in " ".join(texts[0].split())
    for number, text in enumerate(texts, start=1):
        assert f"p. {number} / {total}" in text
        if number > 1:
            assert title in " ".join(text.split())


def test_the_english_pdf_says_its_language(client, reader, plan):
    client.force_login(reader)
    response = client.get(
        reverse("rounds:report", args=[plan.second.code]), HTTP_ACCEPT_LANGUAGE="en"
    )

    document = read(response.content)
    assert document.trailer["/Root"]["/Lang"] == "en"
    assert document.xmp_metadata.dc_language == ["en"]
    assert document.metadata.title.startswith("Progress report")


def test_the_pdf_of_a_speerpunt_holds_its_fiches_only(client, reader, plan, documents):
    response = get(client, reader, "rounds:report", plan.second, speerpunt="2")

    assert response.status_code == 200
    assert "speerpunt-2" in response["Content-Disposition"]
    expected = {p.code for p in plan.projects if p.cluster.speerpunt.number == 2}
    assert set(fiche_headings(read(response.content))) == expected
    assert round_summary(plan.second, speerpunt=2).totals.projects.total == len(expected)


def test_an_unknown_speerpunt_is_404(client, reader, plan):
    assert get(client, reader, "rounds:report", plan.second, speerpunt="9").status_code == 404
    assert get(client, reader, "rounds:report-page", plan.second, speerpunt="x").status_code == 404


def test_a_closed_rounds_report_does_not_hold_the_open_rounds_draft(
    client, coordinator, plan, documents
):
    page = get(client, coordinator, "rounds:report-page", plan.second).content.decode()
    pdf = get(client, coordinator, "rounds:report", plan.second).content

    assert DRAFT not in page
    assert len(documents) == 1
    assert MOTIVATION in text_of(read(pdf))
    assert DRAFT not in text_of(read(pdf))


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
        assert len(documents) == 1
        assert DRAFT in text_of(read(response.content))


def test_a_closed_rounds_pdf_is_made_once(client, reader, plan, documents, tmp_path):
    first = get(client, reader, "rounds:report", plan.second).content
    second = get(client, reader, "rounds:report", plan.second).content

    assert first == second
    assert len(documents) == 1
    assert [p.name.rsplit("-", 1)[0] for p in (tmp_path / "reports").iterdir()] == [
        f"voortgangsrapport-{plan.second.code}"
    ]


def test_the_open_rounds_pdf_is_made_afresh_after_a_change(
    client, coordinator, plan, documents, tmp_path
):
    """Made again once its figures may have changed; kept on no disk of closed rounds.
    (While nothing changes, the same PDF is served again: tests/relance/test_artefacts.py.)"""
    get(client, coordinator, "rounds:report", plan.opened)
    Fiche.objects.filter(round=plan.opened).update(narrative="Bijgewerkt na de eerste PDF.")
    get(client, coordinator, "rounds:report", plan.opened)

    assert len(documents) == 2
    assert not (tmp_path / "reports").exists()


def test_the_pdf_fetches_nothing_but_local_static_files():
    body, content_type = static_response(f"{ORIGIN}/static/css/report.css")
    assert b"@page" in body
    assert content_type == "text/css"
    for url in (
        "https://example.org/static/css/report.css",
        f"{ORIGIN}/media/secret.pdf",
        f"{ORIGIN}/static/../relance/settings.py",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError, match="nothing but its own static files"):
            static_response(url)


def test_chromium_gets_the_stylesheet_and_nothing_from_the_network(caplog):
    html = (
        '<!doctype html><html lang="nl"><head><title>Proef</title>'
        '<link rel="stylesheet" href="/static/css/report.css">'
        '<link rel="stylesheet" href="https://example.org/evil.css"></head>'
        '<body><h1 class="running-title">Proef</h1><p class="cover-eyebrow">opgemaakt</p>'
        '<img src="https://example.org/pixel.png" alt="pixel"></body></html>'
    )

    document = read(pdf_module.render_pdf(html))

    # Printed without what it may not fetch, with the stylesheet: its capitals, its A4
    # page and its page numbers.
    assert "OPGEMAAKT" in text_of(document)
    assert "https://example.org/evil.css" in caplog.text
    assert "https://example.org/pixel.png" in caplog.text
    assert "report.css" not in caplog.text
    assert round(float(document.pages[0].mediabox.width)) == 595
    assert "p. 1 / 1" in page_texts(document)[0]


def test_without_chromium_the_pdf_fails_clearly_and_the_next_one_is_printed(settings, tmp_path):
    html = '<!doctype html><html lang="nl"><title>x</title><p>Gedrukt</p></html>'
    real = settings.RELANCE_CHROMIUM
    settings.RELANCE_CHROMIUM = str(tmp_path / "chromium")

    with pytest.raises(pdf_module.PdfError, match="chromium package"):
        pdf_module.render_pdf(html)

    settings.RELANCE_CHROMIUM = real
    assert "Gedrukt" in text_of(read(pdf_module.render_pdf(html)))


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
