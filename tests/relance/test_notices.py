"""The in-app notices (relance/notices.py) read the user's own items, not the whole plan's:
the same as the user's digest in the whole scan, in as many queries however large the plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from milestones.reminders import collect_digests
from projects.models import (
    FlagLevel,
    FollowUpAction,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    StatusFlag,
)
from projects.models.rounds import RoundState
from projects.models.users import Role
from relance.notices import notices_for
from tests.factories import (
    FicheFactory,
    MilestoneFactory,
    MilestoneStatusFactory,
    PolicyDomainFactory,
    ProjectFactory,
    ReportingRoundFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _plan(domains: int):
    """A round open until in a week; per domain two editors and three projects, each with an
    returned fiche, a milestone due in two weeks and a follow-up action due in a week."""
    today = timezone.localdate()
    in_a_week, in_two_weeks = today + dt.timedelta(days=7), today + dt.timedelta(days=14)
    open_round = ReportingRoundFactory(
        reference_date=dt.date(2024, 12, 31),
        deadline=in_a_week,
        state=RoundState.OPEN,
    )
    editors = []
    for index in range(domains):
        domain = PolicyDomainFactory(code="D" + "ABCDEFGH"[index])
        editors += [UserFactory(role=Role.EDITOR, domains=[domain]) for _ in range(2)]
        for _ in range(3):
            project = ProjectFactory(domain=domain)
            fiche = FicheFactory(
                round=open_round, project=project, review_state=ReviewState.RETURNED
            )
            milestone = MilestoneFactory(project=project, deadline=in_two_weeks)
            MilestoneStatusFactory(round=open_round, milestone=milestone)
            flag = StatusFlag.objects.create(
                fiche=fiche, level=FlagLevel.ATTENTION, motivation="Vertraging"
            )
            FollowUpAction.objects.create(
                flag=flag, description="Bijsturen", owner="Kabinet", due_date=in_a_week
            )
            ReviewEvent.objects.create(fiche=fiche, action=ReviewAction.RETURNED, by=None)
    return today, editors


def _keys(digest):
    return sorted((r.key.kind, r.key.item_id, r.key.stage, r.key.due_on) for r in digest.reminders)


def test_a_users_own_digest_is_their_digest_in_the_whole_scan(coordinator):
    today, editors = _plan(3)
    whole = collect_digests(today=today)
    assert len(whole) == len(editors) + 1
    for user in [*editors, coordinator]:
        own = collect_digests(today=today, only=user)
        assert list(own) == [user.pk]
        assert _keys(own[user.pk]) == _keys(whole[user.pk])
    assert _keys(whole[editors[0].pk])  # something to compare


@pytest.mark.parametrize("domains", [1, 4])
def test_the_notices_take_as_many_queries_however_large_the_plan(
    coordinator, django_assert_num_queries, domains
):
    _today, editors = _plan(domains)
    editor = editors[0]
    with django_assert_num_queries(9):
        notices = notices_for(editor)
    # The own domain's three fiches, milestones, follow-up actions and returned fiches.
    assert len(notices) == 12
    with django_assert_num_queries(5):
        notices = notices_for(coordinator)
    assert len(notices) == 3 * domains  # every domain's follow-up actions


def test_someone_without_reminders_has_no_notices(coordinator):
    _today, editors = _plan(1)
    quiet = UserFactory(role=Role.EDITOR, domains=[editors[0].domains.get()], email="")
    assert notices_for(quiet) == []
