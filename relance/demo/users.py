"""The demo users: one per role, with a known password (never in production)."""

from __future__ import annotations

from dataclasses import dataclass

from projects.models import PolicyDomain, User
from projects.models.users import Role
from projects.roles import assign_role

DEMO_PASSWORD = "veerkracht-demo"
DEMO_USERS = [
    # username, role, domains, first name
    ("beheerder", Role.ADMIN, [], "Bea"),
    ("coordinator", Role.COORDINATOR, [], "Koen"),
    ("redacteur", Role.EDITOR, ["MOW", "OMG"], "Ria"),
    ("lezer", Role.READER, [], "Lode"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    domains: list[str]
    created: bool  # False: the account existed and keeps its password


def create_demo_users() -> list[DemoUser]:
    """Create the demo users that do not exist yet (the policy domains must exist)."""
    result = []
    for username, role, codes, first_name in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.email = f"{username}@relance.example"
            user.save()
            assign_role(user=user, role=role, domains=PolicyDomain.objects.filter(code__in=codes))
        result.append(DemoUser(username, role, codes, created))
    return result
