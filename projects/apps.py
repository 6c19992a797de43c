from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projecten")

    def ready(self) -> None:
        from . import closed_rounds, table_cells
        from .roles import sync_roles_after_migrate

        table_cells.install()

        closed_rounds.guard(
            "projects_fiche", "projects_indicatorvalue", "projects_indicatordefinition"
        )
        closed_rounds.guard(
            "projects_statusflag", "projects_reviewevent", round_id=closed_rounds.FICHE_ROUND
        )
        closed_rounds.guard(
            "projects_followupaction",
            round_id="SELECT f.round_id FROM projects_fiche f "
            "JOIN projects_statusflag s ON s.fiche_id = f.id WHERE s.id = {row}.flag_id",
        )
        # Schema plumbing, not business logic: the closed-round triggers are rebuilt around
        # every migrate, and the role groups follow the permissions that migrate creates.
        pre_migrate.connect(closed_rounds.before_migrate, dispatch_uid="projects.guards_off")
        post_migrate.connect(closed_rounds.after_migrate, dispatch_uid="projects.guards_on")
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="projects.sync_roles")
