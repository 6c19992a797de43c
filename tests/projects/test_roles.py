"""Roles are groups with permissions; editors answer for their domains, and only those."""

import pytest
from django.contrib.auth.models import Group

from projects import permissions
from projects.models import Fiche, ReportingRound
from projects.models.rounds import RoundState
from projects.models.users import Role
from projects.roles import RoleError, assign_role
from tests.factories import (
    FicheFactory,
    PolicyDomainFactory,
    ProjectFactory,
    ReportingRoundFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# What each role may do, as in interfaces.md (editor: of the fiche's own domain).
TRUTH = {
    # predicate:               reader, editor, coordinator, admin
    "can_manage_rounds": (False, False, True, True),
    "can_review": (False, False, True, True),
    "can_read_all_open_fiches": (False, False, True, True),
    "can_read_open_round": (False, True, True, True),
    "can_export_workbook": (False, False, True, True),
    "can_import_workbook": (False, False, False, True),
}
ROLES = (Role.READER, Role.EDITOR, Role.COORDINATOR, Role.ADMIN)


@pytest.mark.parametrize("predicate", TRUTH)
def test_role_truth_table(users, predicate):
    answers = tuple(getattr(permissions, predicate)(users[role]) for role in ROLES)
    assert answers == TRUTH[predicate]


def test_the_four_role_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


@pytest.mark.parametrize(
    ("role", "own_domain", "may_edit"),
    [
        (Role.READER, False, False),
        (Role.EDITOR, True, True),
        (Role.EDITOR, False, False),
        (Role.COORDINATOR, False, True),
        (Role.ADMIN, False, True),
    ],
)
def test_who_may_edit_an_open_fiche(
    users, domain, other_domain, open_round, role, own_domain, may_edit
):
    fiche = FicheFactory(
        round=open_round, project=ProjectFactory(domain=domain if own_domain else other_domain)
    )
    assert permissions.can_edit_fiche(users[role], fiche) is may_edit


def test_nobody_edits_a_fiche_outside_the_open_round(users, domain):
    draft = FicheFactory(
        round=ReportingRoundFactory(state=RoundState.DRAFT), project__domain=domain
    )
    closed = FicheFactory(
        round=ReportingRoundFactory(state=RoundState.DRAFT), project__domain=domain
    )
    closed.round.close(by=None)
    closed.refresh_from_db()
    for user in users.values():
        assert not permissions.can_edit_fiche(user, draft)
        assert not permissions.can_edit_fiche(user, closed)


def test_anonymous_and_inactive_users_may_do_nothing(admin_user, open_round, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    fiche = FicheFactory(round=open_round)
    admin_user.is_active = False
    for user in (AnonymousUser(), admin_user):
        assert not permissions.can_edit_fiche(user, fiche)
        assert not permissions.can_manage_rounds(user)
        assert not permissions.can_read_open_round(user)


def test_editor_of_several_domains_edits_each(domain, other_domain, open_round):
    editor = UserFactory(role=Role.EDITOR, domains=[domain, other_domain])
    for d in (domain, other_domain):
        assert permissions.can_edit_fiche(editor, FicheFactory(round=open_round, project__domain=d))


def test_editor_of_a_merged_into_domain_answers_for_the_old_domains(open_round):
    wewils = PolicyDomainFactory(code="WEWILS")
    ewi = PolicyDomainFactory(code="EWI", merged_into=wewils)
    editor = UserFactory(role=Role.EDITOR, domains=[wewils])
    old_project = FicheFactory(round=open_round, project__domain=ewi)
    assert permissions.can_edit_fiche(editor, old_project)
    # ... but not the other way round.
    ewi_editor = UserFactory(role=Role.EDITOR, domains=[ewi])
    assert not permissions.can_edit_fiche(
        ewi_editor, FicheFactory(round=open_round, project__domain=wewils)
    )


def test_an_editor_needs_a_domain():
    user = UserFactory(role=Role.READER)
    with pytest.raises(RoleError, match="beleidsdomein"):
        assign_role(user=user, role=Role.EDITOR, domains=[])
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == [Role.READER]


def test_a_user_has_exactly_one_role(domain):
    user = UserFactory(role=Role.EDITOR, domains=[domain])
    assign_role(user=user, role=Role.COORDINATOR)
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == [Role.COORDINATOR]
    assert user.role == Role.COORDINATOR
    assert not user.domains.exists()
    assert user.is_staff


def test_visible_fiches_follow_the_roles(users, domain, other_domain):
    closed_round = ReportingRoundFactory(state=RoundState.DRAFT)
    closed = FicheFactory(round=closed_round, project__domain=other_domain)
    closed_round.close(by=None)
    open_round = ReportingRoundFactory(state=RoundState.OPEN)
    own_open = FicheFactory(round=open_round, project__domain=domain)
    other_open = FicheFactory(round=open_round, project__domain=other_domain)
    draft = FicheFactory(
        round=ReportingRoundFactory(state=RoundState.DRAFT), project__domain=domain
    )

    def visible(role):
        return set(Fiche.objects.visible_to(users[role]))

    assert visible(Role.READER) == {closed}
    assert visible(Role.EDITOR) == {closed, own_open}
    assert visible(Role.COORDINATOR) == {closed, own_open, other_open, draft}
    assert visible(Role.ADMIN) == {closed, own_open, other_open, draft}


def test_visible_rounds_follow_the_roles(users):
    closed = ReportingRoundFactory(state=RoundState.DRAFT)
    closed.close(by=None)
    opened = ReportingRoundFactory(state=RoundState.OPEN)
    draft = ReportingRoundFactory(state=RoundState.DRAFT)

    def visible(role):
        return set(ReportingRound.objects.visible_to(users[role]))

    assert visible(Role.READER) == {closed}
    assert visible(Role.EDITOR) == {closed, opened}
    assert visible(Role.COORDINATOR) == {closed, opened, draft}


def test_domains_without_the_editor_role_show_no_drafts(domain):
    """A reader who somehow belongs to a domain still reads closed rounds only."""
    user = UserFactory(role=Role.READER)
    user.domains.add(domain)
    user = type(user).objects.get(pk=user.pk)
    open_round = ReportingRoundFactory(state=RoundState.OPEN)
    FicheFactory(round=open_round, project__domain=domain)
    assert not Fiche.objects.visible_to(user).exists()
