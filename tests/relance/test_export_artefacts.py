"""The big exports as artefacts (issue 16): the Scoreboard export, the indicator-note PDFs
and the plan workbook, built outside the request once whoever asks, with the progress page
and a download; a closed round's kept, the whole plan's workbook built afresh. Access is
each export's own, on its URL, its progress page and its download: a refused request
creates no artefact."""

import io

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import IndicatorDefinition
from projects.models.users import Role
from relance.artefacts.services import closed_round_artefacts, run_artefact
from relance.models import Artefact, ArtefactKind, ArtefactState
from relance.services import close_round
from tests.factories import ProjectFactory, UserFactory

from .reporting_plan import build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return build_plan(size=3)


def _urls(code):
    return [
        reverse("rounds:rrf-xlsx", args=[code]),
        reverse("rounds:rrf-csv", args=[code]),
        reverse("rounds:indicators-pdf", args=[code, "impact"]),
        reverse("rounds:indicators-pdf", args=[code, "output"]),
    ]


def test_two_requests_for_each_export_make_one_build_on_the_worker(
    client, coordinator, plan, queue, renders, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    urls = [*_urls(plan.second.code), reverse("workbook-export")]

    with django_capture_on_commit_callbacks(execute=True):
        first = [client.get(url) for url in urls]
        second = [client.get(url) for url in urls]

    assert queue() == len(urls)  # one message each: the second requests joined the first
    assert renders == []  # nothing built inside the request
    assert Artefact.objects.count() == len(urls)
    for one, two in zip(first, second, strict=True):
        assert one.status_code == two.status_code == 302
        assert one["Location"] == two["Location"]
        page = client.get(one["Location"])
        assert page.status_code == 200
        assert '<meta http-equiv="refresh" content="2">' in page.content.decode()

    for artefact in Artefact.objects.all():
        run_artefact(artefact.pk)  # what the worker does with the message
    assert set(Artefact.objects.values_list("state", flat=True)) == {ArtefactState.DONE}
    assert len(renders) == 2  # the two notes

    ProjectFactory(code="VV901")  # the plan moves on (the closed round's files do not)
    with django_capture_on_commit_callbacks(execute=True):
        xlsx, csv, impact, _output, workbook = (client.get(url) for url in urls)
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(xlsx.content)).active is not None
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert csv["Content-Disposition"] == 'attachment; filename="rrf-scoreboard-2023-12.csv"'
    assert impact["Content-Type"] == "application/pdf"
    assert impact.content.startswith(b"%PDF-")
    assert (impact["Content-Disposition"]) == 'inline; filename="indicatoren-impact-2023-12-nl.pdf"'
    assert len(renders) == 2  # a closed round's are kept
    # The whole plan's workbook follows the plan: asked again after a change, built again.
    assert workbook.status_code == 302
    assert queue() == len(urls) + 1


def test_without_a_worker_the_request_builds_the_workbook_and_streams_it(client, coordinator):
    ProjectFactory(code="VV001")
    client.force_login(coordinator)

    response = client.get(reverse("workbook-export"))

    assert response.status_code == 200
    assert response.streaming
    (artefact,) = Artefact.objects.all()
    assert (artefact.kind, artefact.round, artefact.state) == (
        ArtefactKind.WORKBOOK, None, ArtefactState.DONE,
    )  # fmt: skip
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert next(workbook["projecten"].iter_rows(min_row=2, values_only=True))[0] == "VV001"
    ProjectFactory(code="VV002")
    again = client.get(reverse("workbook-export"))
    workbook = load_workbook(io.BytesIO(b"".join(again.streaming_content)), read_only=True)
    codes = [row[0] for row in workbook["projecten"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["VV001", "VV002"]  # built afresh
    assert Artefact.objects.count() == 1


@pytest.mark.parametrize("role", [Role.READER, Role.EDITOR])
def test_only_those_who_may_export_get_the_workbook_its_progress_and_its_download(
    client, users, coordinator, plan, role, queue, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("workbook-export") + f"?round={plan.second.code}")
    (artefact,) = Artefact.objects.all()
    run_artefact(artefact.pk)
    progress = reverse("export-artefact", args=[artefact.pk])
    download = reverse("export-artefact-download", args=[artefact.pk])
    assert client.get(download).status_code == 200
    client.force_login(users[role])

    assert client.get(reverse("workbook-export")).status_code == 403
    assert client.get(reverse("workbook-export") + "?round=2023-12").status_code == 403
    assert client.get(progress).status_code == 403
    assert client.get(download).status_code == 403
    # Nor under its round's URLs, although the round's figures are for every reader.
    assert client.get(reverse("rounds:artefact", args=["2023-12", artefact.pk])).status_code == 404
    assert (
        client.get(reverse("rounds:artefact-download", args=["2023-12", artefact.pk])).status_code
        == 404
    )
    assert list(Artefact.objects.values_list("pk", flat=True)) == [artefact.pk]  # nothing new
    assert queue() == 1


def test_a_reader_gets_none_of_the_open_rounds_exports(client, reader, coordinator, plan):
    code = plan.opened.code
    client.force_login(coordinator)
    for url in _urls(code):
        assert client.get(url).status_code == 200  # built in the request, without a worker
    built = list(Artefact.objects.order_by("pk"))
    client.force_login(reader)

    for url in _urls(code):
        assert client.get(url).status_code == 404, url
    for artefact in built:
        for name in ("rounds:artefact", "rounds:artefact-download"):
            assert client.get(reverse(name, args=[code, artefact.pk])).status_code == 404
            # Under a round the reader may see, the open round's artefact is still not found.
            assert client.get(reverse(name, args=[plan.second.code, artefact.pk])).status_code == (
                404
            )
    assert list(Artefact.objects.order_by("pk")) == built  # nothing new
    assert client.get(_urls(plan.second.code)[0]).status_code == 200  # a closed round's: yes


@pytest.mark.django_db(transaction=True)  # the data version is read from committed data
def test_an_open_rounds_note_is_served_again_until_its_indicators_change(
    client, coordinator, plan, renders
):
    client.force_login(coordinator)
    url = reverse("rounds:indicators-pdf", args=[plan.opened.code, "output"])

    first, second = client.get(url), client.get(url)
    assert first.content.startswith(b"%PDF-")
    assert second.content == first.content
    assert len(renders) == 1

    definition = IndicatorDefinition.objects.get(round=plan.opened)  # the draft's
    definition.name = f"{definition.name} (herzien)"
    definition.save()
    assert client.get(url).content.startswith(b"%PDF-")
    assert len(renders) == 2  # the definitions are the note's too
    assert Artefact.objects.count() == 1


def test_a_failed_export_shows_its_reason_and_a_retry_builds_it(client, reader, plan, settings):
    blocked = django_settings.MEDIA_ROOT / "artefacts"
    blocked.write_text("a file where the artefacts' folder should be")
    client.force_login(reader)
    url = reverse("rounds:rrf-xlsx", args=[plan.second.code])

    response = client.get(url)

    (artefact,) = Artefact.objects.all()
    assert artefact.state == ArtefactState.FAILED
    progress = reverse("rounds:artefact", args=[plan.second.code, artefact.pk])
    assert response["Location"] == progress
    page = client.get(progress).content.decode()
    assert "Het document kon niet worden gemaakt." in page
    assert "File exists" in page
    assert f'href="{url}"' in page  # the retry asks again
    assert "http-equiv" not in page

    blocked.unlink()
    retried = client.get(url)

    assert retried.status_code == 200
    assert retried["Content-Type"].startswith("application/vnd.openxmlformats")
    artefact.refresh_from_db()
    assert (artefact.state, artefact.error) == (ArtefactState.DONE, "")


def test_a_closed_rounds_exports_are_served_at_once_after_close(
    client, reader, plan, queue, renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        close_round(reporting_round=plan.opened, by=UserFactory(role=Role.ADMIN), reason="test")
    for artefact in Artefact.objects.all():
        run_artefact(artefact.pk)  # what the workers do once the close is committed
    built = len(renders)
    client.force_login(reader)

    for url in _urls(plan.opened.code):
        response = client.get(url)
        assert response.status_code == 200, url

    assert len(renders) == built  # served from the files built at the close
    # The messages of the close (documents, quality, the warming of its pages), nothing more.
    assert queue() == len(closed_round_artefacts(plan.opened)) + 2 + 1
