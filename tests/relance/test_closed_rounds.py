"""What a round gets when it closes (relance/closed_rounds.py, issue 16): its documents, its
quality findings and its pages warmed in the cache, so that its first reader waits for
nothing; and ``manage.py build_round_documents`` doing the same for a round imported closed,
which the application never closed."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models.users import Role
from relance.artefacts.services import closed_round_artefacts
from relance.models import Artefact, ArtefactState, QualityScan, StoredFinding
from relance.services import close_round
from tests.conftest import empty_cache
from tests.factories import UserFactory

from .reporting_plan import build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return build_plan(size=3)


def _pages(plan, reporting_round):
    code = reporting_round.code
    public = f"{reverse('public:dashboard')}?round={code}"
    return (  # the API first: the dashboards put the summary in the cache when they compute
        (False, reverse("api:round-summary", args=[code]), "nl"),
        (False, public, "nl"),
        (False, public, "en"),
        (True, reverse("rounds:compare", args=[code]), "nl"),
    )


def _queries(client, user, url, language):
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return len(queries)


def _counts(client, reader, pages):
    """Each page's query count, in its language; signed in as ``reader`` or anonymous."""
    return [
        _queries(client, reader if signed_in else None, url, language)
        for signed_in, url, language in pages
    ]


def test_the_first_view_after_a_close_comes_from_the_cache(
    client, plan, reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        close_round(reporting_round=plan.opened, by=UserFactory(role=Role.ADMIN), reason="t")
    pages = _pages(plan, plan.opened)

    first = _counts(client, reader, pages)
    again = _counts(client, reader, pages)
    empty_cache()
    cold = _counts(client, reader, pages)

    assert first == again  # as a repeated view: from the cache
    assert all(f < c for f, c in zip(first, cold, strict=True)), (first, cold)


def test_a_close_warms_the_pages_on_a_worker(plan, queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        close_round(reporting_round=plan.opened, by=UserFactory(role=Role.ADMIN), reason="t")

    assert queue() == len(closed_round_artefacts(plan.opened)) + 2 + 1
    assert len(callbacks) == queue()  # all sent on commit, nothing computed here


def test_the_command_builds_what_a_close_builds_without_a_worker(client, plan, reader, renders):
    out = io.StringIO()

    call_command("build_round_documents", plan.second.code, stdout=out)

    wanted = closed_round_artefacts(plan.second)
    built = Artefact.objects.filter(round=plan.second)
    assert built.count() == len(wanted) == 14
    assert set(built.values_list("state", flat=True)) == {ArtefactState.DONE}
    assert QualityScan.objects.filter(round=plan.second).count() == 2
    assert StoredFinding.objects.filter(scan__round=plan.second).exists()
    assert plan.second.code in out.getvalue()
    printed = len(renders)
    assert printed

    # Served at once from disk and the cache; a second run builds nothing again.
    client.force_login(reader)
    response = client.get(reverse("rounds:report", args=[plan.second.code]) + "?speerpunt=2")
    assert response["Content-Type"] == "application/pdf"
    call_command("build_round_documents", plan.second.code, stdout=io.StringIO())
    assert len(renders) == printed
    assert _counts(client, reader, _pages(plan, plan.second)) == _counts(
        client, reader, _pages(plan, plan.second)
    )

    call_command("build_round_documents", "--closed", stdout=io.StringIO())
    states = Artefact.objects.filter(round=plan.first).values_list("state", flat=True)
    assert list(states) == [ArtefactState.DONE] * len(wanted)
    assert len(renders) == 2 * printed  # the first round's, as many as the second's


def test_the_command_rebuilds_a_rounds_documents_when_asked(
    plan, django_capture_on_commit_callbacks
):
    """After an upgrade that writes the documents differently, --rebuild makes them again:
    new files in place of the old, the old removed."""
    call_command("build_round_documents", plan.second.code, stdout=io.StringIO())
    built = Artefact.objects.filter(round=plan.second)
    old_files = set(built.values_list("file", flat=True))
    media = Path(settings.MEDIA_ROOT)
    assert all((media / name).exists() for name in old_files)

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the old files go on commit
        call_command("build_round_documents", plan.second.code, "--rebuild", stdout=out)

    assert f"{len(old_files)} gebouwde documenten verwijderd" in out.getvalue()
    new_files = set(built.values_list("file", flat=True))
    assert len(new_files) == len(old_files)
    assert not new_files & old_files
    assert not any((media / name).exists() for name in old_files)
    assert all((media / name).exists() for name in new_files)
    assert set(built.values_list("state", flat=True)) == {ArtefactState.DONE}


def test_the_command_queues_what_a_close_queues_with_a_worker(
    plan, queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("build_round_documents", plan.second.code, stdout=io.StringIO())

    assert queue() == len(closed_round_artefacts(plan.second)) + 2 + 1
    assert set(Artefact.objects.values_list("state", flat=True)) == {ArtefactState.QUEUED}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "Geef een meetmoment of --closed"),
        (["2023-12", "--closed"], "Geef een meetmoment of --closed"),
        (["1999-12"], "Onbekend meetmoment: 1999-12"),
    ],
)
def test_the_command_says_what_is_wrong(plan, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("build_round_documents", *arguments)
    assert not Artefact.objects.exists()


def test_the_command_refuses_a_round_that_is_not_closed(plan):
    with pytest.raises(CommandError, match="is niet gesloten"):
        call_command("build_round_documents", plan.opened.code)
    assert not Artefact.objects.exists()
