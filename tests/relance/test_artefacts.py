"""The report PDF and the report package as artefacts (relance/artefacts, issue 16): built
once per round and parameters whoever asks, by a worker (a message on the Celery queue) or
in the request without one, with a progress page; a closed round's kept and queued when it
closes; access as the report's own URLs, on the progress page and the download too."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from projects.models import Fiche
from projects.models.users import Role
from relance.artefacts.services import build_closed_round, request_artefact, run_artefact
from relance.models import Artefact, ArtefactKind, ArtefactState
from relance.services import close_round
from tests.factories import UserFactory

from .reporting_plan import build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return build_plan(size=3)


def _report(reporting_round, **parameters):
    defaults = {"speerpunt": None, "rrf": False, "language": "nl"}
    return request_artefact(
        kind=ArtefactKind.REPORT,
        reporting_round=reporting_round,
        parameters={**defaults, **parameters},
        filename=f"voortgangsrapport-{reporting_round.code}.pdf",
    )


def test_the_state_machine_queued_running_done_then_kept(plan, renders):
    artefact, start = _report(plan.second)
    assert start
    assert artefact.state == ArtefactState.QUEUED

    run_artefact(artefact.pk)
    artefact.refresh_from_db()
    assert artefact.state == ArtefactState.DONE
    assert artefact.started_at <= artefact.finished_at
    path = django_settings.MEDIA_ROOT / artefact.file
    assert path.read_bytes().startswith(b"%PDF-")

    again, start = _report(plan.second)
    assert (again.pk, start) == (artefact.pk, False)  # a closed round's is kept
    run_artefact(artefact.pk)  # not queued: nothing happens
    assert len(renders) == 1


def test_a_failed_build_keeps_its_reason_and_a_new_request_starts_again(plan):
    artefact, _ = _report(plan.second, speerpunt=99)  # no such speerpunt: the build fails

    run_artefact(artefact.pk)
    artefact.refresh_from_db()
    assert artefact.state == ArtefactState.FAILED
    assert "does not exist" in artefact.error
    assert not artefact.file

    again, start = _report(plan.second, speerpunt=99)
    assert start
    assert again.pk == artefact.pk
    assert again.state == ArtefactState.QUEUED
    assert again.error == ""


def test_a_build_whose_worker_died_is_started_again(plan, settings):
    artefact, _ = _report(plan.second)
    Artefact.objects.filter(pk=artefact.pk).update(
        state=ArtefactState.RUNNING, started_at=timezone.now()
    )
    assert _report(plan.second)[1] is False  # under way: joined

    long_ago = timezone.now() - timezone.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    Artefact.objects.filter(pk=artefact.pk).update(started_at=long_ago)
    again, start = _report(plan.second)
    assert start
    assert again.state == ArtefactState.QUEUED


def test_two_requests_make_one_build_on_the_worker(
    client, reader, plan, queue, renders, django_capture_on_commit_callbacks
):
    client.force_login(reader)
    url = reverse("rounds:report", args=[plan.second.code])

    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(url)
        second = client.get(url)

    (artefact,) = Artefact.objects.all()
    progress = reverse("rounds:artefact", args=[plan.second.code, artefact.pk])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == progress
    assert queue() == 1  # one message: the second request joined the first
    assert renders == []  # nothing built inside the request

    page = client.get(progress)
    assert page.status_code == 200
    assert '<meta http-equiv="refresh" content="2">' in page.content.decode()
    download = reverse("rounds:artefact-download", args=[plan.second.code, artefact.pk])
    assert client.get(download)["Location"] == progress  # not ready: back to the progress

    run_artefact(artefact.pk)  # what the worker does with the message
    page = client.get(progress).content.decode()
    assert "http-equiv" not in page
    assert download in page
    response = client.get(download)
    assert response.content.startswith(b"%PDF-")
    assert client.get(url).content == response.content  # ready: served at once
    assert len(renders) == 1


def test_without_a_worker_the_request_builds_it(client, reader, plan, renders):
    client.force_login(reader)

    response = client.get(reverse("rounds:package", args=[plan.second.code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    (artefact,) = Artefact.objects.all()
    assert artefact.state == ArtefactState.DONE
    assert artefact.kind == ArtefactKind.PACKAGE
    built = len(renders)
    assert client.get(reverse("rounds:package", args=[plan.second.code])).content == (
        response.content
    )
    assert len(renders) == built  # a closed round's package is kept


def test_a_reader_gets_nothing_of_the_open_rounds_artefacts(client, reader, coordinator, plan):
    artefact, _ = _report(plan.opened)
    run_artefact(artefact.pk)
    code = plan.opened.code
    client.force_login(reader)

    for url in (
        reverse("rounds:report", args=[code]),
        reverse("rounds:package", args=[code]),
        reverse("rounds:artefact", args=[code, artefact.pk]),
        reverse("rounds:artefact-download", args=[code, artefact.pk]),
        # Under a round the reader may see, the open round's artefact is still not found.
        reverse("rounds:artefact", args=[plan.second.code, artefact.pk]),
        reverse("rounds:artefact-download", args=[plan.second.code, artefact.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert list(Artefact.objects.values_list("pk", flat=True)) == [artefact.pk]  # nothing new
    client.logout()
    assert client.get(reverse("rounds:artefact", args=[code, artefact.pk])).status_code == 302

    client.force_login(coordinator)
    response = client.get(reverse("rounds:artefact-download", args=[code, artefact.pk]))
    assert response.content.startswith(b"%PDF-")


@pytest.mark.django_db(transaction=True)  # the data version is read from committed data
def test_an_open_rounds_report_is_served_again_until_its_data_or_the_day_change(
    client, coordinator, plan, renders
):
    client.force_login(coordinator)
    url = reverse("rounds:report", args=[plan.opened.code])

    first, second = client.get(url), client.get(url)
    assert len(renders) == 1  # nothing changed: the same file
    assert second.getvalue() == first.getvalue()

    fiche = Fiche.objects.filter(round=plan.opened).order_by("pk").first()
    fiche.narrative = "Een nieuwe toelichting na de eerste download."
    fiche.save()
    assert client.get(url).getvalue().startswith(b"%PDF-")
    assert len(renders) == 2  # a save: built afresh

    Artefact.objects.update(finished_at=timezone.now() - dt.timedelta(days=1))
    client.get(url)
    assert len(renders) == 3  # built yesterday: what is overdue may have moved
    assert Artefact.objects.count() == 1


def test_a_report_begun_while_its_round_was_open_is_built_again_once_it_closes(
    client, coordinator, plan, renders
):
    client.force_login(coordinator)
    url = reverse("rounds:report", args=[plan.opened.code])
    client.get(url)
    assert len(renders) == 1

    close_round(reporting_round=plan.opened, by=UserFactory(role=Role.ADMIN), reason="test")
    client.get(url)
    assert len(renders) == 2  # the round as it closed, not its drafts of before
    client.get(url)
    assert len(renders) == 2  # kept from now on


def test_closing_a_round_queues_its_documents(plan, queue, django_capture_on_commit_callbacks):
    admin = UserFactory(role=Role.ADMIN)

    with django_capture_on_commit_callbacks(execute=True):
        close_round(reporting_round=plan.opened, by=admin, reason="test")

    # Sent once the close is committed; its quality findings (one per language) and the
    # warming of its pages too.
    assert queue() == 14 + 2 + 1

    kinds = sorted(
        (
            a.kind,
            str(
                a.parameters.get("note", a.parameters.get("format", a.parameters.get("speerpunt")))
            ),
            a.parameters.get("language", ""),
        )
        for a in Artefact.objects.filter(round=plan.opened)
    )
    assert kinds == [
        ("note", "impact", "en"), ("note", "impact", "nl"),
        ("note", "output", "en"), ("note", "output", "nl"), ("open_data", "None", ""),
        ("package", "None", ""),
        ("report", "1", "en"), ("report", "1", "nl"), ("report", "2", "en"), ("report", "2", "nl"),
        ("report", "None", "en"), ("report", "None", "nl"),
        ("scoreboard", "csv", ""), ("scoreboard", "xlsx", ""),
    ]  # fmt: skip
    assert {a.state for a in Artefact.objects.all()} == {ArtefactState.QUEUED}


def test_without_a_worker_closing_builds_nothing_ahead(plan):
    assert build_closed_round(reporting_round=plan.second) == []
    assert not Artefact.objects.exists()


def test_a_failed_build_shows_its_reason_and_a_retry(client, reader, plan):
    artefact, _ = _report(plan.second, speerpunt=99, rrf=True)
    run_artefact(artefact.pk)
    client.force_login(reader)

    page = client.get(reverse("rounds:artefact", args=[plan.second.code, artefact.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Het document kon niet worden gemaakt." in text
    assert f"{reverse('rounds:report', args=[plan.second.code])}?speerpunt=99&amp;rrf=1" in text
    assert "http-equiv" not in text  # nothing to wait for
    download = reverse("rounds:artefact-download", args=[plan.second.code, artefact.pk])
    assert client.get(download).status_code == 302
